package dev.junction.adapters.sqlite;

import dev.junction.adapters.jdbc.PushdownDialect;
import dev.junction.adapters.jdbc.SqlQuoting;

import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDateLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SqliteSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.List;
import java.util.Map;

/**
 * Calcite's SQLite dialect with the corrections the conformance battery found:
 *
 * <ul>
 * <li>the SQLite version is stated. Calcite's dialect without one assumes no join type
 * is supported, so not even an inner join between two tables of one file was pushed.
 * The bundled sqlite-jdbc ships SQLite 3.46 or later, which has RIGHT and FULL joins
 * (3.39);</li>
 * <li>dates and timestamps are ISO-8601 text in SQLite (see
 * {@link SqliteAdapter#mapType}): DATE and TIMESTAMP literals are written as text,
 * {@code EXTRACT} with {@code strftime}, {@code FLOOR(x TO MONTH|YEAR|DAY)} with
 * {@code date(x, 'start of month')} and {@code CAST(x AS DATE)} with {@code date(x)}.
 * SQLite's own CAST took the leading number of the text, so the date of
 * {@code '2024-03-01 12:00:00'} came back as 1970-01-01;</li>
 * <li>no character-set clauses in casts; string literals standard ({@code '} doubled,
 * as SQLite reads them; its LIKE has no default escape, as in Junction) without Calcite's
 * {@code _UTF-16LE} prefix. A string with NUL, which ends SQLite's SQL text, and
 * {@code SIMILAR TO}, which SQLite lacks, stay in Junction;</li>
 * <li>functions SQLite lacks ({@code INITCAP}) run in Junction.</li>
 * </ul>
 */
final class SqliteDialect extends SqliteSqlDialect implements PushdownDialect {
  /** The oldest SQLite this dialect writes for: RIGHT and FULL joins arrived in 3.39. */
  static final int MAJOR_VERSION = 3;
  static final int MINOR_VERSION = 39;

  static final SqliteDialect INSTANCE = new SqliteDialect();

  /** strftime formats of the EXTRACT units SQLite can compute. */
  private static final Map<TimeUnitRange, String> STRFTIME = Map.of(TimeUnitRange.YEAR, "%Y",
      TimeUnitRange.MONTH, "%m", TimeUnitRange.DAY, "%d", TimeUnitRange.HOUR, "%H",
      TimeUnitRange.MINUTE, "%M", TimeUnitRange.SECOND, "%S", TimeUnitRange.DOY, "%j");
  /** date() modifiers truncating to a unit. */
  private static final Map<TimeUnitRange, String> START_OF = Map.of(TimeUnitRange.YEAR,
      "start of year", TimeUnitRange.MONTH, "start of month", TimeUnitRange.DAY, "start of day");

  private SqliteDialect() {
    super(SqliteSqlDialect.DEFAULT_CONTEXT
        .withDatabaseMajorVersion(MAJOR_VERSION)
        .withDatabaseMinorVersion(MINOR_VERSION));
  }

  /**
   * An aggregate over another's result is written as a derived table: the source rejects
   * {@code MAX(SUM(x))} in one SELECT ("aggregate function calls cannot be nested").
   */
  @Override public boolean supportsNestedAggregations() {
    return false;
  }

  @Override public boolean supportsCharSet() {
    return false;
  }

  /**
   * No: {@code GROUP BY 0} and {@code ORDER BY 0} name a column by its ordinal in SQLite, so
   * a constant key Calcite keeps (from {@code SELECT DISTINCT 0 AS c ...}, or an ORDER BY
   * over a constant alias) failed with "1st GROUP BY term out of range". Saying so makes
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

  /** SQLite has no {@code INITCAP}, and no quantified comparison ({@code x < ALL (..)}). */
  @Override public boolean supportsOperator(SqlOperator operator) {
    return operator != SqlStdOperatorTable.INITCAP && operator.getKind() != SqlKind.SIMILAR
        && operator.getKind() != SqlKind.SOME && operator.getKind() != SqlKind.ALL;
  }

