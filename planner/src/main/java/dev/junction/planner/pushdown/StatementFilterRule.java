package dev.junction.planner.pushdown;

import dev.junction.planner.security.PolicyGuards;
import dev.junction.spi.RemoteStatement;
import dev.junction.spi.SourcePushdown;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.tools.RelBuilderFactory;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.List;

/**
 * Pushes a filter that cost-based planning puts over a remote statement into the
 * statement. The filter a batched join places over its inner side, which compares the
 * join key with the outer side's keys, is the case that matters: pushed, each batch is
 * one statement that reads only the matching rows. A condition that still holds an access
 * policy operator stays out (statements are final once made).
 */
public final class StatementFilterRule extends RelRule<StatementFilterRule.Config> {
  /** The rule instance. */
  public static final StatementFilterRule INSTANCE = Config.DEFAULT.toRule();

  private StatementFilterRule(Config config) {
    super(config);
  }

  @Override public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    RemoteStatement statement = (RemoteStatement) call.rel(1);
    if (PolicyGuards.hasPolicyOperator(filter)) {
      return;
    }
    RelNode pushed = belowGrouping(filter, statement.pushed(), statement.pushdown());
    if (pushed == null) {
      pushed = statement.pushdown().push(
          filter.copy(filter.getTraitSet(), List.of(statement.pushed())));
    }
    if (pushed != null) {
      call.transformTo(statement.pushdown().statement(pushed));
    }
  }

  /**
   * The statement's plan with {@code filter} below its grouping, when the statement ends in
   * one and the filter reads only group keys; null otherwise. A batch's keys then restrict
   * the rows the source groups ({@code WHERE}), rather than the groups it made of all of
   * them ({@code HAVING}), as a key-set join's keys do.
   */
  private static RelNode belowGrouping(Filter filter, RelNode pushed, SourcePushdown source) {
    if (!(pushed instanceof Aggregate agg) || agg.getGroupType() != Aggregate.Group.SIMPLE) {
      return null;
    }
    ImmutableBitSet used = RelOptUtil.InputFinder.bits(filter.getCondition());
    if (used.isEmpty() || used.length() > agg.getGroupCount()) {
      return null;
    }
    RelNode input = agg.getInput();
    RexNode moved = filter.getCondition().accept(new RexShuttle() {
      @Override public RexNode visitInputRef(RexInputRef ref) {
        int field = agg.getGroupSet().nth(ref.getIndex());
        return new RexInputRef(field, input.getRowType().getFieldList().get(field).getType());
      }
    });
    RelNode below = source.push(filter.copy(filter.getTraitSet(), input, moved));
    return below == null ? null : agg.copy(agg.getTraitSet(), List.of(below));
  }

  /**
   * Rule configuration.
   *
   * @param relBuilderFactory builder factory
   * @param description rule description
   * @param operandSupplier operands
   */
  public record Config(RelBuilderFactory relBuilderFactory, String description,
      OperandTransform operandSupplier) implements RelRule.Config {
    /** A filter directly over a remote statement. */
    public static final Config DEFAULT = new Config(RelFactories.LOGICAL_BUILDER,
        "StatementFilterRule", b0 -> b0.operand(Filter.class).oneInput(b1 ->
            b1.operand(RelNode.class).predicate(r -> r instanceof RemoteStatement)
                .noInputs()));

    @Override public StatementFilterRule toRule() {
      return new StatementFilterRule(this);
    }

    @Override public Config withRelBuilderFactory(RelBuilderFactory factory) {
      return new Config(factory, description, operandSupplier);
    }

    @Override public Config withDescription(String newDescription) {
      return new Config(relBuilderFactory, newDescription, operandSupplier);
    }

    @Override public Config withOperandSupplier(OperandTransform transform) {
      return new Config(relBuilderFactory, description, transform);
    }
  }
}
