package dev.junction.planner.pushdown;

import dev.junction.spi.SourcePushdown;

import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The pushdown phase: before cost-based planning, every maximal subtree that reads one
 * source and that the source can express becomes one remote statement.
 *
 * <p>Design: Calcite leaves pushdown to its cost-based planner, whose cost is a row count;
 * it prices nothing for rows crossing a source boundary, so at real table sizes it often
 * fetched two tables and joined them in Junction rather than sending one join (a join of
 * 150,000 orders and 15,000 customers, both in PostgreSQL, was joined locally). Sending
 * work to the source that holds the data is never worse than moving the data: the source
 * has the indexes and statistics, and only results travel. So it is decided here, by
 * capability, not by cost (as Dremio's JDBC pushdown phase does): the plan is walked bottom
 * up, each operator whose inputs all belong to one source is offered to that source
 * ({@link SourcePushdown#push}), and where an operator cannot be pushed its inputs are
 * closed into statements ({@link SourcePushdown#statement}). A filter the source can take
 * only in part is split: the conjuncts it can evaluate go in the statement, the rest runs
 * in Junction. Cost-based planning then orders and implements only what spans sources or
 * what no source can express, with each statement as a leaf whose row count is the
 * subtree's estimate.
 */
public final class SourcePushdownPhase {
  private final UnaryOperator<RelNode> finish;

  private SourcePushdownPhase(UnaryOperator<RelNode> finish) {
    this.finish = finish;
  }

  /**
   * Replaces every maximal single-source subtree of {@code rel} by one statement.
   *
   * @param finish applied to each subtree just before it becomes a statement (the access
   *     policy's guards are resolved there, as the subtree is final)
   */
  public static RelNode apply(RelNode rel, UnaryOperator<RelNode> finish) {
    SourcePushdownPhase phase = new SourcePushdownPhase(finish);
    RelNode plan = rel;
    if (RelOptUtil.countJoins(plan) >= 2 && sourceCount(plan) > 1) {
      plan = SourceJoinGrouping.group(plan, group -> phase.close(phase.visit(group)));
      plan = orderRemainingJoins(plan);
    }
    return phase.close(phase.visit(plan));
  }

  /**
   * Expands the multi-way joins grouping left (outer joins, joins with no same-source
   * group) in Calcite's heuristic order, which avoids cross products: in the order the
   * FROM clause lists them, two tables of one source joined only through a third source's
   * table would be sent as one.
   */
  private static RelNode orderRemainingJoins(RelNode rel) {
    HepPlanner hep = new HepPlanner(
        new HepProgramBuilder()
            .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
            .build(),
        rel.getCluster().getPlanner().getContext());
    hep.setRoot(rel);
    return hep.findBestExp();
  }

  /**
   * The whole query as one statement, subqueries included, when every table it reads,
   * inside subqueries too, lives in one source and the source can express every operator;
   * otherwise {@code rel} unchanged. Run before Calcite removes subqueries: the source then
   * plans {@code EXISTS}, {@code IN} and scalar subqueries itself, as the user wrote them,
   * rather than Calcite's decorrelated joins (whose rewrite of
   * {@code SELECT DISTINCT 1 .. WHERE NOT EXISTS (correlated)} answered a row where the
   * source answers none).
   *
   * @param eligible whether the plan may be sent without Calcite's rewrites (plans over
   *     governed tables may not: their guards are resolved on the optimized plan)
   */
  public static RelNode wholeQuery(RelNode rel, Predicate<RelNode> eligible,
      UnaryOperator<RelNode> finish) {
    Set<SourcePushdown> sources = new HashSet<>();
    boolean[] other = {false};
    collectSources(rel, sources, other);
    if (other[0] || sources.size() != 1 || !predicateSubqueriesOnly(rel)
        || !eligible.test(rel)) {
      return rel;
    }
    SourcePushdown source = sources.iterator().next();
    RelNode pushed = convertAll(source, rel);
    return pushed == null ? rel : source.statement(finish.apply(pushed));
  }

  /**
   * Whether the plan's subqueries are all in filters ({@code EXISTS}, {@code IN},
   * {@code ALL}, {@code SOME} and scalar subqueries), at least one, and it holds no literal
   * rows: the shapes whose unoptimized plan Calcite's SQL writer prints faithfully.
   * Subqueries in projections and literal rows ({@code VALUES}, or a branch Calcite proved
   * empty) take the ordinary path, where Calcite rewrites them into joins first.
   */
  private static boolean predicateSubqueriesOnly(RelNode rel) {
    return filterSubqueries(rel) > 0;
  }

  /**
   * How many subqueries the plan holds, in its subqueries too, or -1 when one is not a
   * predicate or scalar subquery in a filter, or the plan holds literal rows.
   */
  private static int filterSubqueries(RelNode rel) {
    int[] count = {0};
    new RelVisitor() {
      @Override public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof Values) {
          count[0] = -1;
        }
        boolean filter = node instanceof Filter;
        node.accept(new RexShuttle() {
          @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
            boolean predicate = switch (subQuery.getKind()) {
              case EXISTS, IN, SOME, ALL, SCALAR_QUERY -> true;
              default -> false;
            };
            int inner = filter && predicate ? filterSubqueries(subQuery.rel) : -1;
            count[0] = count[0] < 0 || inner < 0 ? -1 : count[0] + 1 + inner;
            return subQuery;
          }
        });
        if (count[0] >= 0) {
          super.visit(node, ordinal, parent);
        }
      }
    }.go(rel);
    return count[0];
  }

  /**
   * How many sources the tables under {@code rel} come from (subqueries included); a table
   * of no source (a view's values, a system table) counts as one more.
   */
  public static int sourceCount(RelNode rel) {
    Set<SourcePushdown> sources = new HashSet<>();
    boolean[] other = {false};
    collectSources(rel, sources, other);
    return sources.size() + (other[0] ? 1 : 0);
  }

  /**
   * The one source every table under {@code rel} lives in (subqueries included) and that
   * can run all of {@code rel} as one statement, or null when the tables span sources, one
   * is of no source, or the source cannot express some operator or expression of it.
   */
  public static SourcePushdown soleSource(RelNode rel) {
    Set<SourcePushdown> sources = new HashSet<>();
    boolean[] other = {false};
    collectSources(rel, sources, other);
    if (other[0] || sources.size() != 1) {
      return null;
    }
    SourcePushdown source = sources.iterator().next();
    return convertAll(source, rel) == null ? null : source;
  }

  /** The sources of every table under {@code rel}, subqueries included. */
  static void collectSources(RelNode rel, Set<SourcePushdown> sources,
      boolean[] other) {
    if (rel.getInputs().isEmpty() && !(rel instanceof Values)) {
      if (rel.getConvention() instanceof SourcePushdown s) {
        sources.add(s);
      } else {
        other[0] = true;
      }
    }
    rel.accept(new RexShuttle() {
      @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
        collectSources(subQuery.rel, sources, other);
        return super.visitSubQuery(subQuery);
      }
    });
    for (RelNode input : rel.getInputs()) {
      collectSources(input, sources, other);
    }
  }

  /** {@code rel} entirely in the source's convention, subqueries too, or null. */
  private static RelNode convertAll(SourcePushdown source, RelNode rel) {
    boolean[] failed = {false};
    RelNode node = rel.accept(new RexShuttle() {
      @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
        RelNode inner = convertAll(source, subQuery.rel);
        if (inner == null) {
          failed[0] = true;
          return subQuery;
        }
        return subQuery.clone(inner);
      }
    });
    if (failed[0]) {
      return null;
    }
    if (node.getInputs().isEmpty()) {
      if (node.getConvention() == source) {
        return node;
      }
      return node instanceof Values ? source.push(node) : null;
    }
    List<RelNode> inputs = new ArrayList<>();
    for (RelNode input : node.getInputs()) {
      RelNode converted = convertAll(source, input);
      if (converted == null) {
        return null;
      }
      inputs.add(converted);
    }
    return source.push(node.copy(node.getTraitSet(), inputs));
  }

  private RelNode visit(RelNode rel) {
    RelNode node = withVisitedInputs(rel, this::visit);
    List<RelNode> inputs = node.getInputs();
    if (inputs.isEmpty()) {
      return node;
    }
    SourcePushdown source = commonSource(inputs);
    if (source != null) {
      RelNode pushed = pushWithValues(source, node, inputs);
      if (pushed != null) {
        return pushed;
      }
      if (node instanceof Filter filter) {
        RelNode split = split(source, filter);
        if (split != null) {
          return split;
        }
      }
    }
    List<RelNode> closed = new ArrayList<>();
    for (RelNode input : inputs) {
      closed.add(close(input));
    }
    return closed.equals(inputs) ? node : node.copy(node.getTraitSet(), closed);
  }

  /** {@code node} over its inputs as {@code visitor} returns them (itself if none changed). */
  public static RelNode withVisitedInputs(RelNode node, UnaryOperator<RelNode> visitor) {
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (RelNode input : node.getInputs()) {
      RelNode visited = visitor.apply(input);
      changed |= visited != input;
      inputs.add(visited);
    }
    return changed ? node.copy(node.getTraitSet(), inputs) : node;
  }

  /** The source all inputs belong to (values can join any), or null. */
  private static SourcePushdown commonSource(List<RelNode> inputs) {
    SourcePushdown source = null;
    for (RelNode input : inputs) {
      if (input instanceof Values && input.getConvention() == Convention.NONE) {
        continue;
      }
      if (!(input.getConvention() instanceof SourcePushdown s)
          || source != null && source != s) {
        return null;
      }
      source = s;
    }
    return source;
  }

  /** Pushes {@code node}, first pushing any values among its inputs into the source. */
  private static RelNode pushWithValues(SourcePushdown source, RelNode node,
      List<RelNode> inputs) {
    List<RelNode> converted = new ArrayList<>();
    for (RelNode input : inputs) {
      if (input.getConvention() == Convention.NONE) {
        RelNode values = source.push(input);
        if (values == null) {
          return null;
        }
        converted.add(values);
      } else {
        converted.add(input);
      }
    }
    RelNode candidate = converted.equals(inputs) ? node
        : node.copy(node.getTraitSet(), converted);
    return source.push(candidate);
  }

  /**
   * Sends the conjuncts of a filter the source can evaluate and keeps the rest in Junction
   * above the statement; null when the source can take none of them.
   */
  private RelNode split(SourcePushdown source, Filter filter) {
    List<RexNode> pushable = new ArrayList<>();
    List<RexNode> local = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      Filter one = filter.copy(filter.getTraitSet(), filter.getInput(), conjunct);
      (source.push(one) != null ? pushable : local).add(conjunct);
    }
    if (pushable.isEmpty() || local.isEmpty()) {
      return null;
    }
    var rex = filter.getCluster().getRexBuilder();
    RelNode pushed = source.push(filter.copy(filter.getTraitSet(), filter.getInput(),
        RexUtil.composeConjunction(rex, pushable)));
    if (pushed == null) {
      return null;
    }
    return filter.copy(filter.getTraitSet(), close(pushed),
        RexUtil.composeConjunction(rex, local));
  }

  /** Closes a subtree in a source's convention into a statement; anything else as is. */
  private RelNode close(RelNode rel) {
    if (rel.getConvention() instanceof SourcePushdown source) {
      return source.statement(finish.apply(rel));
    }
    return rel;
  }
}
