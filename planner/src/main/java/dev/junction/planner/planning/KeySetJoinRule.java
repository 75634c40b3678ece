package dev.junction.planner.planning;

import dev.junction.spi.RemoteStatement;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.List;

/**
 * Plans a {@link KeySetJoin} for an equi-join (inner, left, semi or anti) whose left input
 * is estimated small ({@link #MAX_OUTER_ROWS}) and whose right input is one statement of
 * another source, {@link KeyPushdownJoinRule#MIN_RATIO} times larger, that takes its key
 * columns as array parameters. Where the right source takes no arrays (MariaDB, SQLite),
 * {@link KeyPushdownJoinRule}'s batches apply instead.
 */
public final class KeySetJoinRule extends RelOptRule {
  /**
   * Largest estimated outer input whose keys are sent; below it the cost decides. One
   * array of 100,000 keys took DuckDB 122 ms and PostgreSQL (as a semi join) 196 ms for
   * 50,000 against 600,000 rows, while a key the array removes saves moving a row. The
   * outer input is held whole either way, as a hash join holds its build side. At 200,000,
   * TPC-H SF 1 fell back to reading whole tables where estimates were large: Q18 read all
   * 1.5 million orders for 57 keys (4.6 s; 0.2 s with the keys), Q5 6.2 million rows
   * (5.3 s; 1.1 million rows and 1.3 s with the keys).
   */
  public static final double MAX_OUTER_ROWS = 2_000_000;

  /**
   * How much larger than the outer input the inner input must be estimated. Lower than
   * {@link KeyPushdownJoinRule#MIN_RATIO}: the keys cost one statement, not one per batch,
   * and the cost model weighs the rows they save against the outer rows read first.
   */
  public static final double MIN_RATIO = 2;

  /** The rule instance. */
  public static final KeySetJoinRule INSTANCE = new KeySetJoinRule();

  private KeySetJoinRule() {
    super(operand(LogicalJoin.class, any()), "KeySetJoinRule");
  }

  /**
   * Builds the keyed statement once, here: a {@code matches} that built it too (to answer
   * yes or no) did the estimates and the keyed plan node twice per join.
   */
  @Override public void onMatch(RelOptRuleCall call) {
    Join join = call.rel(0);
    RelNode keyed = keyed(join, call.getMetadataQuery());
    if (keyed == null) {
      return;
    }
    RelNode left = convert(join.getLeft(),
        join.getLeft().getTraitSet().replace(EnumerableConvention.INSTANCE));
    call.transformTo(new KeySetJoin(join.getCluster(),
        join.getTraitSet().replace(EnumerableConvention.INSTANCE), left, keyed,
        join.getCondition(), join.getJoinType()));
  }

  /**
   * The right input of {@code join} as a statement keyed by the right keys, or null when
   * the rule does not apply.
   */
  static RelNode keyed(Join join, RelMetadataQuery mq) {
    JoinRelType type = join.getJoinType();
    if (type != JoinRelType.INNER && type != JoinRelType.LEFT && type != JoinRelType.SEMI
        && type != JoinRelType.ANTI) {
      return null;
    }
    JoinInfo info = join.analyzeCondition();
    if (info.leftKeys.isEmpty() || info.nullExclusionFlags.contains(false)
        || !KeyPushdownJoinRule.keysPushable(mq, join, join.getLeft(), join.getRight(),
            MAX_OUTER_ROWS, MIN_RATIO)) {
      return null;
    }
    return keyedStatement(join.getLeft(), join.getRight(), info, mq, mq.getRowCount(join));
  }

  /**
   * The largest share of the inner statement's estimated rows its keyed form may keep.
   * Keys that filter out almost nothing still cost their wait: the inner statement starts
   * only once the outer input is read whole, where a hash join reads both at once (parallel
   * reads) and moves the same rows. TPC-H Q14 at SF 1 sent all 200,000 part keys to DuckDB
   * for the month's lineitem rows, each of which has its part: 407 ms, against 357 ms for
   * stock Calcite's hash join.
   */
  static final double MAX_KEPT_SHARE = 0.8;

  /**
   * {@code input}'s remote statement keyed by {@code info}'s right keys, or null when it
   * has none or its source takes no array of one of the keys' types. It is estimated to
   * return no more rows than the join, estimated at {@code joinRows} (unless null), nor
   * than its rows times the share of its keys' distinct values that {@code outer}'s
   * distinct keys can match. That second bound matters while planning: Calcite sees
   * neither uniqueness nor the share of a table kept through a set of equivalent plans,
   * so the join of one customer segment's orders (PostgreSQL) with lineitem was estimated
   * at more rows than lineitem, and lost to a hash join that read lineitem whole (TPC-H
   * Q3: 340,000 rows fetched against 40,000).
   */
  private static RelNode keyedStatement(RelNode outer, RelNode input, JoinInfo info,
      RelMetadataQuery mq, Double joinRows) {
    RemoteStatement statement = statementOf(input);
    if (statement == null) {
      return null;
    }
    Double inputRows = mq.getRowCount(input);
    double rows = inputRows == null ? 1 : inputRows;
    if (joinRows != null) {
      rows = Math.min(rows, joinRows);
    }
    Double outerKeys = distinct(outer, info.leftKeys, mq);
    Double inputKeys = distinct(input, info.rightKeys, mq);
    if (inputRows != null && outerKeys != null && inputKeys != null && inputKeys >= 1) {
      rows = Math.min(rows, inputRows * Math.min(1, outerKeys / inputKeys));
    }
    if (inputRows != null && rows > MAX_KEPT_SHARE * inputRows) {
      return null;
    }
    return statement.keyedBy(info.rightKeys, Math.max(1, rows));
  }

  /** The distinct values of {@code keys} in {@code rel}, at most its rows, or null. */
  private static Double distinct(RelNode rel, List<Integer> keys, RelMetadataQuery mq) {
    Double rows = mq.getRowCount(rel);
    Double distinct = mq.getDistinctRowCount(rel, ImmutableBitSet.of(keys), null);
    if (distinct == null) {
      return rows;
    }
    return rows == null ? distinct : Math.min(rows, distinct);
  }

  /**
   * Whether {@code input} is a remote statement whose source takes {@code info}'s right
   * keys as arrays: then a key-set join, not key batches, is how its keys are sent.
   */
  static boolean takesKeyArrays(RelNode input, JoinInfo info) {
    RemoteStatement statement = statementOf(input);
    return statement != null && statement.takesKeyArrays(info.rightKeys);
  }

  /** The remote statement {@code rel} is, or that its set of equivalent plans holds. */
  static RemoteStatement statementOf(RelNode rel) {
    if (rel instanceof RemoteStatement statement) {
      return statement;
    }
    if (rel instanceof RelSubset subset) {
      for (RelNode member : subset.getRelList()) {
        if (member instanceof RemoteStatement statement) {
          return statement;
        }
      }
    }
    return null;
  }
}
