package dev.junction.spi;

/**
 * How wide a DECIMAL Junction represents, shared by the planner's type system, the
 * adapters' type mapping and the dialects' casts, so that all of them agree.
 */
public final class Decimals {
  /**
   * The most digits of a DECIMAL: DuckDB's widest (and its HUGEINT's range), within
   * MySQL's 65 and PostgreSQL's unbounded {@code numeric}. Calcite's default of 19
   * overflows sums of money columns. Wider remote decimals are capped to it.
   */
  public static final int MAX_PRECISION = 38;

  private Decimals() {
  }
}
