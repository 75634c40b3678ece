package dev.junction.planner.planning;

import dev.junction.planner.pushdown.SourcePushdownPhase;
import dev.junction.spi.SourcePushdown;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Derives, from an {@code OR} in an inner join's condition, a filter on each input that
 * every branch restricts: {@code (n1.name = 'FRANCE' AND n2.name = 'GERMANY') OR
 * (n1.name = 'GERMANY' AND n2.name = 'FRANCE')} implies {@code n1.name IN ('FRANCE',
 * 'GERMANY')} on {@code n1}, and the same on {@code n2}. The condition stays as it is; the
 * derived filters are implied by it, so the answer is unchanged, but they reach the
 * sources, which then return fewer rows, and the smaller inputs let keys be pushed (TPC-H
 * Q19 restricts part by brand, container and size only inside its three branches, and read
 * all of part; Q7 names its two nations only inside its two branches).
 *
 * <p>A join whose tables all live in one source that can run the whole join and derives
 * such restrictions itself ({@link SourcePushdown#derivesJoinDisjunctions}, PostgreSQL) is
 * left as written: it is sent whole, and the source would count a derived filter twice in
 * its estimates. A join the source cannot run whole still gets the filters, which are then
 * what reaches it.
 *
 * <p>A one-pass rewrite rather than a rule: the derived filter is pushed down by the
 * filter rules that run after it, and a rule would derive it again from the unchanged
 * condition after each push.
 */
final class DisjunctionDerivation {
  private DisjunctionDerivation() {
  }

  /** {@code rel} with the derived filters under its inner joins. */
  static RelNode apply(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        return visited instanceof LogicalJoin join ? derive(join) : visited;
      }
    });
  }

  private static RelNode derive(LogicalJoin join) {
    if (join.getJoinType() != JoinRelType.INNER) {
      return join;
    }
    SourcePushdown source = SourcePushdownPhase.soleSource(join);
    if (source != null && source.derivesJoinDisjunctions()) {
      return join;
    }
    RexBuilder rex = join.getCluster().getRexBuilder();
    int leftCount = join.getLeft().getRowType().getFieldCount();
    int total = join.getRowType().getFieldCount();
    ImmutableBitSet left = ImmutableBitSet.range(0, leftCount);
    ImmutableBitSet right = ImmutableBitSet.range(leftCount, total);
    List<RexNode> onLeft = new ArrayList<>();
    List<RexNode> onRight = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
      if (conjunct.getKind() != SqlKind.OR) {
        continue;
      }
      RexNode l = restriction(rex, conjunct, left);
      if (l != null) {
        onLeft.add(l);
      }
      RexNode r = restriction(rex, conjunct, right);
      if (r != null) {
        onRight.add(RexUtil.shift(r, -leftCount));
      }
    }
    if (onLeft.isEmpty() && onRight.isEmpty()) {
      return join;
    }
    return join.copy(join.getTraitSet(), join.getCondition(),
        filtered(rex, join.getLeft(), onLeft), filtered(rex, join.getRight(), onRight),
        join.getJoinType(), join.isSemiJoinDone());
  }

  /**
   * The OR, over the branches of {@code or}, of each branch's conjuncts that read only
   * {@code side}; null when some branch has none (it restricts {@code side} in no way).
   */
  private static RexNode restriction(RexBuilder rex, RexNode or, ImmutableBitSet side) {
    List<RexNode> branches = new ArrayList<>();
    for (RexNode branch : RelOptUtil.disjunctions(or)) {
      List<RexNode> own = new ArrayList<>();
      for (RexNode c : RelOptUtil.conjunctions(branch)) {
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(c);
        if (!used.isEmpty() && side.contains(used) && RexUtil.isDeterministic(c)
            && !RexUtil.containsCorrelation(c)) {
          own.add(c);
        }
      }
      if (own.isEmpty()) {
        return null;
      }
      branches.add(RexUtil.composeConjunction(rex, own));
    }
    return RexUtil.composeDisjunction(rex, branches);
  }

  private static RelNode filtered(RexBuilder rex, RelNode input, List<RexNode> conditions) {
    return conditions.isEmpty() ? input
        : LogicalFilter.create(input, RexUtil.composeConjunction(rex, conditions));
  }

  /** Whether {@code rel} holds a join this derivation could change (for callers' checks). */
  static boolean hasOrInJoin(RelNode rel) {
    boolean[] found = {false};
    rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        if (other instanceof Join join && RexUtil.findOperatorCall(
            org.apache.calcite.sql.fun.SqlStdOperatorTable.OR, join.getCondition()) != null) {
          found[0] = true;
        }
        return super.visit(other);
      }
    });
    return found[0];
  }
}
