package dev.junction.spi;

import java.util.List;

/**
 * A kind of source Junction can federate (PostgreSQL, DuckDB, ...), registered in
 * {@code META-INF/services/dev.junction.spi.SourceAdapter}.
 *
 * <p>An adapter declares the settings it accepts so the catalog file can be validated,
 * all problems at once, before any connection is made; {@link #open} must not connect.
 */
public interface SourceAdapter {

  /** The value of {@code type:} in the catalog file, lower case, e.g. {@code postgresql}. */
  String type();

  /** Settings this source type accepts besides the common ones every source has. */
  List<SourceProperty> properties();

  /**
   * Checks relations between settings that a single property cannot express
   * (for example "either url or host"). Returns human-readable problems, empty if none.
   */
  default List<String> validate(SourceSpec spec) {
    return List.of();
  }

  /** Creates the source without connecting; connections are made on first use. */
  Source open(SourceSpec spec);
}
