package dev.junction.planner.planning;

import org.apache.calcite.plan.RelOptRule;

/** The planner rules Junction adds to Calcite's, one instance each. */
public final class JunctionRules {
  private JunctionRules() {
  }

  /** Factors common conjuncts out of ORs in filters. */
  public static final RelOptRule FACTOR_OR_FILTER = FactorOrConditionsRule.Config.FILTER.toRule();

  /** Factors common conjuncts out of ORs in join conditions. */
  public static final RelOptRule FACTOR_OR_JOIN = FactorOrConditionsRule.Config.JOIN.toRule();
}