  /**
   * A division whose result is not an integer is computed in floating point: SQLite keeps
   * a DECIMAL that holds a whole number as an INTEGER, and divides two integers as
   * integers, so {@code CAST(SUM(g) AS DECIMAL(19, 12)) / COUNT(*)} (Calcite's AVG) gave 1
   * for 1.5.
   */
  @Override public RexNode rewriteCall(RexBuilder rexBuilder, RexCall call) {
    if (call.getKind() == SqlKind.DIVIDE && !SqlTypeUtil.isIntType(call.getType())) {
      RexNode left = call.getOperands().get(0);
      RexNode real = rexBuilder.makeAbstractCast(rexBuilder.getTypeFactory()
          .createTypeWithNullability(rexBuilder.getTypeFactory()
              .createSqlType(SqlTypeName.DOUBLE), left.getType().isNullable()), left, false);
      return call.clone(call.getType(), List.of(real, call.getOperands().get(1)));
    }
    return call;
  }

  /** Casts from text stay in Junction ({@link PushdownDialect#isCastFromText}). */
  @Override public boolean supportsCall(RexCall call) {
    return !PushdownDialect.isCastFromText(call) && supportsOperator(call.getOperator());
  }

  @Override public void quoteStringLiteral(StringBuilder buf, String charsetName,
      String val) {
    SqlQuoting.appendStandardLiteral(buf, val, "SQLite");
  }

  @Override public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
    SqlQuoting.appendIdentifier(buf, val, '"', "SQLite");
    return buf;
  }

  @Override public void unparseDateTimeLiteral(SqlWriter writer,
      SqlAbstractDateTimeLiteral literal, int leftPrec, int rightPrec) {
    if (literal instanceof SqlDateLiteral || literal instanceof SqlTimestampLiteral) {
      writer.literal("'" + literal.toFormattedString() + "'");
    } else {
      super.unparseDateTimeLiteral(writer, literal, leftPrec, rightPrec);
    }
  }

  /**
   * The time unit of EXTRACT or FLOOR: a qualifier when parsed from SQL, a flag literal
   * when generated from a plan.
   */
  private static TimeUnitRange unit(SqlNode node) {
    return node instanceof SqlIntervalQualifier q ? q.timeUnitRange
        : ((SqlLiteral) node).getValueAs(TimeUnitRange.class);
  }

  /**
   * Never: Calcite would drop the CAST from {@code CAST(text AS INTEGER) = 1}, trusting
   * the database to convert, but SQLite compares a TEXT value with an INTEGER by storage
   * class (text is always greater), so {@code '1' = 1} is false and the filter matched
   * no rows.
   */
  @Override public boolean supportsImplicitTypeCoercion(RexCall call) {
    return false;
  }

  @Override public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec,
      int rightPrec) {
    switch (call.getKind()) {
      case EXTRACT -> {
        String format = STRFTIME.get(unit(call.operand(0)));
        if (format != null) {
          writer.print("CAST(strftime('" + format + "', ");
          call.operand(1).unparse(writer, 0, 0);
          writer.print(") AS INTEGER)");
          return;
        }
      }
      case FLOOR -> {
        if (call.operandCount() == 2) {
          String modifier = START_OF.get(unit(call.operand(1)));
          if (modifier != null) {
            writer.print("date(");
            call.operand(0).unparse(writer, 0, 0);
            writer.print(", '" + modifier + "')");
            return;
          }
        }
      }
      case CAST -> {
        if (call.operand(1) instanceof SqlDataTypeSpec spec
            && spec.getTypeName().isSimple()
            && spec.getTypeName().getSimple().equalsIgnoreCase("DATE")) {
          writer.print("date(");
          call.operand(0).unparse(writer, 0, 0);
          writer.print(")");
          return;
        }
      }
      default -> {
      }
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
