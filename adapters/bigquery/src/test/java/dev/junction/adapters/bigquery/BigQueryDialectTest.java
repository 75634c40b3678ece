package dev.junction.adapters.bigquery;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.Lex;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.util.TimestampString;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GoogleSQL {@link BigQueryDialect} writes: literals and identifiers that a GoogleSQL
 * reader (Calcite's parser in BigQuery mode, which reads backslash escapes) reads back as
 * the same value, LIKE patterns, datetime literals and casts.
 */
class BigQueryDialectTest {
  /** Values that broke out of Calcite 1.42's BigQuery literals, and their neighbours. */
  static final List<String> ATTACKS = List.of("a\\", "a\\' OR 1=1 -- ", "\\'; DROP TABLE t; --",
      "'", "''", "\\", "\\\\", "a\\b", "`", "x` -- ", "\"", "# c", "/* c", "*/", "--",
      "\r\n\t", "é", "ÿ\\", "\u001a", "a\u007fb", ") OR 1=1 -- ", "\\x41", "\\u0041");

  private static String bigquery(String sql) throws SqlParseException {
    SqlNode node = SqlParser.create(sql).parseQuery();
    return node.toSqlString(BigQueryDialect.INSTANCE).getSql().replaceAll("\\s+", " ");
  }

  /** Reads GoogleSQL: backticks with backslash escapes, BigQuery string literal rules. */
  static SqlNode read(String googleSql) throws SqlParseException {
    return SqlParser.create(googleSql, SqlParser.config()
        .withQuoting(Quoting.BACK_TICK_BACKSLASH)
        .withCharLiteralStyles(Lex.BIG_QUERY.charLiteralStyles)
        .withUnquotedCasing(Casing.UNCHANGED).withQuotedCasing(Casing.UNCHANGED)
        .withConformance(SqlConformanceEnum.BIG_QUERY)).parseQuery();
  }

  @Test
  void stringLiteralsReadBackAsTheirValue() throws Exception {
    for (String v : ATTACKS) {
      StringBuilder literal = new StringBuilder();
      BigQueryDialect.INSTANCE.quoteStringLiteral(literal, null, v);
      String sql = "SELECT 1 FROM t WHERE s = " + literal;
      SqlSelect select = (SqlSelect) read(sql);
      SqlBasicCall where = (SqlBasicCall) select.getWhere();
      assertEquals(v, unescape(((SqlCharStringLiteral) where.operand(1))
          .getValueAs(String.class)), sql);
      assertFalse(literal.toString().contains("\n") || literal.toString().contains("\r"), sql);
    }
  }

  @Test
  void quotedIdentifiersReadBackAsTheirName() throws Exception {
    for (String v : ATTACKS) {
      StringBuilder id = new StringBuilder();
      BigQueryDialect.INSTANCE.quoteIdentifier(id, v);
      String sql = "SELECT 1 AS " + id + " FROM t";
      SqlSelect select = (SqlSelect) read(sql);
      SqlBasicCall as = (SqlBasicCall) select.getSelectList().get(0);
      assertEquals(v, unescape(((org.apache.calcite.sql.SqlIdentifier) as.operand(1))
          .getSimple()), sql);
    }
  }

  @Test
  void aLiteralEndingInABackslashStaysALiteral() throws Exception {
    String sql = bigquery("SELECT * FROM t WHERE a = 'x\\' AND b = ' OR 1=1 -- '");
    assertTrue(sql.contains("`A` = 'x\\\\' AND `B` = ' OR 1=1 -- '"), sql);
  }

  @Test
  void likePatternsDoubleBackslashes() throws Exception {
    String sql = bigquery("SELECT * FROM t WHERE a LIKE 'a\\_%' AND b LIKE c");
    assertTrue(sql.contains("`A` LIKE 'a\\\\\\\\_%'"), sql);
    assertTrue(sql.contains("`B` LIKE REPLACE(`C`, '\\\\', '\\\\\\\\')"), sql);
  }

  @Test
  void datetimeLiteralsAndCasts() {
    RelDataTypeFactory types = new SqlTypeFactoryImpl(BigQueryDialect.INSTANCE.getTypeSystem());
    assertEquals("DATETIME", cast(types.createSqlType(SqlTypeName.TIMESTAMP)));
    assertEquals("TIMESTAMP",
        cast(types.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE)));
    assertEquals("NUMERIC", cast(types.createSqlType(SqlTypeName.DECIMAL, 10, 2)));
    assertEquals("NUMERIC", cast(types.createSqlType(SqlTypeName.DECIMAL, 38, 9)));
    assertEquals("BIGNUMERIC", cast(types.createSqlType(SqlTypeName.DECIMAL, 38, 20)));
    assertEquals("INT64", cast(types.createSqlType(SqlTypeName.BIGINT)));
    assertEquals("FLOAT64", cast(types.createSqlType(SqlTypeName.DOUBLE)));
    assertEquals("STRING", cast(types.createSqlType(SqlTypeName.VARCHAR, 3)));
    assertEquals("DATETIME '2024-01-02 03:04:05'", SqlLiteral.createTimestamp(
        SqlTypeName.TIMESTAMP, new TimestampString("2024-01-02 03:04:05"), 0,
        SqlParserPos.ZERO).toSqlString(BigQueryDialect.INSTANCE).getSql());
    assertEquals("TIMESTAMP '2024-01-02 03:04:05+00'", SqlLiteral.createTimestamp(
        SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, new TimestampString("2024-01-02 03:04:05"),
        0, SqlParserPos.ZERO).toSqlString(BigQueryDialect.INSTANCE).getSql());
  }

  private static String cast(RelDataType type) {
    return BigQueryDialect.INSTANCE.getCastSpec(type).toSqlString(BigQueryDialect.INSTANCE)
        .getSql();
  }

  /** A GoogleSQL quoted string's or identifier's text as its value: backslash escapes. */
  static String unescape(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = text.charAt(++i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'x', 'X' -> {
          b.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> b.append(e);
      }
    }
    return b.toString();
  }

  @Test
  void floorToAUnitIsATruncation() {
    RelDataTypeFactory types = new SqlTypeFactoryImpl(BigQueryDialect.INSTANCE.getTypeSystem());
    org.apache.calcite.rex.RexBuilder rex = new org.apache.calcite.rex.RexBuilder(types);
    org.apache.calcite.rex.RexNode date = rex.makeInputRef(types.createSqlType(SqlTypeName.DATE),
        0);
    org.apache.calcite.rex.RexCall month = (org.apache.calcite.rex.RexCall) rex.makeCall(
        org.apache.calcite.sql.fun.SqlStdOperatorTable.FLOOR, date,
        rex.makeFlag(org.apache.calcite.avatica.util.TimeUnitRange.MONTH));
    assertTrue(BigQueryDialect.INSTANCE.supportsCall(month));
    assertEquals("DATE_TRUNC", ((org.apache.calcite.rex.RexCall) BigQueryDialect.INSTANCE
        .rewriteCall(rex, month)).getOperator().getName());
    org.apache.calcite.rex.RexCall week = (org.apache.calcite.rex.RexCall) rex.makeCall(
        org.apache.calcite.sql.fun.SqlStdOperatorTable.FLOOR, date,
        rex.makeFlag(org.apache.calcite.avatica.util.TimeUnitRange.WEEK));
    assertFalse(BigQueryDialect.INSTANCE.supportsCall(week));
    org.apache.calcite.rex.RexCall ceil = (org.apache.calcite.rex.RexCall) rex.makeCall(
        org.apache.calcite.sql.fun.SqlStdOperatorTable.CEIL, date,
        rex.makeFlag(org.apache.calcite.avatica.util.TimeUnitRange.MONTH));
    assertFalse(BigQueryDialect.INSTANCE.supportsCall(ceil));
  }

  @Test
  void constantKeysAreNotOrdinals() {
    assertFalse(BigQueryDialect.INSTANCE.supportsGroupByLiteral());
    assertFalse(BigQueryDialect.INSTANCE.supportsOrderByLiteral());
  }
}
