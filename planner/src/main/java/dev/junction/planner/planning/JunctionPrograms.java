package dev.junction.planner.planning;

import dev.junction.planner.pushdown.SourcePushdownPhase;
import dev.junction.planner.pushdown.SubqueryFilterPushdown;
import dev.junction.planner.security.PolicyGuards;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.RemoteStatement;

import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.AggregateReduceFunctionsRule;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.rel.rules.PruneEmptyRules;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

import com.google.common.collect.ImmutableSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The optimization pipeline. It is Calcite's standard program with a pushdown phase and
 * two bounds added:
 *
 * <ul>
 * <li>After subqueries are removed and conditions normalized, and before cost-based
 * planning, every subtree a source can run whole becomes one remote statement
 * ({@link SourcePushdownPhase}); cost-based planning sees those statements as leaves.</li>
 * <li>After the pushdown phase, a grouping over a join across sources whose aggregates
 * read one statement is computed in part in that statement's source
 * ({@link PartialAggregatePushdown}).</li>
 * <li>Before the cost-based (Volcano) phase, conditions are normalized in a rule-based
 * phase: common conjuncts are factored out of ORs and pushed into joins, so join keys
 * are visible.</li>
 * <li>Queries with {@value #HEURISTIC_JOIN_THRESHOLD} or more joins are ordered
 * heuristically from row-count statistics (Calcite's LoptOptimizeJoinRule) and the
 * exhaustive join-reordering rules are removed from the Volcano phase. Stock Calcite
 * spends 16-19 s planning TPC-H Q2 and Q5 over three sources and never finishes Q7.</li>
 * </ul>
 */
public final class JunctionPrograms {
  /** Joins at which ordering switches from exhaustive to heuristic. */
  public static final int HEURISTIC_JOIN_THRESHOLD = 3;

  /**
   * Rewrites AVG, STDDEV, VAR and COVAR into sums and counts, which every source has (Calcite's
   * JDBC aggregate takes none of them). SUM stays SUM: Calcite's default list also rewrites
   * it into {@code CASE WHEN COUNT(x) = 0 THEN NULL ELSE SUM0(x) END}, doubling the source's
   * work for nothing.
   */
  private static final RelOptRule REDUCE_STATISTICS =
      CoreRules.AGGREGATE_REDUCE_FUNCTIONS.config.as(AggregateReduceFunctionsRule.Config.class)
          .withFunctionsToReduce(ImmutableSet.<SqlKind>builder()
              .addAll(SqlKind.AVG_AGG_FUNCTIONS).addAll(SqlKind.COVAR_AVG_AGG_FUNCTIONS).build())
          .toRule();

  private JunctionPrograms() {
  }

  /** The full pipeline used for every query, policy predicates resolved for running. */
  public static Program standard() {
    return standard(false);
  }

  /**
   * The full pipeline used for every query. The access policy's guards are resolved
   * ({@link PolicyGuards}) in each subtree as it becomes a remote statement, and in what
   * stays in Junction after cost-based optimization, before anything is turned into source
   * SQL or generated code.
   *
   * @param policyPlaceholders whether the policy's filters and masks are shown as
   *     placeholders (EXPLAIN by the caller), rather than resolved to run
   */
  public static Program standard(boolean policyPlaceholders) {
    var md = JunctionMetadata.PROVIDER;
    return Programs.sequence(
        toOptimized(pushed -> PolicyGuards.resolve(pushed, policyPlaceholders)),
        (planner, rel, traits, materializations, lattices) ->
            PolicyGuards.resolve(rel, policyPlaceholders),
        Programs.calc(md));
  }

  /**
   * The pipeline for {@code EXPLAIN ANALYZE}: returns the plan {@link #standard()} would
   * run, and hands {@code shown} the same plan as the caller may see it, with a map from
   * each remote statement's SQL as sent to its SQL as shown (null when the caller sees the
   * plan as it runs).
   *
   * <p>With placeholders, each subtree that becomes a remote statement is resolved twice,
   * to run and to show, and the shown twin replaces it in the optimized plan before the
   * rest is resolved with placeholders: the plan shown has the shape of the plan that
   * runs, without one of the policy's expressions. Statements that cost-based planning
   * made from another (a filter pushed into it) are rebuilt over the shown twin. A
   * statement that cannot be rebuilt fails the explanation rather than show its SQL.
   *
   * @param policyPlaceholders whether the caller sees placeholders for the policy's filters
   *     and masks
   */
  public static Program analyzed(boolean policyPlaceholders,
      BiConsumer<RelNode, Map<String, String>> shown) {
    var md = JunctionMetadata.PROVIDER;
    Map<RelNode, RelNode> twins = new IdentityHashMap<>();
    Program calc = Programs.calc(md);
    return Programs.sequence(
        toOptimized(pushed -> {
          RelNode run = PolicyGuards.resolve(pushed, false);
          if (policyPlaceholders) {
            twins.put(run, PolicyGuards.resolve(pushed, true));
          }
          return run;
        }),
        (planner, rel, traits, materializations, lattices) -> {
          RelNode run = calc.run(planner, PolicyGuards.resolve(rel, false), traits,
              materializations, lattices);
          if (!policyPlaceholders) {
            shown.accept(run, null);
            return run;
          }
          Map<String, String> sql = new HashMap<>();
          RelNode display = withShownStatements(rel, twins, sql);
          shown.accept(calc.run(planner, PolicyGuards.resolve(display, true), traits,
              materializations, lattices), sql);
          return run;
        });
  }

  /** {@code rel} with each remote statement replaced by its shown twin. */
  private static RelNode withShownStatements(RelNode rel, Map<RelNode, RelNode> twins,
      Map<String, String> sql) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        if (other instanceof RemoteStatement statement) {
          RelNode pushed = shownTwin(statement.pushed(), twins);
          if (pushed == null) {
            throw new JunctionException(ErrorCode.INTERNAL, "EXPLAIN ANALYZE cannot show"
                + " this plan without revealing the access policy");
          }
          RelNode twin = statement.pushdown().statement(pushed);
          sql.put(statement.sql(), ((RemoteStatement) twin).sql());
          return twin;
        }
        return super.visit(other);
      }
    });
  }

  /** A pushed subtree rebuilt over shown twins, or null if a leaf has none. */
  private static RelNode shownTwin(RelNode pushed, Map<RelNode, RelNode> twins) {
    RelNode twin = twins.get(pushed);
    if (twin != null) {
      return twin;
    }
    if (pushed.getInputs().isEmpty()) {
      return null;
    }
    List<RelNode> inputs = new ArrayList<>();
    for (RelNode input : pushed.getInputs()) {
      RelNode shown = shownTwin(input, twins);
      if (shown == null) {
        return null;
      }
      inputs.add(shown);
    }
    return pushed.copy(pushed.getTraitSet(), inputs);
  }

  /**
   * Every step up to and including cost-based optimization, shared by the pipeline that
   * runs queries and the one that explains them, so both plan alike.
   *
   * @param finish applied to each subtree as it becomes a remote statement
   */
  private static Program toOptimized(java.util.function.UnaryOperator<RelNode> finish) {
    var md = JunctionMetadata.PROVIDER;
    return Programs.sequence(
        wholeQuery(),
        Programs.subQuery(md),
        Programs.decorrelate(),
        Programs.trim(),
        Programs.of(normalize(), true, md),
        (planner, rel, traits, materializations, lattices) -> {
          if (!DisjunctionDerivation.hasOrInJoin(rel)) {
            return rel;
          }
          HepPlanner hep = new HepPlanner(normalize());
          hep.setRoot(DisjunctionDerivation.apply(rel));
          return hep.findBestExp();
        },
        (planner, rel, traits, materializations, lattices) ->
            GroupKeyReduction.apply(rel, rel.getCluster().getMetadataQuery()),
        (planner, rel, traits, materializations, lattices) ->
            SourcePushdownPhase.apply(rel, finish),
        (planner, rel, traits, materializations, lattices) ->
            planner.getContext().maybeUnwrap(PlanningOptions.class)
                .orElse(PlanningOptions.DEFAULT).partialAggregates()
                ? PartialAggregatePushdown.apply(rel, rel.getCluster().getMetadataQuery())
                : rel,
        JunctionPrograms::optimize);
  }

  /**
   * A single-source query without governed tables, sent whole with its subqueries
   * ({@link SourcePushdownPhase#wholeQuery}); in a query over several sources, the
   * subqueries that depend on one table sent with it ({@link SubqueryFilterPushdown}).
   */
  private static Program wholeQuery() {
    return (planner, rel, traits, materializations, lattices) -> {
      RelNode reduced = reduceStatistics(rel);
      Predicate<RelNode> eligible = r -> !PolicyGuards.hasPolicyOperator(r);
      RelNode whole = SourcePushdownPhase.wholeQuery(reduced, eligible, pushed -> pushed);
      if (whole != reduced) {
        return whole;
      }
      RelNode pushed = SubqueryFilterPushdown.apply(reduced, eligible, p -> p);
      return pushed == reduced ? rel : pushed;
    };
  }

  /**
   * {@code rel} with AVG and the other statistics rewritten into sums and counts
   * ({@link #REDUCE_STATISTICS}), inside subqueries too, which no later program reaches
   * before the whole query is sent: a correlated {@code AVG} (TPC-H Q17) would otherwise
   * keep the query out of its source, and Calcite's decorrelation of it aggregates the
   * whole table where the source restricts to the outer rows.
   */
  private static RelNode reduceStatistics(RelNode rel) {
    HepPlanner hep = new HepPlanner(new HepProgramBuilder()
        .addRuleInstance(REDUCE_STATISTICS).build());
    hep.setRoot(rel);
    return hep.findBestExp().accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        return super.visit(other).accept(new RexShuttle() {
          @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
            RelNode inner = reduceStatistics(subQuery.rel);
            return inner == subQuery.rel ? subQuery : subQuery.clone(inner);
          }
        });
      }
    });
  }

  private static HepProgram normalize() {
    return new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleCollection(List.of(JunctionRules.FACTOR_OR_FILTER, JunctionRules.FACTOR_OR_JOIN,
            CoreRules.FILTER_INTO_JOIN, CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.FILTER_PROJECT_TRANSPOSE, CoreRules.FILTER_AGGREGATE_TRANSPOSE,
            CoreRules.FILTER_SET_OP_TRANSPOSE, CoreRules.FILTER_MERGE, CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE, REDUCE_STATISTICS,
            PruneEmptyRules.PROJECT_INSTANCE, PruneEmptyRules.FILTER_INSTANCE,
            PruneEmptyRules.SORT_INSTANCE, PruneEmptyRules.AGGREGATE_INSTANCE,
            PruneEmptyRules.JOIN_LEFT_INSTANCE, PruneEmptyRules.JOIN_RIGHT_INSTANCE,
            PruneEmptyRules.UNION_INSTANCE, PruneEmptyRules.MINUS_INSTANCE,
            PruneEmptyRules.INTERSECT_INSTANCE))
        .build();
  }

  private static RelNode optimize(RelOptPlanner planner, RelNode rel,
      org.apache.calcite.plan.RelTraitSet requiredOutputTraits,
      List<org.apache.calcite.plan.RelOptMaterialization> materializations,
      List<org.apache.calcite.plan.RelOptLattice> lattices) {
    RelNode input = rel;
    if (RelOptUtil.countJoins(rel) >= HEURISTIC_JOIN_THRESHOLD) {
      input = orderJoins(rel);
      planner.removeRule(CoreRules.JOIN_COMMUTE);
      planner.removeRule(CoreRules.JOIN_ASSOCIATE);
      planner.removeRule(JoinPushThroughJoinRule.LEFT);
      planner.removeRule(JoinPushThroughJoinRule.RIGHT);
    }
    RelNode root = input.getTraitSet().equals(requiredOutputTraits)
        ? input : planner.changeTraits(input, requiredOutputTraits);
    planner.setRoot(root);
    return ReadAheadUnits.apply(HashJoinSides.apply(planner.chooseDelegate().findBestExp()));
  }

  /**
   * Collapses joins into a MultiJoin, adds the equalities its conditions imply
   * ({@link ImpliedJoinKeys}) and expands it in a cost-ordered sequence.
   */
  private static RelNode orderJoins(RelNode rel) {
    HepPlanner collapse = new HepPlanner(new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
        .build(), rel.getCluster().getPlanner().getContext());
    collapse.setRoot(rel);
    HepPlanner expand = new HepPlanner(new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
        .build(), rel.getCluster().getPlanner().getContext());
    expand.setRoot(ImpliedJoinKeys.apply(collapse.findBestExp()));
    return expand.findBestExp();
  }
}
