package dev.junction.adapters.snowflake;

import dev.junction.adapters.jdbc.DecimalTypeSystem;
import dev.junction.adapters.jdbc.PushdownDialect;
import dev.junction.adapters.jdbc.SqlQuoting;
import dev.junction.spi.Decimals;

import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SnowflakeSqlDialect;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Calcite's Snowflake dialect with the corrections the conformance battery and
 * Snowflake's manual call for:
 *
 * <ul>
 * <li>string literals escape {@code \} as well as {@code '}: Snowflake reads {@code \'}
 * inside {@code '...'} as an escaped quote and {@code \x} as {@code x}, so a literal ending
 * in a backslash would otherwise end later than Junction wrote it, and {@code 'a\b'} would
 * mean {@code ab}. The rules of the MySQL fix (CALCITE-7667) apply; NUL, for which the
 * manual documents no escape, keeps its expression in Junction. No {@code _UTF-16LE}
 * prefix: the value is plain Unicode text;</li>
 * <li>identifiers are always double-quoted, their quotes doubled: Snowflake folds unquoted
 * names to upper case;</li>
 * <li>every ORDER BY key says {@code NULLS FIRST} or {@code NULLS LAST}, so the account's
 * {@code DEFAULT_NULL_ORDERING} cannot reorder a pushed sort or change which rows a
 * pushed top-N keeps;</li>
 * <li>{@code LIKE} without {@code ESCAPE} is sent with {@code ESCAPE '!'} and each
 * {@code !} of the pattern doubled: in Junction (standard SQL) a pattern has no escape
 * character, whatever Snowflake's default is;</li>
 * <li>{@code TRIM(BOTH ' ' FROM x)}, which Snowflake does not parse, is written
 * {@code TRIM(x, ' ')} ({@code LTRIM}, {@code RTRIM} for one side); {@code FLOOR(x TO
 * MONTH)} is written {@code DATE_TRUNC('MONTH', x)}; {@code OFFSET} without a limit is
 * {@code LIMIT NULL OFFSET n};</li>
 * <li>a cast of a fractional number to an integer type truncates in Junction and rounds in
 * Snowflake: it is sent as {@code CAST(TRUNC(x) AS ..)}. An integer division truncates
 * in Junction and yields a fraction in Snowflake: it is sent as
 * {@code CAST((a - MOD(a, b)) / b AS ..)}, which divides exactly. A DECIMAL product is
 * sent without Calcite's widening casts of its operands, which only add fractional zeros
 * (see {@link #withoutWideningCast});</li>
 * <li>{@code x IS [NOT] TRUE} and {@code x IS [NOT] FALSE}, which Snowflake's grammar lacks,
 * are written with {@code COALESCE};</li>
 * <li>what Snowflake computes differently, or not at all, runs in Junction: casts to
 * {@code CHAR} (no blank padding in Snowflake), casts of text to a shorter {@code VARCHAR}
 * (Snowflake fails where Junction cuts), casts of dates, times, booleans and
 * floating-point numbers to text (formats differ), {@code EXTRACT} of week-based fields
 * ({@code WEEK_START} and {@code WEEK_OF_YEAR_POLICY} decide them), {@code CEIL(x TO
 * unit)}, interval arithmetic (Snowflake writes {@code INTERVAL '1 DAY'}),
 * {@code SUBSTRING} from a start below 1 or an unknown one (Snowflake counts a negative
 * start from the end), {@code INITCAP} (other word delimiters), {@code SIMILAR TO}, aggregate
 * {@code FILTER} clauses (none; Calcite rewrites them);</li>
 * <li>no character-set clause in casts; DECIMAL casts up to 38 digits, 37 fractional;
 * no nested aggregates, no {@code GROUP BY} or {@code ORDER BY} constants (Snowflake reads
 * an integer there as a column position).</li>
 * </ul>
 */
final class SnowflakeDialect extends SnowflakeSqlDialect implements PushdownDialect {
  static final SnowflakeDialect INSTANCE = new SnowflakeDialect();

  private static final String SOURCE = "Snowflake";
  /** The escape character of a LIKE pattern that had none. */
  private static final String LIKE_ESCAPE = "!";
  /** Fields {@code EXTRACT} reads the same way in Snowflake as in Junction. */
  private static final Set<TimeUnitRange> SAME_FIELDS = EnumSet.of(TimeUnitRange.YEAR,
      TimeUnitRange.QUARTER, TimeUnitRange.MONTH, TimeUnitRange.DAY, TimeUnitRange.HOUR,
      TimeUnitRange.MINUTE, TimeUnitRange.SECOND);
  /** Snowflake's {@code DATE_TRUNC('unit', x)}. */
  private static final SqlFunction DATE_TRUNC = SqlBasicFunction.create("DATE_TRUNC",
      ReturnTypes.ARG1, OperandTypes.ANY_ANY, SqlFunctionCategory.TIMEDATE);
  /** Snowflake's {@code TRUNC(x)} (also spelled TRUNCATE; TRUNC is what DuckDB reads too). */
  private static final SqlFunction TRUNC = SqlBasicFunction.create("TRUNC",
      ReturnTypes.ARG0, OperandTypes.NUMERIC, SqlFunctionCategory.NUMERIC);
  private static final Set<SqlKind> TRUTH_TESTS = EnumSet.of(SqlKind.IS_TRUE,
      SqlKind.IS_NOT_TRUE, SqlKind.IS_FALSE, SqlKind.IS_NOT_FALSE);
  private static final Set<SqlTypeName> INTEGERS = EnumSet.of(SqlTypeName.TINYINT,
      SqlTypeName.SMALLINT, SqlTypeName.INTEGER, SqlTypeName.BIGINT);

  private SnowflakeDialect() {
    super(SnowflakeSqlDialect.DEFAULT_CONTEXT
        .withDataTypeSystem(DecimalTypeSystem.of(Decimals.MAX_PRECISION, 37)));
  }

  /** Snowflake rejects {@code MAX(SUM(x))} in one SELECT; Calcite writes a derived table. */
  @Override public boolean supportsNestedAggregations() {
    return false;
  }

  @Override public boolean supportsCharSet() {
    return false;
  }

  /** Snowflake has no {@code FILTER (WHERE ..)} clause on aggregates. */
  @Override public boolean supportsAggregateFunctionFilter() {
    return false;
  }

  /** No: {@code GROUP BY 1} names a column by its position in Snowflake. */
  @Override public boolean supportsGroupByLiteral() {
    return false;
  }

  /** No: see {@link #supportsGroupByLiteral}. */
  @Override public boolean supportsOrderByLiteral() {
    return false;
  }

  /**
   * None: the account's or session's {@code DEFAULT_NULL_ORDERING} decides Snowflake's
   * default, so Calcite writes {@code NULLS FIRST} or {@code NULLS LAST} on every key.
   */
  @Override public RelFieldCollation.NullDirection defaultNullDirection(
      RelFieldCollation.Direction direction) {
    return RelFieldCollation.NullDirection.UNSPECIFIED;
  }

  @Override public boolean supportsOperator(SqlOperator operator) {
    return operator != SqlStdOperatorTable.INITCAP && operator.getKind() != SqlKind.SIMILAR
        && operator != SqlStdOperatorTable.OVERLAY;
  }

  @Override public boolean supportsCall(RexCall call) {
    for (RexNode operand : call.getOperands()) {
      if (SqlTypeUtil.isInterval(operand.getType())) {
        return false;
      }
    }
    if (SqlTypeUtil.isInterval(call.getType())) {
      return false;
    }
    switch (call.getKind()) {
      case CAST -> {
        RelDataType from = call.getOperands().get(0).getType();
        RelDataType to = call.getType();
        if (to.getSqlTypeName() == SqlTypeName.CHAR) {
          return false;
        }
        if (SqlTypeUtil.isCharacter(to) && !SqlTypeUtil.isCharacter(from)
            && !SqlTypeUtil.isExactNumeric(from)) {
          return false;
        }
        // Junction cuts text cast to a shorter VARCHAR; Snowflake fails on it instead.
        return !(SqlTypeUtil.isCharacter(to) && SqlTypeUtil.isCharacter(from)
            && to.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED
            && (from.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED
                || from.getPrecision() > to.getPrecision()));
      }
      case EXTRACT -> {
        return call.getOperands().get(0) instanceof RexLiteral unit
            && unit.getValue() instanceof TimeUnitRange range && SAME_FIELDS.contains(range);
      }
      case FLOOR, CEIL -> {
        if (call.getOperands().size() == 2) {
          return call.getKind() == SqlKind.FLOOR
              && call.getOperands().get(1) instanceof RexLiteral unit
              && unit.getValue() instanceof TimeUnitRange range && SAME_FIELDS.contains(range);
        }
        return true;
      }
      default -> {
        if (call.getOperator() == SqlStdOperatorTable.SUBSTRING) {
          return substringReadsTheSame(call);
        }
        return supportsOperator(call.getOperator());
      }
    }
  }

  /**
   * Whether Snowflake's {@code SUBSTRING(s, start, length)} returns what SQL's does: only
   * for a literal start of at least 1 and no negative literal length. Snowflake counts a
   * negative start from the end of the string and reads 0 as 1; SQL's window starts
   * before the string ({@code SUBSTRING('abc' FROM 0 FOR 2)} is {@code 'a'}), and a
   * negative length is an error in Junction but the empty string in Snowflake.
   */
  private static boolean substringReadsTheSame(RexCall call) {
    if (!(call.getOperands().get(1) instanceof RexLiteral start)
        || start.getValueAs(Long.class) == null || start.getValueAs(Long.class) < 1) {
      return false;
    }
    return call.getOperands().size() < 3
        || !(call.getOperands().get(2) instanceof RexLiteral length)
        || length.getValueAs(Long.class) != null && length.getValueAs(Long.class) >= 0;
  }

  /** Any string without NUL or an unpaired surrogate; no interval literal. */
  @Override public boolean supportsLiteral(RexLiteral literal) {
    return !SqlTypeUtil.isInterval(literal.getType())
        && PushdownDialect.textsWritable(literal, false);
  }

  /**
   * A fractional number cast to an integer type is truncated first ({@code CAST(2.7 AS
   * INTEGER)} is 2 in Junction, 3 in Snowflake), and an integer division is written so it
   * divides exactly ({@code 7 / 2} is 3 in Junction, 3.5 in Snowflake).
   */
  @Override public RexNode rewriteCall(RexBuilder rexBuilder, RexCall call) {
    if (call.getKind() == SqlKind.CAST && INTEGERS.contains(call.getType().getSqlTypeName())) {
      RexNode operand = call.getOperands().get(0);
      RelDataType from = operand.getType();
      boolean fractional = SqlTypeUtil.isApproximateNumeric(from)
          || SqlTypeUtil.isDecimal(from) && from.getScale() > 0;
      if (fractional) {
        return rexBuilder.makeAbstractCast(call.getType(),
            rexBuilder.makeCall(SqlStdOperatorTable.TRUNCATE, operand), false);
      }
    }
    if (call.getKind() == SqlKind.TIMES && call.getOperands().size() == 2
        && call.getType().getSqlTypeName() == SqlTypeName.DECIMAL) {
      RexNode left = withoutWideningCast(call.getOperands().get(0));
      RexNode right = withoutWideningCast(call.getOperands().get(1));
      if (left != call.getOperands().get(0) || right != call.getOperands().get(1)) {
        return call.clone(call.getType(), List.of(left, right));
      }
    }
    if (call.getKind() == SqlKind.DIVIDE && call.getOperands().size() == 2
        && INTEGERS.contains(call.getType().getSqlTypeName())
        && call.getOperands().stream().allMatch(o -> INTEGERS.contains(
            o.getType().getSqlTypeName()))) {
      RexNode a = call.getOperands().get(0);
      RexNode b = call.getOperands().get(1);
      RexNode exact = rexBuilder.makeCall(SqlStdOperatorTable.DIVIDE,
          rexBuilder.makeCall(SqlStdOperatorTable.MINUS, a,
              rexBuilder.makeCall(SqlStdOperatorTable.MOD, a, b)), b);
      return rexBuilder.makeAbstractCast(call.getType(), exact, false);
    }
    return call;
  }

  /**
   * The operand of a cast from one DECIMAL to a DECIMAL of at least its scale, which only
   * appends fractional zeros: Snowflake multiplies the operands exactly (NUMBER(10, 2) by
   * NUMBER(10, 2) gives NUMBER(21, 4)), while Calcite's widening to DECIMAL(38, 12) for
   * STDDEV and VAR asked for 24 fractional digits of a product.
   */
  private static RexNode withoutWideningCast(RexNode node) {
    if (node.getKind() == SqlKind.CAST && node instanceof RexCall cast) {
      RelDataType from = cast.getOperands().get(0).getType();
      RelDataType to = cast.getType();
      if (from.getSqlTypeName() == SqlTypeName.DECIMAL
          && to.getSqlTypeName() == SqlTypeName.DECIMAL && from.getScale() <= to.getScale()) {
        return cast.getOperands().get(0);
      }
    }
    return node;
  }

  @Override public void quoteStringLiteral(StringBuilder buf, String charsetName,
      String val) {
    SqlQuoting.appendBackslashLiteral(buf, val, SOURCE, false);
  }

  @Override public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
    SqlQuoting.appendIdentifier(buf, val, '"', SOURCE);
    return buf;
  }

  /** {@code LIMIT n}, {@code LIMIT n OFFSET m}, or {@code LIMIT NULL OFFSET m}. */
  @Override public void unparseOffsetFetch(SqlWriter writer, SqlNode offset, SqlNode fetch) {
    if (fetch == null && offset != null) {
      writer.newlineAndIndent();
      SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.FETCH);
      writer.keyword("LIMIT");
      writer.keyword("NULL");
      writer.endList(frame);
      writer.newlineAndIndent();
      SqlWriter.Frame offsetFrame = writer.startList(SqlWriter.FrameTypeEnum.OFFSET);
      writer.keyword("OFFSET");
      offset.unparse(writer, -1, -1);
      writer.endList(offsetFrame);
      return;
    }
    super.unparseOffsetFetch(writer, offset, fetch);
  }

  @Override public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec,
      int rightPrec) {
    if (call.getKind() == SqlKind.TRIM && call.operandCount() == 3) {
      SqlTrimFunction.Flag flag = ((SqlLiteral) call.operand(0))
          .getValueAs(SqlTrimFunction.Flag.class);
      String function = switch (flag) {
        case BOTH -> "TRIM";
        case LEADING -> "LTRIM";
        case TRAILING -> "RTRIM";
      };
      SqlWriter.Frame frame = writer.startFunCall(function);
      call.operand(2).unparse(writer, 0, 0);
      writer.sep(",");
      call.operand(1).unparse(writer, 0, 0);
      writer.endFunCall(frame);
      return;
    }
    TimeUnitRange unit = call.getKind() == SqlKind.FLOOR && call.operandCount() == 2
        ? timeUnit(call.operand(1)) : null;
    if (unit != null) {
      SqlCall truncated = DATE_TRUNC.createCall(SqlParserPos.ZERO,
          SqlLiteral.createCharString(unit.name(), SqlParserPos.ZERO), call.operand(0));
      super.unparseCall(writer, truncated, leftPrec, rightPrec);
      return;
    }
    if (call.getOperator() == SqlStdOperatorTable.TRUNCATE && call.operandCount() == 1) {
      super.unparseCall(writer, TRUNC.createCall(SqlParserPos.ZERO, (SqlNode) call.operand(0)),
          leftPrec, rightPrec);
      return;
    }
    if (TRUTH_TESTS.contains(call.getKind())) {
      // x IS [NOT] TRUE / FALSE, which Snowflake's grammar lacks: COALESCE(x, FALSE) for
      // IS TRUE, COALESCE(NOT x, TRUE) for IS NOT TRUE, COALESCE(NOT x, FALSE) for IS FALSE,
      // COALESCE(x, TRUE) for IS NOT FALSE.
      SqlKind kind = call.getKind();
      boolean not = kind == SqlKind.IS_NOT_TRUE || kind == SqlKind.IS_FALSE;
      boolean whenNull = kind == SqlKind.IS_NOT_TRUE || kind == SqlKind.IS_NOT_FALSE;
      SqlNode operand = not
          ? SqlStdOperatorTable.NOT.createCall(SqlParserPos.ZERO, (SqlNode) call.operand(0))
          : call.operand(0);
      SqlNode test = SqlStdOperatorTable.COALESCE.createCall(SqlParserPos.ZERO, operand,
          SqlLiteral.createBoolean(whenNull, SqlParserPos.ZERO));
      unparseCall(writer, (SqlCall) test, leftPrec, rightPrec);
      return;
    }
    if (call.getOperator() instanceof SqlLikeOperator && call.getKind() == SqlKind.LIKE
        && call.operandCount() == 2) {
      super.unparseCall(writer, call.getOperator().createCall(call.getFunctionQuantifier(),
          call.getParserPosition(), call.operand(0), escaped(call.operand(1)),
          SqlLiteral.createCharString(LIKE_ESCAPE, SqlParserPos.ZERO)), leftPrec, rightPrec);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /**
   * The unit of {@code FLOOR(x TO unit)}: a symbol where Calcite writes the plan as SQL, an
   * interval qualifier where it was parsed; null for the numeric FLOOR(x, n).
   */
  private static TimeUnitRange timeUnit(SqlNode node) {
    if (node instanceof SqlIntervalQualifier q) {
      return q.timeUnitRange;
    }
    if (node instanceof SqlLiteral literal && literal.getValue() instanceof TimeUnitRange r) {
      return r;
    }
    return null;
  }

  /**
   * A LIKE pattern without an escape character, rewritten for {@code ESCAPE '!'}: each
   * {@code !} doubled, in the literal itself or with {@code REPLACE} around an expression.
   */
  private static SqlNode escaped(SqlNode pattern) {
    if (pattern instanceof SqlCharStringLiteral literal) {
      String value = literal.getValueAs(String.class);
      return SqlLiteral.createCharString(value.replace(LIKE_ESCAPE, LIKE_ESCAPE + LIKE_ESCAPE),
          SqlParserPos.ZERO);
    }
    return SqlStdOperatorTable.REPLACE.createCall(SqlParserPos.ZERO, pattern,
        SqlLiteral.createCharString(LIKE_ESCAPE, SqlParserPos.ZERO),
        SqlLiteral.createCharString(LIKE_ESCAPE + LIKE_ESCAPE, SqlParserPos.ZERO));
  }
}
