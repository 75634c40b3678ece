package dev.junction.spi;

import java.util.OptionalDouble;

/**
 * Per-column statistics a source's catalog keeps (PostgreSQL's {@code pg_stats}), found by
 * unwrapping a table of the source. The planner's estimates read them: an equality filter
 * on a column keeps about one row in as many as the column has distinct values, where
 * Calcite alone guesses 15% whatever the column; a range keeps the share of rows the
 * column's histogram puts in it, where Calcite guesses 25% for any range.
 */
public interface ColumnStatistics {
  /**
   * The estimated number of distinct non-null values in the column at {@code ordinal} of
   * the table's row type, or empty when the source keeps no such statistic.
   */
  OptionalDouble distinctValues(int ordinal);

  /**
   * The share of the table's rows whose column at {@code ordinal} lies between
   * {@code low} and {@code high} (either may be infinite; numbers, dates as days since
   * 1970), from the source's histogram and most common values, or empty when the source
   * keeps no histogram of the column. None by default.
   */
  default OptionalDouble rangeShare(int ordinal, double low, double high) {
    return OptionalDouble.empty();
  }
}
