package dev.junction.spi;

import java.util.OptionalDouble;

/**
 * Per-column statistics a source's catalog keeps (PostgreSQL's {@code pg_stats}), found by
 * unwrapping a table of the source. The planner's estimates read them: an equality filter
 * on a column keeps about one row in as many as the column has distinct values, where
 * Calcite alone guesses 15% whatever the column.
 */
public interface ColumnStatistics {
  /**
   * The estimated number of distinct non-null values in the column at {@code ordinal} of
   * the table's row type, or empty when the source keeps no such statistic.
   */
  OptionalDouble distinctValues(int ordinal);
}
