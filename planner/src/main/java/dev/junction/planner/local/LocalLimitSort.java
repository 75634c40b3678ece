package dev.junction.planner.local;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.BuiltInMethod;

import java.lang.reflect.Method;
import java.util.Comparator;

/**
 * A sort with OFFSET and/or FETCH, run by {@link LocalSorts#orderBy(Enumerable, Function1,
 * Comparator, int, int)}: the rows Calcite's {@code EnumerableLimit} over its sort returns,
 * from a buffer of at most twice {@code offset + fetch} rows instead of a sort of the whole
 * input. Calcite 1.42 plans {@code ORDER BY .. LIMIT n} as that limit over a full sort; its
 * own top-N operator ({@code EnumerableLimitSort}, a {@code TreeMap} cut to n rows) is not
 * among its default rules. Priced as Calcite prices a sort with a fetch (the rows it
 * returns), so it wins over the limit above a sort.
 */
public final class LocalLimitSort extends Sort implements EnumerableRel {
  private static final Method ORDER_BY = Types.lookupMethod(LocalSorts.class, "orderBy",
      Enumerable.class, Function1.class, Comparator.class, int.class, int.class);

  LocalLimitSort(RelOptCluster cluster, RelTraitSet traitSet, RelNode input,
      RelCollation collation, RexNode offset, RexNode fetch) {
    super(cluster, traitSet, input, collation, offset, fetch);
  }

  /**
   * A local sort of {@code input}, an Enumerable rel, on {@code collation}, with an
   * {@code offset} and a {@code fetch} (either may be null; a literal or a parameter).
   */
  public static LocalLimitSort create(RelNode input, RelCollation collation, RexNode offset,
      RexNode fetch) {
    RelOptCluster cluster = input.getCluster();
    return new LocalLimitSort(cluster,
        cluster.traitSetOf(EnumerableConvention.INSTANCE).replace(collation), input,
        collation, offset, fetch);
  }

  /** A copy; without offset and fetch, a {@link LocalSort}. */
  @Override public Sort copy(RelTraitSet traitSet, RelNode newInput, RelCollation newCollation,
      RexNode offset, RexNode fetch) {
    if (offset == null && fetch == null) {
      return new LocalSort(getCluster(), traitSet, newInput, newCollation);
    }
    return new LocalLimitSort(getCluster(), traitSet, newInput, newCollation, offset, fetch);
  }

  @Override public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    return LocalSort.implementSort(implementor, pref, this, ORDER_BY,
        offset == null ? Expressions.constant(0) : intValue(offset),
        fetch == null ? Expressions.constant(Integer.MAX_VALUE) : intValue(fetch));
  }

  /**
   * An OFFSET or FETCH as an {@code int}, as {@code EnumerableLimit} reads it: a literal, or
   * a statement parameter read from the data context.
   */
  private static Expression intValue(RexNode node) {
    if (node instanceof RexDynamicParam param) {
      return Expressions.unbox(Expressions.convert_(Expressions.call(DataContext.ROOT,
          BuiltInMethod.DATA_CONTEXT_GET.method,
          Expressions.constant("?" + param.getIndex())), Integer.class));
    }
    return Expressions.constant(RexLiteral.intValue(node));
  }
}
