package dev.junction.planner.planning;

import dev.junction.planner.local.LocalLimitSort;
import dev.junction.planner.local.LocalSort;
import dev.junction.planner.local.LocalSortRule;

import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.rules.ProjectToWindowRule;

/** The planner rules Junction adds to Calcite's, one instance each. */
public final class JunctionRules {
  private JunctionRules() {
  }

  /** Factors common conjuncts out of ORs in filters. */
  public static final RelOptRule FACTOR_OR_FILTER = FactorOrConditionsRule.Config.FILTER.toRule();

  /**
   * Calcite's rule that splits window functions out of a project, restricted to logical
   * projects. The stock rule also fires on a JDBC project and produces a window in the
   * JDBC convention that no JDBC rel implements: an AssertionError for any window
   * function over a source table (CALCITE-7616, fixed after 1.42). Windows therefore run
   * locally over the rows the source returns.
   */
  public static final RelOptRule PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW =
      ProjectToWindowRule.ProjectToLogicalProjectAndWindowRule
          .ProjectToLogicalProjectAndWindowRuleConfig.DEFAULT
          .withOperandSupplier(b -> b.operand(LogicalProject.class)
              .predicate(LogicalProject::containsOver)
              .anyInputs())
          .withDescription("JunctionProjectToLogicalProjectAndWindowRule")
          .toRule();

  /** Factors common conjuncts out of ORs in join conditions. */
  public static final RelOptRule FACTOR_OR_JOIN = FactorOrConditionsRule.Config.JOIN.toRule();

  /**
   * Sorts into a {@link LocalSort}, or with OFFSET/FETCH a {@link LocalLimitSort}, in place
   * of Calcite's {@code ENUMERABLE_SORT_RULE}: sorted at run time in a list rather than
   * linq4j's tree map, and for a limit only as many rows as it returns kept.
   */
  public static final RelOptRule LOCAL_SORT = LocalSortRule.DEFAULT_CONFIG.toRule();
}
