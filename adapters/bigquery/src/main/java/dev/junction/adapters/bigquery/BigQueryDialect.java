package dev.junction.adapters.bigquery;

import dev.junction.adapters.jdbc.DecimalTypeSystem;
import dev.junction.adapters.jdbc.PushdownDialect;
import dev.junction.adapters.jdbc.SqlQuoting;
import dev.junction.spi.Decimals;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.BigQuerySqlDialect;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.EnumSet;
import java.util.Locale;

/**
 * Calcite's BigQuery dialect (GoogleSQL) with the corrections Junction needs:
 *
 * <ul>
 * <li>string literals and quoted identifiers escape {@code \} as well as the quote:
 * GoogleSQL reads {@code \'} as an escaped quote, and Calcite 1.42 escaped only the quote,
 * so a literal ending in a backslash let the text after it run as SQL in BigQuery (the
 * MySQL rule of issue 7, {@code InjectionIT}). Control characters are written as
 * {@code \xHH}, since a quoted string cannot hold a raw line break; a string with NUL
 * stays in Junction;</li>
 * <li>{@code LIKE}: GoogleSQL has no {@code ESCAPE} clause and reads {@code \} in a
 * pattern as an escape, so a pattern's backslashes are doubled (in the literal, or with
 * {@code REPLACE} around an expression) and a LIKE with an ESCAPE clause runs in
 * Junction;</li>
 * <li>datetime literals and casts follow BigQuery's two types: Junction's TIMESTAMP is
 * BigQuery's zone-less {@code DATETIME} and Junction's TIMESTAMP WITH LOCAL TIME ZONE is
 * BigQuery's {@code TIMESTAMP} (an instant, written in UTC);</li>
 * <li>{@code FLOOR(d TO MONTH)}, which Calcite writes as it is and GoogleSQL lacks, is
 * {@code DATE_TRUNC(d, MONTH)} ({@code DATETIME_TRUNC}, {@code TIMESTAMP_TRUNC} for the
 * other two types); weeks and {@code CEIL} run in Junction;</li>
 * <li>integer division, which GoogleSQL's {@code /} computes as FLOAT64
 * ({@code 7 / 2 = 3.5}), is {@code DIV(a, b)}, truncated toward zero as in Junction;</li>
 * <li>{@code SIMILAR TO} and {@code INITCAP}, which GoogleSQL lacks or computes
 * differently, run in Junction;</li>
 * <li>DECIMAL casts are NUMERIC up to 29 integer digits and 9 fractional ones, BIGNUMERIC
 * beyond.</li>
 * </ul>
 */
final class BigQueryDialect extends BigQuerySqlDialect implements PushdownDialect {
  static final BigQueryDialect INSTANCE = new BigQueryDialect();

  private static final String SOURCE = "BigQuery";
  /** NUMERIC's precision and scale; wider or finer decimals are BIGNUMERIC. */
  static final int NUMERIC_PRECISION = 38;
  static final int NUMERIC_SCALE = 9;

  private BigQueryDialect() {
    super(BigQuerySqlDialect.DEFAULT_CONTEXT
        .withDataTypeSystem(DecimalTypeSystem.of(Decimals.MAX_PRECISION, NUMERIC_SCALE)));
  }

  @Override public RelDataTypeSystem getTypeSystem() {
    return DecimalTypeSystem.of(Decimals.MAX_PRECISION, NUMERIC_SCALE);
  }

  @Override public boolean supportsCharSet() {
    return false;
  }

  /**
   * No: {@code GROUP BY 1} and {@code ORDER BY 1} name a column by its ordinal in
   * GoogleSQL, so a constant key must not be written as a literal.
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

  /**
   * A LIKE with an ESCAPE clause, which GoogleSQL cannot write, too; casts from text fail on bad
   * input in BigQuery as in Junction and are sent.
   */
  @Override public boolean supportsCall(RexCall call) {
    if (call.getKind() == SqlKind.LIKE && call.getOperands().size() == 3) {
      return false;
    }
    if ((call.getKind() == SqlKind.FLOOR || call.getKind() == SqlKind.CEIL)
        && call.getOperands().size() == 2) {
      // Calcite writes FLOOR(d TO MONTH), which GoogleSQL lacks: a FLOOR is rewritten as
      // DATE_TRUNC(d, MONTH) (rewriteCall), a CEIL stays in Junction.
      return call.getKind() == SqlKind.FLOOR && truncation(call) != null;
    }
    return supportsOperator(call.getOperator());
  }

  /** {@code FLOOR(d TO unit)} as GoogleSQL's {@code DATE_TRUNC(d, unit)} and its kin. */
  @Override public RexNode rewriteCall(RexBuilder rexBuilder, RexCall call) {
    if (isIntegerDivision(call)) {
      return rexBuilder.makeCall(call.getType(), DIV, call.getOperands());
    }
    if (call.getKind() == SqlKind.FLOOR && call.getOperands().size() == 2) {
      SqlFunction trunc = truncation(call);
      if (trunc != null) {
        return rexBuilder.makeCall(call.getType(), trunc, call.getOperands());
      }
    }
    return call;
  }

