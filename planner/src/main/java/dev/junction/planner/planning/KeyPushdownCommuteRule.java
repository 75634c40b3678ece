package dev.junction.planner.planning;

import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.JoinCommuteRule;

/**
 * Offers the planner an inner join (or a right join, which becomes a left join) with its
 * inputs swapped when the small input is on the right, so that {@link KeyPushdownJoinRule}
 * or {@link KeySetJoinRule}, which send the left (outer) input's keys to the right, can
 * apply. Without it, TPC-H Q11 (partsupp and supplier in MariaDB, then
 * {@code nation} in DuckDB, one row) read all of partsupp: the FROM clause put the one
 * nation row on the right, and Junction's planner has no general join commutation (it
 * would multiply the search space for every join). Fires only where the small input is
 * estimated to fit one batch ({@link KeyPushdownJoinRule#BATCH_SIZE} keys): at TPC-H SF 1,
 * letting it swap up to the key pushdown's own bound put 10,000 suppliers in front of
 * DuckDB's lineitem in Q7, 41 statements each scanning lineitem whole (34 s against 5 s),
 * since a source without an index on the key scans as much for a batch as for all rows.
 * Where the big side takes its keys as one array ({@link KeySetJoinRule}), that costs one
 * statement, and the small side may be as large as that rule allows.
 */
public final class KeyPushdownCommuteRule extends RelOptRule {
  /** The rule instance. */
  public static final KeyPushdownCommuteRule INSTANCE = new KeyPushdownCommuteRule();

  private KeyPushdownCommuteRule() {
    super(operand(LogicalJoin.class, any()), "KeyPushdownCommuteRule");
  }

  @Override public boolean matches(RelOptRuleCall call) {
    LogicalJoin join = call.rel(0);
    // A right join swapped is a left join whose preserved input is the small one: its keys
    // may still restrict the other input (TPC-H Q20: 760 part-supplier pairs against a
    // year of lineitem, read whole before).
    if (join.getJoinType() != JoinRelType.INNER && join.getJoinType() != JoinRelType.RIGHT) {
      return false;
    }
    RelMetadataQuery mq = call.getMetadataQuery();
    JoinInfo info = join.analyzeCondition();
    JoinInfo swapped = JoinInfo.of(info.rightKeys, info.leftKeys);
    if (!KeySetJoinRule.takesKeyArrays(join.getLeft(), swapped)) {
      return KeyPushdownJoinRule.keysPushable(mq, join, join.getRight(), join.getLeft(),
          KeyPushdownJoinRule.BATCH_SIZE);
    }
    // Keys sent as one array cost one statement however many there are.
    return KeyPushdownJoinRule.keysPushable(mq, join, join.getRight(), join.getLeft(),
        KeySetJoinRule.MAX_OUTER_ROWS, KeySetJoinRule.MIN_RATIO);
  }

  @Override public void onMatch(RelOptRuleCall call) {
    LogicalJoin join = call.rel(0);
    RelNode swapped = JoinCommuteRule.swap(join, join.getJoinType() == JoinRelType.RIGHT,
        call.builder());
    if (swapped != null) {
      call.transformTo(swapped);
    }
  }
}
