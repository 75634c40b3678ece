package dev.junction.planner.planning;

import dev.junction.planner.pushdown.SourcePushdownPhase;
import dev.junction.planner.security.PolicyGuards;

import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.rel.rules.PruneEmptyRules;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

import java.util.List;

/**
 * The optimization pipeline. It is Calcite's standard program with a pushdown phase and
 * two bounds added:
 *
 * <ul>
 * <li>After subqueries are removed and conditions normalized, and before cost-based
 * planning, every subtree a source can run whole becomes one remote statement
 * ({@link SourcePushdownPhase}); cost-based planning sees those statements as leaves.</li>
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
    var md = DefaultRelMetadataProvider.INSTANCE;
    return Programs.sequence(
        (planner, rel, traits, materializations, lattices) -> SourcePushdownPhase.wholeQuery(
            rel, r -> !PolicyGuards.hasPolicyOperator(r), pushed -> pushed),
        Programs.subQuery(md),
        Programs.decorrelate(),
        Programs.trim(),
        Programs.of(normalize(), true, md),
        (planner, rel, traits, materializations, lattices) -> SourcePushdownPhase.apply(rel,
            pushed -> PolicyGuards.resolve(pushed, policyPlaceholders)),
        JunctionPrograms::optimize,
        (planner, rel, traits, materializations, lattices) ->
            PolicyGuards.resolve(rel, policyPlaceholders),
        Programs.calc(md));
  }

  private static HepProgram normalize() {
    return new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleCollection(List.of(JunctionRules.FACTOR_OR_FILTER, JunctionRules.FACTOR_OR_JOIN,
            CoreRules.FILTER_INTO_JOIN, CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.FILTER_PROJECT_TRANSPOSE, CoreRules.FILTER_AGGREGATE_TRANSPOSE,
            CoreRules.FILTER_SET_OP_TRANSPOSE, CoreRules.FILTER_MERGE, CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE, CoreRules.AGGREGATE_REDUCE_FUNCTIONS,
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
    return planner.chooseDelegate().findBestExp();
  }

  /** Collapses joins into a MultiJoin and expands it in a cost-ordered sequence. */
  private static RelNode orderJoins(RelNode rel) {
    HepProgram program = new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
        .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
        .build();
    HepPlanner hep = new HepPlanner(program, rel.getCluster().getPlanner().getContext());
    hep.setRoot(rel);
    return hep.findBestExp();
  }
}
