package dev.junction.planner.local;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Sort;

/**
 * Converts a logical sort into Junction's local sort operators, in place of Calcite's
 * {@code EnumerableSortRule}: a sort without offset or fetch into a {@link LocalSort}, one
 * with a collation and an offset or fetch into a {@link LocalLimitSort}. A limit without a
 * collation is left to Calcite's {@code EnumerableLimitRule}, which also offers a limit
 * over a sort without offset and fetch (priced higher than the {@link LocalLimitSort}).
 */
public final class LocalSortRule extends ConverterRule {
  /** Default configuration. */
  public static final Config DEFAULT_CONFIG = Config.INSTANCE
      .withConversion(Sort.class, Convention.NONE, EnumerableConvention.INSTANCE,
          "LocalSortRule")
      .withRuleFactory(LocalSortRule::new);

  private LocalSortRule(Config config) {
    super(config);
  }

  @Override public RelNode convert(RelNode rel) {
    Sort sort = (Sort) rel;
    RelNode input = sort.getInput();
    boolean limited = sort.offset != null || sort.fetch != null;
    if (limited && sort.getCollation().getFieldCollations().isEmpty()) {
      return null;
    }
    RelNode enumerable =
        convert(input, input.getTraitSet().replace(EnumerableConvention.INSTANCE));
    return limited
        ? LocalLimitSort.create(enumerable, sort.getCollation(), sort.offset, sort.fetch)
        : LocalSort.create(enumerable, sort.getCollation());
  }
}
