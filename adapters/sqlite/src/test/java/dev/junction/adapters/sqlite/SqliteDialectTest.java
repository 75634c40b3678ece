package dev.junction.adapters.sqlite;

import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQL {@link SqliteDialect} writes for dates kept as ISO-8601 text, and its joins. */
class SqliteDialectTest {
  private static String sqlite(String sql) throws SqlParseException {
    SqlNode node = SqlParser.create(sql).parseQuery();
    return unparse(node);
  }

  /** The node in SQLite SQL, with whitespace normalized (the writer pads before ')'). */
  private static String unparse(SqlNode node) {
    return node.toSqlString(SqliteDialect.INSTANCE).getSql().replaceAll("\\s+", " ")
        .replace(" )", ")").replace(" ,", ",");
  }

  @Test
  void constantKeysAreNotOrdinals() {
    // Found by DifferentialIT: SELECT DISTINCT 0 AS c ... was sent as GROUP BY 0.
    assertFalse(SqliteDialect.INSTANCE.supportsGroupByLiteral());
    assertFalse(SqliteDialect.INSTANCE.supportsOrderByLiteral());
  }

  @Test
  void dateAndTimestampLiteralsAreText() {
    assertEquals("'2024-02-01'",
        unparse(SqlLiteral.createDate(new DateString("2024-02-01"), SqlParserPos.ZERO)));
    assertEquals("'2024-03-01 12:00:00'", unparse(SqlLiteral.createTimestamp(
        SqlTypeName.TIMESTAMP, new TimestampString("2024-03-01 12:00:00"), 0,
        SqlParserPos.ZERO)));
  }

  @Test
  void dateFunctionsUseStrftimeAndDate() throws Exception {
    String sql = sqlite("SELECT EXTRACT(YEAR FROM d), EXTRACT(HOUR FROM ts),"
        + " FLOOR(d TO MONTH), CAST(ts AS DATE) FROM t");
    assertTrue(sql.contains("CAST(strftime('%Y', \"D\") AS INTEGER)"), sql);
    assertTrue(sql.contains("CAST(strftime('%H', \"TS\") AS INTEGER)"), sql);
    assertTrue(sql.contains("date(\"D\", 'start of month')"), sql);
    assertTrue(sql.contains("date(\"TS\")"), sql);
  }

  @Test
  void everyJoinTypeIsSupported() {
    for (JoinRelType type : new JoinRelType[] {JoinRelType.INNER, JoinRelType.LEFT,
        JoinRelType.RIGHT, JoinRelType.FULL}) {
      assertTrue(SqliteDialect.INSTANCE.supportsJoinType(type), type.toString());
    }
  }
}
