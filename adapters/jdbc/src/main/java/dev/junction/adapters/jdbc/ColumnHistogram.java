package dev.junction.adapters.jdbc;

import java.util.Arrays;

/**
 * A column's value distribution as a source's catalog keeps it (PostgreSQL's
 * {@code pg_stats}): its most common values with their shares of the table's rows, and
 * equal-share bucket bounds over the remaining non-null rows. Values are numbers, dates as
 * days since 1970.
 *
 * @param commonValues the most common values
 * @param commonShares the share of rows of each common value
 * @param bounds the histogram's bucket bounds, ascending (empty when there is none)
 * @param nullShare the share of rows that are NULL
 */
public record ColumnHistogram(double[] commonValues, double[] commonShares, double[] bounds,
    double nullShare) {
  /** The share of the table's rows whose value lies in {@code [low, high]}. */
  public double share(double low, double high) {
    if (!(low <= high)) {
      return 0;
    }
    double common = 0;
    double commonTotal = 0;
    for (int i = 0; i < commonValues.length; i++) {
      commonTotal += commonShares[i];
      if (commonValues[i] >= low && commonValues[i] <= high) {
        common += commonShares[i];
      }
    }
    double rest = Math.max(0, 1 - nullShare - commonTotal);
    return Math.min(1, common + rest * (position(high) - position(low)));
  }

  /** The share of the histogram's rows below {@code x}, interpolated within a bucket. */
  private double position(double x) {
    int n = bounds.length - 1;
    if (n < 1 || x <= bounds[0]) {
      return 0;
    }
    if (x >= bounds[n]) {
      return 1;
    }
    int i = Arrays.binarySearch(bounds, x);
    if (i < 0) {
      i = -i - 2;
    } else {
      while (i > 0 && bounds[i - 1] == x) {
        i--;
      }
    }
    double width = bounds[i + 1] - bounds[i];
    double within = width > 0 ? (x - bounds[i]) / width : 0;
    return (i + within) / n;
  }
}
