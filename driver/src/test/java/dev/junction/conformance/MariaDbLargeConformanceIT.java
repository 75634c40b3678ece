package dev.junction.conformance;

/**
 * The conformance battery on MariaDB at realistic sizes
 * ({@link ConformanceData.Scale#LARGE}): the same shapes and expectations as
 * {@link MariaDbConformanceIT}, over indexed tables with real statistics.
 *
 * <p>Most of its run time is {@code full_join}: MariaDB has no FULL JOIN, so Junction
 * fetches all 200,000 orders and the customers and joins them itself, which takes about a
 * minute.
 */
class MariaDbLargeConformanceIT extends MariaDbConformanceIT {
  @Override protected ConformanceData.Scale scale() {
    return ConformanceData.Scale.LARGE;
  }
}
