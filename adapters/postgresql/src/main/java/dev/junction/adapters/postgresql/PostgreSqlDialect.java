package dev.junction.adapters.postgresql;

import dev.junction.adapters.jdbc.DecimalTypeSystem;
import dev.junction.adapters.jdbc.PushdownDialect;
import dev.junction.adapters.jdbc.SqlQuoting;
import dev.junction.spi.Decimals;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Calcite's PostgreSQL dialect with the corrections Junction needs:
 *
 * <ul>
 * <li>no character-set clause in casts, and DECIMAL casts up to
 * {@link Decimals#MAX_PRECISION} digits (PostgreSQL
 * rejects {@code CHARACTER SET "ISO-8859-1"});</li>
 * <li>string literals are standard ({@code '} doubled, nothing else special), which is
 * how PostgreSQL reads them while {@code standard_conforming_strings} is on: the adapter
 * pins it at connect, whatever the server, role or the catalog's {@code options} say. No
 * {@code _UTF-16LE} prefix (Calcite writes one for {@code U&''} literals): the value is
 * plain Unicode text. PostgreSQL text cannot hold NUL, so an expression with such a
 * literal runs in Junction;</li>
 * <li>{@code LIKE} and {@code SIMILAR TO} without {@code ESCAPE} get {@code ESCAPE ''}:
 * PostgreSQL's default escape is {@code \}, standard SQL (and Junction) has none, so
 * {@code LIKE 'a\_b'} matched {@code a_b}.</li>
 * </ul>
 */
final class PostgreSqlDialect extends PostgresqlSqlDialect implements PushdownDialect {
  static final PostgreSqlDialect INSTANCE = new PostgreSqlDialect();

  private static final String SOURCE = "PostgreSQL";

  private PostgreSqlDialect() {
    super(PostgresqlSqlDialect.DEFAULT_CONTEXT
        .withDataTypeSystem(DecimalTypeSystem.of(Decimals.MAX_PRECISION,
            Decimals.MAX_PRECISION)));
  }

  /**
   * An aggregate over another's result is written as a derived table: the source rejects
   * {@code MAX(SUM(x))} in one SELECT ("aggregate function calls cannot be nested").
   */
  /**
   * PostgreSQL's planner extracts each side's restriction from an {@code OR} join condition
   * itself ({@code extract_restriction_or_clauses}) and does not see that a filter Junction
   * derived is the same one: it counted TPC-H Q19's lineitem restriction twice, estimated
   * 2,446 rows for 12,635 and probed part's key 12,635 times in a nested loop (240 ms)
   * where the query as written gets a parallel hash join (175 ms).
   */
  @Override public boolean derivesJoinDisjunctions() {
    return true;
  }

  @Override public boolean supportsNestedAggregations() {
    return false;
  }

  @Override public boolean supportsCharSet() {
    return false;
  }

  @Override public boolean supportsOperator(SqlOperator operator) {
    return true;
  }

  /**
   * Integer and {@code VARCHAR} keys travel as one array ({@code column = ANY(?)}).
   * Not {@code CHAR}: PostgreSQL compares {@code bpchar} with {@code text} after stripping
   * trailing blanks, Junction with them.
   */
  @Override public String keyArrayType(SqlTypeName type) {
    return switch (type) {
      case SMALLINT, TINYINT -> "int2";
      case INTEGER -> "int4";
      case BIGINT -> "int8";
      case VARCHAR -> "text";
      default -> null;
    };
  }

  @Override public void quoteStringLiteral(StringBuilder buf, String charsetName,
      String val) {
    SqlQuoting.appendStandardLiteral(buf, val, SOURCE);
  }

  @Override public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
    SqlQuoting.appendIdentifier(buf, val, '"', SOURCE);
    return buf;
  }

  @Override public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec,
      int rightPrec) {
    if (call.getOperator() instanceof SqlLikeOperator
        && (call.getKind() == SqlKind.LIKE || call.getKind() == SqlKind.SIMILAR)
        && call.operandCount() == 2) {
      super.unparseCall(writer, call.getOperator().createCall(call.getFunctionQuantifier(),
          call.getParserPosition(), call.operand(0), call.operand(1),
          SqlLiteral.createCharString("", SqlParserPos.ZERO)), leftPrec, rightPrec);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
