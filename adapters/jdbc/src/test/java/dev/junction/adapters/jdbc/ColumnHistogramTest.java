package dev.junction.adapters.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Range shares from a histogram and most common values, as {@code pg_stats} gives them. */
class ColumnHistogramTest {
  /** Four equal buckets over 0..400 holding 80% of rows; 10 and 500 hold 5% each; 10% NULL. */
  private final ColumnHistogram h = new ColumnHistogram(new double[] {10, 500},
      new double[] {0.05, 0.05}, new double[] {0, 100, 200, 300, 400}, 0.1);

  @Test
  void aRangeTakesItsBucketsInterpolatedAndTheCommonValuesInIt() {
    assertEquals(0.8 * 0.25, h.share(100, 200), 1e-9);
    assertEquals(0.8 * 0.125 + 0.05, h.share(0, 50), 1e-9);
    assertEquals(0.8 * 0.5, h.share(150, 350), 1e-9);
  }

  @Test
  void openEndsAndRangesOutsideTheBounds() {
    assertEquals(0.8 + 0.1, h.share(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), 1e-9);
    assertEquals(0.05, h.share(450, Double.POSITIVE_INFINITY), 1e-9);
    assertEquals(0, h.share(-50, -10), 1e-9);
    assertEquals(0, h.share(300, 200), 1e-9);
  }

  @Test
  void onlyCommonValues() {
    ColumnHistogram flags = new ColumnHistogram(new double[] {1, 2}, new double[] {0.7, 0.3},
        new double[0], 0);
    assertEquals(0.7, flags.share(0, 1.5), 1e-9);
  }
}
