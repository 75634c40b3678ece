package org.apache.calcite.adapter.enumerable;

import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;

import java.util.List;

/**
 * Calcite's package-private code generation for joins, for Junction's own join operators
 * (the key-set join of {@code dev.junction.planner.planning}), so they build their result
 * rows and residual predicates exactly as Calcite's hash join does.
 */
public final class EnumerableJoins {
  private EnumerableJoins() {
  }

  /** The function building an output row of {@code joinType} from a left and right row. */
  public static Expression joinSelector(JoinRelType joinType, PhysType physType,
      List<PhysType> inputPhysTypes) {
    return EnumUtils.joinSelector(joinType, physType, inputPhysTypes);
  }

  /** The predicate over a left and a right row that evaluates {@code condition}. */
  public static Expression generatePredicate(EnumerableRelImplementor implementor,
      RexBuilder rexBuilder, RelNode left, RelNode right, PhysType leftPhysType,
      PhysType rightPhysType, RexNode condition) {
    return EnumUtils.generatePredicate(implementor, rexBuilder, left, right, leftPhysType,
        rightPhysType, condition);
  }
}
