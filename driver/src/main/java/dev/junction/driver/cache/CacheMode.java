package dev.junction.driver.cache;

import java.util.Locale;

/**
 * What a statement does with the result cache: the connection property {@code resultCache}
 * or the hint {@code /*+ result_cache(bypass|force) *}{@code /} (the hint wins).
 */
public enum CacheMode {
  /** Served from and stored in the cache when the statement's sources' TTL is above 0. */
  DEFAULT,
  /** Neither read from nor stored in the cache. */
  BYPASS,
  /**
   * Served from and stored in the cache even when a source's TTL is 0; such a result is
   * kept until it is evicted or invalidated. Non-deterministic statements are still never
   * cached.
   */
  FORCE;

  /**
   * The mode a property or hint value names, in any case; null or blank is
   * {@link #DEFAULT}.
   *
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static CacheMode of(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + value + "' is not a result cache mode;"
          + " allowed: default, bypass, force", e);
    }
  }
}
