package dev.junction.planner.planning;

/**
 * The planner's switches a connection sets, found by the planner in its context.
 *
 * @param partialAggregates whether a grouping over a join across sources may be computed
 *     in part in the source of its aggregates' arguments ({@link PartialAggregatePushdown})
 */
public record PlanningOptions(boolean partialAggregates) {
  /** Every switch on. */
  public static final PlanningOptions DEFAULT = new PlanningOptions(true);

  /** A statement-preparation context that carries its connection's options. */
  public interface Carrier {
    /** The options the connection's statements are planned with. */
    PlanningOptions planningOptions();
  }
}
