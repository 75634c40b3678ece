package dev.junction.conformance;

/**
 * The conformance battery on DuckDB at realistic sizes
 * ({@link ConformanceData.Scale#LARGE}): the same shapes and expectations as
 * {@link DuckDbConformanceIT}, over indexed tables with real statistics.
 */
class DuckDbLargeConformanceIT extends DuckDbConformanceIT {
  @Override protected ConformanceData.Scale scale() {
    return ConformanceData.Scale.LARGE;
  }
}
