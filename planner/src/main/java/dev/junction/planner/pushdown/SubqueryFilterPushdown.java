package dev.junction.planner.pushdown;

import dev.junction.spi.RemoteStatement;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.util.ImmutableBitSet;

import com.google.common.collect.ImmutableSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Sends a correlated subquery that depends on one table of a cross-source join to that
 * table's source, inside the statement reading the table, before Calcite removes
 * subqueries.
 *
 * <p>Design: in TPC-H Q21, {@code EXISTS} and {@code NOT EXISTS} over lineitem are
 * correlated with lineitem {@code l1} only, but they sit in the WHERE of a join of four
 * tables from three sources. Calcite's decorrelation then joins the whole outer join tree
 * into each subquery as its value generator: at SF 1 the plan read lineitem seven times and
 * orders four times, and did not finish in 90 s. Pushing a conjunct below an inner join to
 * the one input it reads is always allowed, a correlated subquery included, so each
 * subquery conjunct whose outer references (input fields and correlation fields) all lie in
 * one leaf of the WHERE's inner-join tree moves onto that leaf, with the leaf's other
 * conjuncts, its correlation rebound to the leaf's row. When the leaf and the subqueries'
 * tables are in one source, the filtered leaf becomes one statement
 * ({@link SourcePushdownPhase#wholeQuery}), in which the source plans the subquery as
 * written; otherwise the plan is left as it was.
 */
public final class SubqueryFilterPushdown {
  private SubqueryFilterPushdown() {
  }

  /**
   * {@code rel} with every filter's single-table subquery conjuncts sent with their table.
   *
   * @param eligible whether a subtree may be sent without Calcite's rewrites
   * @param finish applied to each subtree just before it becomes a statement
   */
  public static RelNode apply(RelNode rel, Predicate<RelNode> eligible,
      UnaryOperator<RelNode> finish) {
    return rewrite(rel, null, eligible, finish);
  }

  /**
   * {@code node} rewritten bottom up; {@code used} is which of its fields its parent reads
   * (null: all), so that a statement fetches only what is read.
   */
  private static RelNode rewrite(RelNode node, ImmutableBitSet used,
      Predicate<RelNode> eligible, UnaryOperator<RelNode> finish) {
    ImmutableBitSet inputUsed = null;
    if (node instanceof Project project) {
      inputUsed = RelOptUtil.InputFinder.bits(project.getProjects(), null);
    } else if (node instanceof Aggregate aggregate) {
      ImmutableBitSet.Builder b = aggregate.getGroupSet().rebuild();
      for (AggregateCall call : aggregate.getAggCallList()) {
        b.addAll(call.getArgList());
        if (call.filterArg >= 0) {
          b.set(call.filterArg);
        }
      }
      inputUsed = b.build();
    } else if (node instanceof Filter filter && used != null) {
      inputUsed = used.union(RelOptUtil.InputFinder.bits(filter.getCondition()));
    }
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (RelNode input : node.getInputs()) {
      RelNode rewritten = rewrite(input, inputUsed, eligible, finish);
      changed |= rewritten != input;
      inputs.add(rewritten);
    }
    RelNode result = changed ? node.copy(node.getTraitSet(), inputs) : node;
    if (result instanceof Filter filter && filter.getVariablesSet().size() == 1
        && RexUtil.SubQueryFinder.containsSubQuery(filter)) {
      RelNode pushed = pushFilter(filter, used, eligible, finish);
      if (pushed != null) {
        return pushed;
      }
    }
    return result;
  }

  /**
   * One conjunct of a filter, with the fields of the filter's row it reads
   * ({@link #outerFields}) and whether it holds a subquery, found once per filter.
   */
  private record Conjunct(RexNode node, ImmutableBitSet fields, boolean subquery) {
  }

  /** One leaf of a filter's inner-join tree: where its fields start in the filter's row. */
  private record Leaf(RelNode rel, int offset) {
    boolean holds(ImmutableBitSet fields) {
      return !fields.isEmpty() && fields.nth(0) >= offset
          && fields.length() <= offset + rel.getRowType().getFieldCount();
    }
  }

  private static RelNode pushFilter(Filter filter, ImmutableBitSet used,
      Predicate<RelNode> eligible, UnaryOperator<RelNode> finish) {
    CorrelationId correlation = filter.getVariablesSet().iterator().next();
    List<Leaf> leaves = new ArrayList<>();
    collectLeaves(filter.getInput(), 0, leaves);
    if (leaves.size() < 2) {
      return null;
    }
    List<Conjunct> conjuncts = new ArrayList<>();
    for (RexNode c : RelOptUtil.conjunctions(filter.getCondition())) {
      conjuncts.add(new Conjunct(c, outerFields(c, correlation),
          RexUtil.SubQueryFinder.find(c) != null));
    }
    List<RexNode> kept = new ArrayList<>();
    conjuncts.forEach(c -> kept.add(c.node()));
    List<Leaf> targets = new ArrayList<>();
    List<RelNode> replacements = new ArrayList<>();
    for (Leaf leaf : leaves) {
      List<RexNode> moved = new ArrayList<>();
      boolean subquery = false;
      for (Conjunct conjunct : conjuncts) {
        if (leaf.holds(conjunct.fields())) {
          moved.add(conjunct.node());
          subquery |= conjunct.subquery();
        }
      }
      if (!subquery) {
        continue;
      }
      RelNode candidate = filterLeaf(filter, leaf, moved, correlation);
      if (!eligible.test(candidate)) {
        continue;
      }
      ImmutableBitSet read = leafFieldsRead(filter, leaf, used, conjuncts, moved);
      RelNode statement = SourcePushdownPhase.wholeQuery(
          RelOptUtil.createProject(candidate, read.asList()), r -> true, finish);
      if (statement instanceof RemoteStatement) {
        kept.removeAll(moved);
        targets.add(leaf);
        replacements.add(widen(statement, leaf.rel().getRowType(), read));
      }
    }
    if (targets.isEmpty()) {
      return null;
    }
    RelNode input = replaceLeaves(filter.getInput(), 0, targets, replacements);
    if (kept.isEmpty()) {
      return input;
    }
    RexNode condition = RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), kept);
    boolean correlated = kept.stream().anyMatch(c -> RexUtil.SubQueryFinder.find(c) != null);
    return LogicalFilter.create(input, condition,
        correlated ? ImmutableSet.copyOf(filter.getVariablesSet()) : ImmutableSet.of());
  }

  /**
   * The leaf's fields (numbered in the leaf) that anything but the moved conjuncts reads:
   * the filter's parent ({@code used}, null for all), the conjuncts that stay, and the
   * conditions of the joins above the leaf.
   */
  private static ImmutableBitSet leafFieldsRead(Filter filter, Leaf leaf,
      ImmutableBitSet used, List<Conjunct> conjuncts, List<RexNode> moved) {
    int width = leaf.rel().getRowType().getFieldCount();
    if (used == null) {
      return ImmutableBitSet.range(width);
    }
    ImmutableBitSet.Builder read = used.rebuild();
    for (Conjunct conjunct : conjuncts) {
      if (!moved.contains(conjunct.node())) {
        read.addAll(conjunct.fields());
      }
    }
    joinConditionFields(filter.getInput(), 0, read);
    ImmutableBitSet.Builder leafRead = ImmutableBitSet.builder();
    for (int field : read.build()) {
      if (field >= leaf.offset() && field < leaf.offset() + width) {
        leafRead.set(field - leaf.offset());
      }
    }
    ImmutableBitSet fields = leafRead.build();
    // A statement returns at least one column.
    return fields.isEmpty() ? ImmutableBitSet.of(0) : fields;
  }

  private static void joinConditionFields(RelNode rel, int offset,
      ImmutableBitSet.Builder read) {
    if (rel instanceof Join join && join.getJoinType() == JoinRelType.INNER) {
      for (int field : RelOptUtil.InputFinder.bits(join.getCondition())) {
        read.set(field + offset);
      }
      joinConditionFields(join.getLeft(), offset, read);
      joinConditionFields(join.getRight(),
          offset + join.getLeft().getRowType().getFieldCount(), read);
    }
  }

  /**
   * A statement returning the leaf's {@code read} fields, widened back to the leaf's row
   * with typed NULLs in the fields nothing reads, so the plan above keeps its field
   * numbers; later trimming drops them.
   */
  private static RelNode widen(RelNode statement, RelDataType leafType,
      ImmutableBitSet read) {
    if (read.cardinality() == leafType.getFieldCount()) {
      return statement;
    }
    RexBuilder rex = statement.getCluster().getRexBuilder();
    List<RexNode> fields = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (RelDataTypeField field : leafType.getFieldList()) {
      int position = read.indexOf(field.getIndex());
      fields.add(position >= 0 ? rex.makeInputRef(statement, position)
          : rex.makeNullLiteral(field.getType()));
      names.add(field.getName());
    }
    return LogicalProject.create(statement, List.of(), fields, names, ImmutableSet.of());
  }

  /** The leaves of the inner-join tree under a filter, in field order. */
  private static void collectLeaves(RelNode rel, int offset, List<Leaf> leaves) {
    if (rel instanceof Join join && join.getJoinType() == JoinRelType.INNER) {
      collectLeaves(join.getLeft(), offset, leaves);
      collectLeaves(join.getRight(), offset + join.getLeft().getRowType().getFieldCount(),
          leaves);
    } else {
      leaves.add(new Leaf(rel, offset));
    }
  }

  private static RelNode replaceLeaves(RelNode rel, int offset, List<Leaf> targets,
      List<RelNode> replacements) {
    for (int i = 0; i < targets.size(); i++) {
      if (targets.get(i).rel() == rel && targets.get(i).offset() == offset) {
        return replacements.get(i);
      }
    }
    if (rel instanceof Join join && join.getJoinType() == JoinRelType.INNER) {
      RelNode left = replaceLeaves(join.getLeft(), offset, targets, replacements);
      RelNode right = replaceLeaves(join.getRight(),
          offset + join.getLeft().getRowType().getFieldCount(), targets, replacements);
      return join.copy(join.getTraitSet(), List.of(left, right));
    }
    return rel;
  }

  /**
   * The fields of the filter's row a conjunct reads: its input references outside
   * subqueries and the fields of {@code correlation} that its subqueries read, at any depth.
   */
  static ImmutableBitSet outerFields(RexNode conjunct, CorrelationId correlation) {
    ImmutableBitSet.Builder fields = ImmutableBitSet.builder();
    conjunct.accept(new RexVisitorImpl<Void>(true) {
      @Override public Void visitInputRef(RexInputRef ref) {
        fields.set(ref.getIndex());
        return null;
      }

      @Override public Void visitSubQuery(RexSubQuery subQuery) {
        for (RexNode operand : subQuery.getOperands()) {
          operand.accept(this);
        }
        fields.addAll(correlationFields(subQuery.rel, correlation));
        return null;
      }
    });
    return fields.build();
  }

  private static Set<Integer> correlationFields(RelNode rel, CorrelationId correlation) {
    Set<Integer> fields = new HashSet<>();
    rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        other.accept(new RexShuttle() {
          @Override public RexNode visitFieldAccess(RexFieldAccess access) {
            if (access.getReferenceExpr() instanceof RexCorrelVariable v
                && v.id.equals(correlation)) {
              fields.add(access.getField().getIndex());
            }
            return super.visitFieldAccess(access);
          }

          @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
            fields.addAll(correlationFields(subQuery.rel, correlation));
            return super.visitSubQuery(subQuery);
          }
        });
        return super.visit(other);
      }
    });
    return fields;
  }

  /** The leaf under a filter of {@code moved}, re-based on the leaf's row. */
  private static RelNode filterLeaf(Filter filter, Leaf leaf, List<RexNode> moved,
      CorrelationId correlation) {
    RexBuilder rex = filter.getCluster().getRexBuilder();
    CorrelationId leafCorrelation = filter.getCluster().createCorrel();
    RelDataType leafType = leaf.rel().getRowType();
    RexShuttle rebase = new Rebase(rex, leaf.offset(), leafType, correlation,
        leafCorrelation);
    List<RexNode> conditions = new ArrayList<>();
    for (RexNode conjunct : moved) {
      conditions.add(conjunct.accept(rebase));
    }
    return LogicalFilter.create(leaf.rel(), RexUtil.composeConjunction(rex, conditions),
        ImmutableSet.of(leafCorrelation));
  }

  /**
   * Shifts input references by a leaf's offset and rebinds a correlation from the filter's
   * row to the leaf's, inside subqueries at any depth.
   */
  private static final class Rebase extends RexShuttle {
    private final RexBuilder rex;
    private final int offset;
    private final RelDataType leafType;
    private final CorrelationId from;
    private final CorrelationId to;

    Rebase(RexBuilder rex, int offset, RelDataType leafType, CorrelationId from,
        CorrelationId to) {
      this.rex = rex;
      this.offset = offset;
      this.leafType = leafType;
      this.from = from;
      this.to = to;
    }

    @Override public RexNode visitInputRef(RexInputRef ref) {
      return rex.makeInputRef(ref.getType(), ref.getIndex() - offset);
    }

    @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
      List<RexNode> operands = new ArrayList<>();
      for (RexNode operand : subQuery.getOperands()) {
        operands.add(operand.accept(this));
      }
      return subQuery.clone(subQuery.getType(), operands).clone(rebind(subQuery.rel));
    }

    private RelNode rebind(RelNode rel) {
      RexShuttle inner = new RexShuttle() {
        @Override public RexNode visitFieldAccess(RexFieldAccess access) {
          if (access.getReferenceExpr() instanceof RexCorrelVariable v && v.id.equals(from)) {
            return rex.makeFieldAccess(rex.makeCorrel(leafType, to),
                access.getField().getIndex() - offset);
          }
          return super.visitFieldAccess(access);
        }

        @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
          return subQuery.clone(rebind(subQuery.rel));
        }
      };
      return rel.accept(new RelHomogeneousShuttle() {
        @Override public RelNode visit(RelNode other) {
          return super.visit(other).accept(inner);
        }
      });
    }
  }
}
