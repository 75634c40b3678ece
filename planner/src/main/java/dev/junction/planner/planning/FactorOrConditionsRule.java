package dev.junction.planner.planning;

import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilderFactory;

/**
 * Pulls conjuncts common to every branch of an OR out of filter and join conditions:
 * {@code (a = b AND x) OR (a = b AND y)} becomes {@code a = b AND (x OR y)}.
 *
 * <p>TPC-H Q19 states its join key inside each OR branch; without this the key is
 * invisible to join rules and the join runs as a nested loop over both inputs.
 */
public final class FactorOrConditionsRule extends RelRule<FactorOrConditionsRule.Config> {

  private FactorOrConditionsRule(Config config) {
    super(config);
  }

  @Override public void onMatch(org.apache.calcite.plan.RelOptRuleCall call) {
    if (config.forJoin()) {
      Join join = call.rel(0);
      RexNode factored = factor(join.getCluster().getRexBuilder(), join.getCondition());
      if (factored != null) {
        call.transformTo(join.copy(join.getTraitSet(), factored, join.getLeft(),
            join.getRight(), join.getJoinType(), join.isSemiJoinDone()));
      }
    } else {
      Filter filter = call.rel(0);
      RexNode factored = factor(filter.getCluster().getRexBuilder(), filter.getCondition());
      if (factored != null) {
        call.transformTo(filter.copy(filter.getTraitSet(), filter.getInput(), factored));
      }
    }
  }

  /** The factored condition, or null when factoring changes nothing. */
  private static RexNode factor(RexBuilder rexBuilder, RexNode condition) {
    if (!containsOr(condition)) {
      return null;
    }
    RexNode pulled = RexUtil.pullFactors(rexBuilder, condition);
    return pulled.equals(condition) ? null : pulled;
  }

  private static boolean containsOr(RexNode condition) {
    return RexUtil.findOperatorCall(org.apache.calcite.sql.fun.SqlStdOperatorTable.OR,
        condition) != null;
  }

  /**
   * Configuration: whether the rule matches joins or filters.
   *
   * @param forJoin true to match {@link Join}, false for {@link Filter}
   * @param relBuilderFactory builder factory
   * @param description rule description
   * @param operandSupplier operands
   */
  public record Config(boolean forJoin, RelBuilderFactory relBuilderFactory,
      String description, OperandTransform operandSupplier) implements RelRule.Config {
    /** The rule for filters. */
    public static final Config FILTER = new Config(false, RelFactories.LOGICAL_BUILDER,
        "FactorOrConditionsRule:Filter", b -> b.operand(Filter.class).anyInputs());
    /** The rule for joins. */
    public static final Config JOIN = new Config(true, RelFactories.LOGICAL_BUILDER,
        "FactorOrConditionsRule:Join", b -> b.operand(Join.class).anyInputs());

    @Override public RelOptRule toRule() {
      return new FactorOrConditionsRule(this);
    }

    @Override public Config withRelBuilderFactory(RelBuilderFactory factory) {
      return new Config(forJoin, factory, description, operandSupplier);
    }

    @Override public Config withDescription(String newDescription) {
      return new Config(forJoin, relBuilderFactory, newDescription, operandSupplier);
    }

    @Override public Config withOperandSupplier(OperandTransform transform) {
      return new Config(forJoin, relBuilderFactory, description, transform);
    }
  }
}
