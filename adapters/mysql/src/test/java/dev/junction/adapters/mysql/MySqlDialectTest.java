package dev.junction.adapters.mysql;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQL {@link MySqlDialect} writes for what MySQL and MariaDB read differently. */
class MySqlDialectTest {
  private static String mysql(String sql) throws SqlParseException {
    SqlNode node = SqlParser.create(sql).parseQuery();
    return node.toSqlString(MySqlDialect.INSTANCE).getSql().replaceAll("\\s+", " ");
  }

  @Test
  void concatenationIsConcatNotLogicalOr() throws Exception {
    String sql = mysql("SELECT a || '-' || b FROM t");
    assertTrue(sql.contains("CONCAT(CONCAT(`A`, '-'), `B`)"), sql);
    assertFalse(sql.contains("||"), sql);
  }

  @Test
  void stringLiteralsInComparisonsAreBinary() throws Exception {
    String sql = mysql("SELECT * FROM t WHERE name = 'alice' AND c LIKE 'A%'"
        + " AND d IN ('p', 'q') AND e <> 'x' AND n = 1");
    assertTrue(sql.contains("`NAME` = (BINARY 'alice')"), sql);
    assertTrue(sql.contains("`C` LIKE (BINARY 'A%')"), sql);
    assertTrue(sql.contains("IN (BINARY 'p', BINARY 'q')"), sql);
    assertTrue(sql.contains("`E` <> (BINARY 'x')"), sql);
    assertTrue(sql.contains("`N` = 1"), sql);
  }

  @Test
  void unparsingTwiceGivesTheSameSql() throws Exception {
    SqlNode node = SqlParser.create("SELECT * FROM t WHERE name = 'alice'").parseQuery();
    String first = node.toSqlString(MySqlDialect.INSTANCE).getSql();
    assertEquals(first, node.toSqlString(MySqlDialect.INSTANCE).getSql());
  }

  @Test
  void distinctFromIsNullSafeEquality() throws Exception {
    String sql = mysql("SELECT * FROM t WHERE a IS NOT DISTINCT FROM b"
        + " AND c IS DISTINCT FROM d");
    assertTrue(sql.contains("`A` <=> `B`"), sql);
    assertTrue(sql.contains("NOT (`C` <=> `D`)"), sql);
    assertFalse(sql.contains("DISTINCT FROM"), sql);
  }

  @Test
  void booleanNullIsPlainNull() throws Exception {
    // Found by DifferentialIT: MariaDB rejected CAST(NULL AS BOOLEAN) as a syntax error.
    String sql = mysql("SELECT CAST(NULL AS BOOLEAN) AS b, CAST(NULL AS INTEGER) AS i FROM t");
    assertTrue(sql.contains("SELECT NULL AS `B`"), sql);
    assertFalse(sql.contains("BOOLEAN"), sql);
  }

  @Test
  void constantKeysAreNotOrdinals() {
    // Found by DifferentialIT: SELECT DISTINCT 0 AS c ... was sent as GROUP BY 0.
    assertFalse(MySqlDialect.INSTANCE.supportsGroupByLiteral());
    assertFalse(MySqlDialect.INSTANCE.supportsOrderByLiteral());
  }

  @Test
  void initcapStaysInJunction() {
    assertFalse(MySqlDialect.INSTANCE.supportsOperator(
        org.apache.calcite.sql.fun.SqlStdOperatorTable.INITCAP));
    assertTrue(MySqlDialect.INSTANCE.supportsOperator(
        org.apache.calcite.sql.fun.SqlStdOperatorTable.UPPER));
  }

  @Test
  void backslashesInLiteralsAreEscaped() throws Exception {
    String sql = mysql("SELECT * FROM t WHERE a = 'a\\' AND b = 'it''s'");
    assertTrue(sql.contains("`A` = (BINARY 'a\\\\')"), sql);
    assertTrue(sql.contains("`B` = (BINARY 'it''s')"), sql);
    assertFalse(mysql("SELECT U&'\\00e9' FROM t").contains("_UTF"));
  }

  @Test
  void likeWithoutEscapeMatchesBackslashesLiterally() throws Exception {
    String sql = mysql("SELECT * FROM t WHERE a LIKE 'a\\_b' AND b LIKE c"
        + " AND d LIKE 'x!%' ESCAPE '!'");
    assertTrue(sql.contains("`A` LIKE (BINARY 'a\\\\\\\\_b') ESCAPE '\\\\'"), sql);
    assertTrue(sql.contains("`B` LIKE REPLACE(`C`, '\\\\', '\\\\\\\\') ESCAPE '\\\\'"), sql);
    assertTrue(sql.contains("`D` LIKE (BINARY 'x!%') ESCAPE '!'"), sql);
  }

  @Test
  void similarToStaysInJunction() {
    assertFalse(MySqlDialect.INSTANCE.supportsOperator(
        org.apache.calcite.sql.fun.SqlStdOperatorTable.SIMILAR_TO));
  }
}
