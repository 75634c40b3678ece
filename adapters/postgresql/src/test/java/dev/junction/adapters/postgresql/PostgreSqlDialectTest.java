package dev.junction.adapters.postgresql;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParser;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQL {@link PostgreSqlDialect} writes for user text and patterns. */
class PostgreSqlDialectTest {
  private static String pg(String sql) throws Exception {
    SqlNode node = SqlParser.create(sql).parseQuery();
    return node.toSqlString(PostgreSqlDialect.INSTANCE).getSql().replaceAll("\\s+", " ");
  }

  @Test
  void literalsAreStandardWithoutCharsetPrefix() throws Exception {
    String sql = pg("SELECT * FROM t WHERE a = 'x\\' OR b = U&'\\00e9'");
    assertTrue(sql.contains("\"A\" = 'x\\'"), sql);
    assertTrue(sql.contains("\"B\" = 'é'"), sql);
    assertFalse(sql.contains("_UTF"), sql);
  }

  @Test
  void likeAndSimilarWithoutEscapeGetEscapeEmpty() throws Exception {
    String sql = pg("SELECT * FROM t WHERE a LIKE 'a\\_b' AND b NOT LIKE 'c%'"
        + " AND c SIMILAR TO 'x' AND d LIKE 'y!%' ESCAPE '!'");
    assertTrue(sql.contains("\"A\" LIKE 'a\\_b' ESCAPE ''"), sql);
    assertTrue(sql.contains("NOT LIKE 'c%' ESCAPE ''"), sql);
    assertTrue(sql.contains("SIMILAR TO 'x' ESCAPE ''"), sql);
    assertTrue(sql.contains("LIKE 'y!%' ESCAPE '!'"), sql);
    assertEquals(sql, pg("SELECT * FROM t WHERE a LIKE 'a\\_b' AND b NOT LIKE 'c%'"
        + " AND c SIMILAR TO 'x' AND d LIKE 'y!%' ESCAPE '!'"));
  }

  @Test
  void identifiersDoubleQuotes() throws Exception {
    assertTrue(pg("SELECT a AS \"x\"\"y\" FROM t").contains("AS \"x\"\"y\""));
  }
}
