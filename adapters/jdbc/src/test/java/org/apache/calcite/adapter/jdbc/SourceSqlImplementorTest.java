package org.apache.calcite.adapter.jdbc;

import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How {@link SourceSqlImplementor#inLists} writes disjunctions of equalities. */
class SourceSqlImplementorTest {

  private static String inLists(String sql) throws SqlParseException {
    SqlNode node = SqlParser.create(sql).parseQuery();
    return SourceSqlImplementor.inLists(node).toSqlString(PostgresqlSqlDialect.DEFAULT)
        .getSql().replaceAll("\\s+", " ");
  }

  /** TPC-H Q22's subquery, as Calcite writes a short IN list it did not simplify. */
  @Test
  void literalsCompareWithOneExpressionAsAnInList() throws SqlParseException {
    assertEquals("SELECT * FROM \"T\" WHERE SUBSTRING(\"C\", 1, 2) IN ('13', '31', '23')"
        + " AND \"D\" > 0",
        inLists("SELECT * FROM t WHERE (SUBSTRING(c FROM 1 FOR 2) = '13'"
            + " OR (SUBSTRING(c FROM 1 FOR 2) = '31' OR SUBSTRING(c FROM 1 FOR 2) = '23'))"
            + " AND d > 0"));
  }

  @Test
  void parametersCompareWithAColumnAsAnInList() throws SqlParseException {
    assertEquals("SELECT * FROM \"T\" WHERE \"K\" IN (?, ?)",
        inLists("SELECT * FROM t WHERE k = ? OR k = ?"));
  }

  @Test
  void differentExpressionsOrNullsStayDisjunctions() throws SqlParseException {
    assertEquals("SELECT * FROM \"T\" WHERE \"A\" = 1 OR \"B\" = 2",
        inLists("SELECT * FROM t WHERE a = 1 OR b = 2"));
    assertEquals("SELECT * FROM \"T\" WHERE \"A\" = 1 OR \"A\" = NULL",
        inLists("SELECT * FROM t WHERE a = 1 OR a = NULL"));
  }

  /** A non-deterministic expression would be evaluated once instead of per disjunct. */
  @Test
  void aNonDeterministicExpressionStaysADisjunction() {
    SqlParserPos pos = SqlParserPos.ZERO;
    SqlNode rand = SqlStdOperatorTable.RAND.createCall(pos);
    SqlNode or = SqlStdOperatorTable.OR.createCall(pos,
        SqlStdOperatorTable.EQUALS.createCall(pos, rand,
            SqlLiteral.createExactNumeric("1", pos)),
        SqlStdOperatorTable.EQUALS.createCall(pos, rand,
            SqlLiteral.createExactNumeric("2", pos)));
    assertEquals("RAND() = 1 OR RAND() = 2",
        SourceSqlImplementor.inLists(or).toSqlString(PostgresqlSqlDialect.DEFAULT).getSql());
  }
}
