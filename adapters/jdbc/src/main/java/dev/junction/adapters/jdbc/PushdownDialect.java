package dev.junction.adapters.jdbc;

import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;

import com.google.common.collect.Range;

/**
 * Implemented by an adapter's dialect to say which functions and operators its source
 * lacks. An expression using one is never sent to the source: the planner keeps the
 * filter, projection or join that holds it in Junction, over the rows the source returns.
 * A dialect that can rewrite a call into the source's own SQL does so in
 * {@code unparseCall} instead, and keeps answering {@code true} here.
 */
public interface PushdownDialect {
  /** Whether the source evaluates {@code operator} with Calcite's semantics. */
  boolean supportsOperator(SqlOperator operator);

  /**
   * Whether the source evaluates this call with Calcite's semantics and result type. By
   * default, whether it supports the operator; a dialect overrides this where the answer
   * depends on the operands' types.
   */
  default boolean supportsCall(RexCall call) {
    return supportsOperator(call.getOperator());
  }

  /**
   * The call as the source should receive it: a dialect rewrites a call its source would
   * compute differently into one it computes as Junction does (called bottom up, just
   * before the SQL is printed; the result keeps the call's type). By default, unchanged.
   */
  default RexNode rewriteCall(RexBuilder rexBuilder, RexCall call) {
    return call;
  }

  /**
   * The call as the source receives it in the statement's optimistic form: a cheaper form
   * that means the same wherever the source computes it, but may fail where the exact
   * form ({@link #rewriteCall}) would not (a DuckDB DECIMAL product kept in 64 bits
   * overflows where the widened one does not). Junction sends the optimistic form only
   * where such a failure surfaces before the first row (below a sort or aggregate at the
   * statement's root), and on a failure matching {@link #optimisticFailure} sends the exact
   * form instead. By default the same as {@link #rewriteCall}.
   */
  default RexNode rewriteCallOptimistic(RexBuilder rexBuilder, RexCall call) {
    return rewriteCall(rexBuilder, call);
  }

  /**
   * A regular expression matching the message of an error the optimistic form may raise
   * where the exact form would not, or null when the dialect has no optimistic form.
   */
  default String optimisticFailure() {
    return null;
  }

  /**
   * A statement to run on the connection before a statement whose result the source
   * computes whole before its first row (one that ends in an aggregate or a sort), or
   * whose result is estimated small enough to compute whole
   * ({@code SourceStatement#MATERIALIZED_MAX_VALUES}), or null. DuckDB's is
   * {@code SET jdbc_stream_results = false}: streaming such a result gains no memory,
   * replaces the source's error messages by "Invalid result set", and scans with less
   * parallelism. The
   * connection must be the statement's own (DuckDB hands out a duplicate connection per
   * statement), so the setting reaches no other statement.
   */
  default String wholeResultSession() {
    return null;
  }

  /**
   * Whether the source's planner derives per-side restrictions from an {@code OR} in a
   * join's condition by itself ({@link dev.junction.spi.SourcePushdown#derivesJoinDisjunctions}).
   * False by default.
   */
  default boolean derivesJoinDisjunctions() {
    return false;
  }

  /**
   * Whether the source compares character strings by their characters, as Junction does
   * ({@link dev.junction.spi.SourcePushdown#comparesStringsExactly}). False by default.
   */
  default boolean comparesStringsExactly() {
    return false;
  }

  /**
   * The element type name ({@link java.sql.Connection#createArrayOf}) under which the
   * source takes a set of values of a key column of this type as one array parameter, or
   * null when it takes none; a join then sends the keys of its small side in batches of
   * {@code IN} lists instead of as one statement. None by default.
   */
  default String keyArrayType(SqlTypeName type) {
    return null;
  }

  /**
   * Writes "{@code column} is one of the array {@code parameter}" ({@link KeySetOperator}):
   * {@code column = ANY(?)}. DuckDB hashes the list (10 keys against 600,000 rows: 1.7 ms;
   * 100,000 keys: 122 ms, as fast as a semi join with {@code unnest}). PostgreSQL plans it
   * with the array's elements when the plan is made for the bound value (its adapter
   * forces such custom plans): a hashed filter over a scan, or an index scan over the
   * sorted keys, each estimated from the real number of keys. A semi join
   * {@code IN (SELECT unnest(?))} is estimated at 200 keys whatever their number, and
   * 300,000 keys into TPC-H SF 1 orders became 300,000 index probes: 3.4 s, against 1.2 s
   * for {@code = ANY(?)}.
   */
  default void unparseKeyIn(SqlWriter writer, SqlNode column, SqlNode parameter) {
    column.unparse(writer, 0, 0);
    writer.print("= ANY(");
    parameter.unparse(writer, 0, 0);
    writer.print(")");
  }

  /**
   * Whether the source's SQL can carry this literal with its exact value. A literal it
   * cannot (a string with NUL for a source whose strings cannot hold one) keeps the
   * expression holding it in Junction. By default, any literal whose text
   * {@link SqlQuoting#isWritable} without NUL.
   */
  default boolean supportsLiteral(RexLiteral literal) {
    return textsWritable(literal, false);
  }

  /**
   * Whether {@code call} converts text to a number, date, time or boolean. PostgreSQL and
   * DuckDB fail on text that is no such value, as Junction does; MariaDB and SQLite read
   * {@code 'x'} as 0 (or NULL) instead, so their dialects keep such casts in Junction.
   */
  static boolean isCastFromText(RexCall call) {
    return call.getKind() == SqlKind.CAST
        && SqlTypeUtil.isCharacter(call.getOperands().get(0).getType())
        && !SqlTypeUtil.isCharacter(call.getType());
  }

  /**
   * Whether every string a literal holds (its value, or the bounds of a search argument,
   * which is how {@code IN} lists arrive) {@link SqlQuoting#isWritable}.
   */
  static boolean textsWritable(RexLiteral literal, boolean nulAllowed) {
    Object value = literal.getValue();
    if (value instanceof NlsString s) {
      return SqlQuoting.isWritable(s.getValue(), nulAllowed);
    }
    if (value instanceof Sarg<?> sarg) {
      for (Range<?> range : sarg.rangeSet.asRanges()) {
        if (range.hasLowerBound() && range.lowerEndpoint() instanceof NlsString s
            && !SqlQuoting.isWritable(s.getValue(), nulAllowed)) {
          return false;
        }
        if (range.hasUpperBound() && range.upperEndpoint() instanceof NlsString s
            && !SqlQuoting.isWritable(s.getValue(), nulAllowed)) {
          return false;
        }
      }
    }
    return true;
  }
}
