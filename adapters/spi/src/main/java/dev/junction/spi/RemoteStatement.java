package dev.junction.spi;

import org.apache.calcite.rel.RelNode;

/**
 * A leaf of the executable plan that runs a subtree in one source as one statement, made
 * by {@link SourcePushdown#statement}. The planner asks it what it sends, to push more
 * work into it (a filter on keys from the other side of a join) and to show it in EXPLAIN.
 */
public interface RemoteStatement {
  /** The source's pushdown, which made this statement. */
  SourcePushdown pushdown();

  /** The subtree sent, in the source's convention. */
  RelNode pushed();

  /** The source's name in the catalog. */
  String sourceName();

  /** The SQL sent, on one line, correlated keys shown as {@code ?}. */
  String sql();
}
