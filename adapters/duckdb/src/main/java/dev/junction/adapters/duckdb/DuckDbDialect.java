package dev.junction.adapters.duckdb;

import dev.junction.adapters.jdbc.PushdownDialect;
import dev.junction.adapters.jdbc.SqlQuoting;
import dev.junction.spi.Decimals;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's DuckDB dialect with the corrections Junction needs: no character-set clauses
 * in casts, which DuckDB rejects ({@code CAST(x AS VARCHAR CHARACTER SET "ISO-8859-1")});
 * functions DuckDB lacks ({@code INITCAP}), DECIMAL multiplications DuckDB would
 * overflow (STDDEV, VAR) run in Junction. String literals are
 * standard ({@code '} doubled; DuckDB reads no backslash escapes in {@code '...'}, and
 * its LIKE has no default escape, as in Junction), written without Calcite's
 * {@code _UTF-16LE} prefix; a string with NUL, which DuckDB's parser ends at, stays in
 * Junction. {@code SIMILAR TO} is a regular-expression match in DuckDB
 * ({@code 'abc' SIMILAR TO 'a.c'} is true), so it runs in Junction.
 */
final class DuckDbDialect extends DuckDBSqlDialect implements PushdownDialect {
  static final DuckDbDialect INSTANCE = new DuckDbDialect();

  private DuckDbDialect() {
    super(DuckDBSqlDialect.DEFAULT_CONTEXT);
  }

  @Override public boolean supportsCharSet() {
    return false;
  }

  /**
   * No: {@code GROUP BY 0} and {@code ORDER BY 0} name a column by its ordinal in DuckDB, so
   * a constant key Calcite keeps (from {@code SELECT DISTINCT 0 AS c ...}, or an ORDER BY
   * over a constant alias) failed with "GROUP BY term out of range", and Calcite's
   * {@code ORDER BY '0'} with "ORDER BY non-integer literal has no effect". Saying so makes
   * Calcite group by a constant through a joined one-row relation and leave constant sort
   * keys out.
   */
  @Override public boolean supportsGroupByLiteral() {
    return false;
  }

  /** No: see {@link #supportsGroupByLiteral}. */
  @Override public boolean supportsOrderByLiteral() {
    return false;
  }

  @Override public boolean supportsOperator(SqlOperator operator) {
    return operator != SqlStdOperatorTable.INITCAP && operator.getKind() != SqlKind.SIMILAR;
  }

  @Override public void quoteStringLiteral(StringBuilder buf, String charsetName,
      String val) {
    SqlQuoting.appendStandardLiteral(buf, val, "DuckDB");
  }

  @Override public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
    SqlQuoting.appendIdentifier(buf, val, '"', "DuckDB");
    return buf;
  }

  /**
   * DuckDB multiplies DECIMAL(p1,s1) by DECIMAL(p2,s2) into
   * DECIMAL(min({@link Decimals#MAX_PRECISION}, p1 + p2), s1 + s2), checking for overflow
   * at run time. When the cap bites, the product has fewer integer digits than the
   * operands' together, and values that fit their types overflow: Calcite expands STDDEV
   * and VAR into {@code SUM(x * x)} and
   * {@code CAST(SUM(x) AS DECIMAL(38, 12)) * CAST(SUM(x) AS DECIMAL(38, 12))}, which failed
   * on DuckDB for amounts in the millions. Such products, and so STDDEV and VAR over
   * DECIMAL, run in Junction; products that fit (DECIMAL(10,2) by DECIMAL(10,2)) are
   * pushed.
   */
  @Override public boolean supportsCall(RexCall call) {
    if (call.getKind() == SqlKind.TIMES && call.getOperands().size() == 2) {
      RelDataType left = call.getOperands().get(0).getType();
      RelDataType right = call.getOperands().get(1).getType();
      if (left.getSqlTypeName() == SqlTypeName.DECIMAL
          && right.getSqlTypeName() == SqlTypeName.DECIMAL) {
        int operandIntegerDigits = left.getPrecision() - left.getScale()
            + right.getPrecision() - right.getScale();
        int productIntegerDigits = Math.min(Decimals.MAX_PRECISION,
            left.getPrecision() + right.getPrecision()) - left.getScale() - right.getScale();
        if (productIntegerDigits < operandIntegerDigits) {
          return false;
        }
      }
    }
    return supportsOperator(call.getOperator());
  }
}
