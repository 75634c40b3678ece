package dev.junction.adapters.jdbc;

import java.util.Map;

/**
 * What a source's catalog keeps about the columns of one table, by column name: read in one
 * go ({@link JdbcSourceAdapter#columnStatistics}) and cached together, so a source that
 * keeps both in one catalog view (PostgreSQL's {@code pg_stats}) is asked once per table.
 *
 * @param distinctValues the estimated distinct non-null values of each column
 * @param histograms the value distribution of each numeric or date column
 */
public record TableStatistics(Map<String, Double> distinctValues,
    Map<String, ColumnHistogram> histograms) {
  /** No statistics: the planner guesses, as Calcite does. */
  public static final TableStatistics NONE = new TableStatistics(Map.of(), Map.of());

  /** Copies both maps, so a cached value cannot change. */
  public TableStatistics {
    distinctValues = Map.copyOf(distinctValues);
    histograms = Map.copyOf(histograms);
  }
}