  /**
   * The GoogleSQL function that truncates the first operand of {@code FLOOR(x TO unit)}
   * as Calcite does, or null: DATE_TRUNC, DATETIME_TRUNC or TIMESTAMP_TRUNC (in UTC, as
   * Junction holds such values) to a year, quarter, month or day, or for the two with a
   * time, an hour, minute or second. Weeks start on different days and stay in Junction.
   */
  private static SqlFunction truncation(RexCall call) {
    if (!(call.getOperands().get(1) instanceof RexLiteral unit)
        || !(unit.getValue() instanceof TimeUnitRange range)) {
      return null;
    }
    SqlTypeName type = call.getOperands().get(0).getType().getSqlTypeName();
    boolean dateUnit = EnumSet.of(TimeUnitRange.YEAR, TimeUnitRange.QUARTER,
        TimeUnitRange.MONTH, TimeUnitRange.DAY).contains(range);
    boolean timeUnit = EnumSet.of(TimeUnitRange.HOUR, TimeUnitRange.MINUTE,
        TimeUnitRange.SECOND).contains(range);
    return switch (type) {
      case DATE -> dateUnit ? DATE_TRUNC : null;
      case TIMESTAMP -> dateUnit || timeUnit ? DATETIME_TRUNC : null;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> dateUnit || timeUnit ? TIMESTAMP_TRUNC : null;
      default -> null;
    };
  }

  /**
   * Whether a call divides integers: Calcite truncates the quotient toward zero, GoogleSQL's
   * {@code /} computes a FLOAT64 ({@code 7 / 2 = 3.5}) and its {@code DIV} truncates.
   */
  private static boolean isIntegerDivision(RexCall call) {
    return call.getKind() == SqlKind.DIVIDE && call.getOperands().stream()
        .allMatch(o -> SqlTypeUtil.isIntType(o.getType()));
  }

  /** GoogleSQL's integer division, printed as {@code DIV(a, b)}; never evaluated here. */
  private static final SqlFunction DIV = new SqlFunction("DIV", SqlKind.OTHER_FUNCTION,
      ReturnTypes.ARG0_NULLABLE, null, OperandTypes.ANY_ANY, SqlFunctionCategory.NUMERIC);

  private static final SqlFunction DATE_TRUNC = truncFunction("DATE_TRUNC");
  private static final SqlFunction DATETIME_TRUNC = truncFunction("DATETIME_TRUNC");
  private static final SqlFunction TIMESTAMP_TRUNC = truncFunction("TIMESTAMP_TRUNC");

  /** A GoogleSQL truncation, printed as {@code NAME(x, UNIT)}; never evaluated here. */
  private static SqlFunction truncFunction(String name) {
    return new SqlFunction(name, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_NULLABLE, null,
        OperandTypes.ANY_ANY, SqlFunctionCategory.TIMEDATE);
  }

  @Override public void quoteStringLiteral(StringBuilder buf, String charsetName,
      String val) {
    appendLiteral(buf, val, '\'');
  }

  @Override public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
    appendLiteral(buf, val, '`');
    return buf;
  }

  /**
   * {@code value} between {@code quote}s as GoogleSQL reads a quoted string or
   * identifier: the quote and {@code \} escaped with {@code \}, control characters as
   * {@code \xHH}, everything else as itself.
   */
  static void appendLiteral(StringBuilder buf, String value, char quote) {
    if (!SqlQuoting.isWritable(value, false)) {
      // Let the shared check name the character and its position.
      SqlQuoting.appendStandardLiteral(new StringBuilder(), value, SOURCE);
    }
    buf.append(quote);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == quote || c == '\\') {
        buf.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        buf.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        buf.append(c);
      }
    }
    buf.append(quote);
  }

  /**
   * TIMESTAMP literals are BigQuery DATETIME; TIMESTAMP WITH LOCAL TIME ZONE literals,
   * which Calcite holds in UTC, are BigQuery TIMESTAMP in UTC.
   */
  @Override public void unparseDateTimeLiteral(SqlWriter writer,
      SqlAbstractDateTimeLiteral literal, int leftPrec, int rightPrec) {
    switch (literal.getTypeName()) {
      case TIMESTAMP -> writer.literal("DATETIME '" + literal.toFormattedString() + "'");
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
          writer.literal("TIMESTAMP '" + literal.toFormattedString() + "+00'");
      default -> super.unparseDateTimeLiteral(writer, literal, leftPrec, rightPrec);
    }
  }

  @Override public SqlNode getCastSpec(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case TIMESTAMP -> spec("DATETIME", SqlTypeName.TIMESTAMP);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
          spec("TIMESTAMP", SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE);
      case DECIMAL -> type.getScale() <= NUMERIC_SCALE
          && type.getPrecision() - type.getScale() <= NUMERIC_PRECISION - NUMERIC_SCALE
          ? spec("NUMERIC", SqlTypeName.DECIMAL) : spec("BIGNUMERIC", SqlTypeName.DECIMAL);
      default -> super.getCastSpec(type);
    };
  }

  private static SqlNode spec(String name, SqlTypeName type) {
    return new SqlDataTypeSpec(new SqlAlienSystemTypeNameSpec(name, type, SqlParserPos.ZERO),
        SqlParserPos.ZERO);
  }

  @Override public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec,
      int rightPrec) {
    if (call.getOperator() instanceof SqlLikeOperator && call.getKind() == SqlKind.LIKE
        && call.operandCount() == 2) {
      super.unparseCall(writer, call.getOperator().createCall(call.getFunctionQuantifier(),
          call.getParserPosition(), call.operand(0), backslashesEscaped(call.operand(1))),
          leftPrec, rightPrec);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /** A LIKE pattern for GoogleSQL, where {@code \} escapes: each backslash doubled. */
  private static SqlNode backslashesEscaped(SqlNode pattern) {
    if (pattern instanceof SqlCharStringLiteral literal) {
      String value = literal.getValueAs(String.class);
      return SqlLiteral.createCharString(value.replace("\\", "\\\\"), SqlParserPos.ZERO);
    }
    return SqlStdOperatorTable.REPLACE.createCall(SqlParserPos.ZERO, pattern,
        SqlLiteral.createCharString("\\", SqlParserPos.ZERO),
        SqlLiteral.createCharString("\\\\", SqlParserPos.ZERO));
  }
}
