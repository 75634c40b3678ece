package dev.junction.planner.local;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Sort;

/**
 * Converts a logical sort without offset or fetch into a {@link LocalSort}: Calcite's
 * {@code EnumerableSortRule}, whose place it takes in Junction's planner, with the other
 * operator. A sort with offset or fetch is left to Calcite's {@code EnumerableLimitRule},
 * which splits it into a limit over a sort without them, which this rule then converts.
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
    if (sort.offset != null || sort.fetch != null) {
      return null;
    }
    RelNode input = sort.getInput();
    return LocalSort.create(
        convert(input, input.getTraitSet().replace(EnumerableConvention.INSTANCE)),
        sort.getCollation());
  }
}
