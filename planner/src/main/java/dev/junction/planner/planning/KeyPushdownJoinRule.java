package dev.junction.planner.planning;

import dev.junction.spi.RemoteStatement;

import org.apache.calcite.adapter.enumerable.EnumerableBatchNestedLoopJoinRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.metadata.RelMetadataQuery;


/**
 * Joins a small input to a large one by sending the small side's join keys to the large
 * side in batches ({@code WHERE key IN (?, ?, ...)}), so the large side's source
 * filters by them instead of returning every row. This is Calcite's batch nested-loop
 * join, bounded: it applies only when the outer input is estimated at no more than
 * {@link #MAX_OUTER_ROWS} rows and the inner input at {@link #MIN_RATIO} times that
 * or more, only for an equi-join between two sources, and only when the inner input
 * reads a single source (so each batch is one remote statement, not a re-run of a local
 * plan). A join within one source is left to the source: batching its keys would turn
 * one pushed join into many statements (a non-equi self join became a nested loop of
 * 256-way ORs before this check). Calcite's cost model has no price
 * for a remote round trip; unbounded, it chose this join for TPC-H Q7 and took 9 s
 * instead of 0.5 s, and stock Calcite issued 10,000 statements (48 s) when it put the
 * big side outer. Row-count estimates come from each source's catalog statistics.
 * Where the inner source takes its keys as one array, {@link KeySetJoinRule} applies
 * instead, or nothing: batches there are never better than one statement with all keys
 * (TPC-H Q9 sent 20 batches to DuckDB, each a scan of lineitem, 17.5 s against 0.45 s).
 */
public final class KeyPushdownJoinRule extends EnumerableBatchNestedLoopJoinRule {
  /** Keys sent per remote statement. */
  public static final int BATCH_SIZE = 256;
  /** Largest estimated outer input for which keys are pushed. */
  public static final double MAX_OUTER_ROWS = 10_000;
  /** How much larger than the outer input the inner input must be estimated. */
  public static final double MIN_RATIO = 20;

  /** The rule instance. */
  public static final KeyPushdownJoinRule INSTANCE = new KeyPushdownJoinRule();

  private KeyPushdownJoinRule() {
    super(Config.DEFAULT.withDescription("KeyPushdownJoinRule").as(Config.class)
        .withBatchSize(BATCH_SIZE));
  }

  @Override public boolean matches(RelOptRuleCall call) {
    if (!super.matches(call)) {
      return false;
    }
    Join join = call.rel(0);
    return keysPushable(call.getMetadataQuery(), join, join.getLeft(), join.getRight(),
        MAX_OUTER_ROWS)
        && !KeySetJoinRule.takesKeyArrays(join.getRight(), join.analyzeCondition());
  }

  /**
   * Whether the keys of {@code small}, an input of equi-join {@code join} estimated at
   * {@code maxSmallRows} rows or fewer, are worth sending to {@code big}: {@code big} is
   * estimated {@link #MIN_RATIO} times larger and is one remote statement of another
   * source than {@code small}'s.
   */
  static boolean keysPushable(RelMetadataQuery mq, Join join, RelNode small, RelNode big,
      double maxSmallRows) {
    return keysPushable(mq, join, small, big, maxSmallRows, MIN_RATIO);
  }

  /** {@link #keysPushable}, with {@code big} at least {@code minRatio} times {@code small}. */
  static boolean keysPushable(RelMetadataQuery mq, Join join, RelNode small, RelNode big,
      double maxSmallRows, double minRatio) {
    Double outer = mq.getRowCount(small);
    Double inner = mq.getRowCount(big);
    if (outer == null || inner == null || outer > maxSmallRows || inner < outer * minRatio
        || join.analyzeCondition().leftKeys.isEmpty()) {
      return false;
    }
    Object innerSource = sourceOf(big);
    return innerSource != null && !innerSource.equals(sourceOf(small));
  }

  /**
   * The source whose remote statement {@code rel} is (in cost-based planning, a set of
   * equivalent plans that holds one), or null: the pushdown phase has already made every
   * single-source subtree one statement.
   */
  private static Object sourceOf(RelNode rel) {
    RemoteStatement statement = KeySetJoinRule.statementOf(rel);
    return statement == null ? null : statement.pushdown();
  }

}
