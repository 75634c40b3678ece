package dev.junction.conformance;

/**
 * The conformance battery on PostgreSQL at realistic sizes
 * ({@link ConformanceData.Scale#LARGE}): the same shapes and expectations as
 * {@link PostgreSqlConformanceIT}, over indexed tables with real statistics.
 */
class PostgreSqlLargeConformanceIT extends PostgreSqlConformanceIT {
  @Override protected ConformanceData.Scale scale() {
    return ConformanceData.Scale.LARGE;
  }
}
