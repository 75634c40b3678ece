package dev.junction.planner.planning;

import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableProject;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;

/**
 * Puts the smaller input of each hash join on the side the join builds its hash table
 * from. Calcite's {@link EnumerableHashJoin} builds from its right input and streams its
 * left, yet its cost prefers the smaller input on the left ("adds L log L"), and with
 * heuristic join ordering (three joins or more) Volcano may not commute joins at all. So
 * after cost-based planning, an inner join whose right input is estimated larger than its
 * left is flipped (a left outer join becomes a right outer join), with a projection that
 * restores the column order. Federated TPC-H Q9 built a hash table over 600,000 joined
 * lineitem rows to probe it with 4,300 part rows.
 */
final class HashJoinSides {
  /** How much larger the build side must be estimated before a join is flipped. */
  static final double FLIP_RATIO = 2;

  private HashJoinSides() {
  }

  /** {@code rel} with each hash join building from its smaller input. */
  static RelNode apply(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        return visited instanceof EnumerableHashJoin join ? flipped(join) : visited;
      }
    });
  }

  private static RelNode flipped(EnumerableHashJoin join) {
    JoinRelType flippedType = switch (join.getJoinType()) {
      case INNER -> JoinRelType.INNER;
      case LEFT -> JoinRelType.RIGHT;
      case RIGHT -> JoinRelType.LEFT;
      case FULL -> JoinRelType.FULL;
      default -> null;
    };
    RelMetadataQuery mq = join.getCluster().getMetadataQuery();
    Double left = mq.getRowCount(join.getLeft());
    Double right = mq.getRowCount(join.getRight());
    if (flippedType == null || left == null || right == null || right <= left * FLIP_RATIO
        || !join.getVariablesSet().isEmpty()) {
      return join;
    }
    int leftCount = join.getLeft().getRowType().getFieldCount();
    int rightCount = join.getRight().getRowType().getFieldCount();
    RexNode condition = join.getCondition().accept(new RexShuttle() {
      @Override public RexNode visitInputRef(RexInputRef ref) {
        int i = ref.getIndex();
        return new RexInputRef(i < leftCount ? i + rightCount : i - leftCount, ref.getType());
      }
    });
    EnumerableHashJoin swapped = EnumerableHashJoin.create(join.getRight(), join.getLeft(),
        condition, join.getVariablesSet(), flippedType);
    return EnumerableProject.create(swapped,
        RelOptUtil.createSwappedJoinExprs(swapped, join, true), join.getRowType());
  }
}
