package dev.junction.planner.planning;

import dev.junction.spi.RemoteStatement;

import org.apache.calcite.adapter.enumerable.EnumerableBatchNestedLoopJoin;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lets a join that feeds a remote statement with keys from its other input (a
 * {@link KeySetJoin}, or Calcite's batch nested-loop join with its correlated key
 * batches) run ahead of the caller as one unit, beside the query's other statements.
 *
 * <p>Design: uncorrelated statements read ahead on their own ({@code ReadAheadEnumerable}
 * in the JDBC adapter), but a keyed or correlated statement cannot: its parameters come
 * from rows of the join above it. So a query with two such joins ran them one after the
 * other. Federated TPC-H Q11 at SF 1 computes the same MariaDB join of partsupp and
 * supplier twice, keyed by one nation from DuckDB, once per part and once for the
 * total, about a second each; run one after the other they made the query slower than
 * stock Calcite. After cost-based planning, each outermost such join whose subtree uses no
 * correlation variable from outside it is wrapped in a {@link ReadAheadUnit}: the join as
 * a whole, keys side and keyed statement, is registered to read ahead exactly as one
 * uncorrelated statement is, bounded by the keyed statement's source
 * ({@link RemoteStatement#readingAhead}), and otherwise runs on the caller's thread as
 * before.
 */
final class ReadAheadUnits {
  private ReadAheadUnits() {
  }

  /** {@code rel} with each outermost keyed join wrapped to read ahead as a unit. */
  static RelNode apply(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        RemoteStatement keyed = keyedStatement(other);
        if (keyed != null && uncorrelated(other)) {
          return new ReadAheadUnit(other.getCluster(), other.getTraitSet(), other, keyed);
        }
        return super.visit(other);
      }
    });
  }

  /** The statement a keyed join sends with keys from its left input; else null. */
  private static RemoteStatement keyedStatement(RelNode rel) {
    if (rel instanceof KeySetJoin join && join.getRight() instanceof RemoteStatement s) {
      return s;
    }
    if (rel instanceof EnumerableBatchNestedLoopJoin join) {
      RemoteStatement[] found = new RemoteStatement[1];
      RemoteStatement.forEachNode(join.getRight(), n -> {
        if (found[0] == null && n instanceof RemoteStatement s) {
          found[0] = s;
        }
      });
      return found[0];
    }
    return null;
  }

  /** Whether {@code rel} uses only correlation variables set inside it. */
  private static boolean uncorrelated(RelNode rel) {
    Set<CorrelationId> used = new HashSet<>();
    Set<CorrelationId> set = new HashSet<>();
    RemoteStatement.forEachNode(rel, n -> {
      used.addAll(RelOptUtil.getVariablesUsed(n));
      set.addAll(n.getVariablesSet());
    });
    used.removeAll(set);
    return used.isEmpty();
  }

  /**
   * A keyed join that may run ahead of the caller as one unit, bounded by its keyed
   * statement's source; its rows and order are its input's.
   */
  static final class ReadAheadUnit extends SingleRel implements EnumerableRel {
    private final RemoteStatement keyed;

    ReadAheadUnit(RelOptCluster cluster, RelTraitSet traits, RelNode input,
        RemoteStatement keyed) {
      super(cluster, traits, input);
      this.keyed = keyed;
    }

    @Override public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
      return new ReadAheadUnit(getCluster(), traitSet, sole(inputs), keyed);
    }

    /** Free: it is added after cost-based planning and does no work of its own. */
    @Override public RelOptCost computeSelfCost(RelOptPlanner planner,
        RelMetadataQuery mq) {
      return planner.getCostFactory().makeTinyCost();
    }

    @Override public RelWriter explainTerms(RelWriter pw) {
      return super.explainTerms(pw).item("source", keyed.sourceName());
    }

    @Override public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      BlockBuilder builder = new BlockBuilder();
      Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
      Expression rows = builder.append("unit", input.block);
      builder.add(Expressions.return_(null, keyed.readingAhead(rows)));
      return implementor.result(input.physType, builder.toBlock());
    }
  }
}
