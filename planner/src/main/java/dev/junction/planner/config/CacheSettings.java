package dev.junction.planner.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The result cache of a catalog: its top-level {@code cache:} section and each source's
 * {@code cache-ttl}. A catalog without a {@code cache:} section caches no results
 * ({@link #OFF}).
 *
 * @param enabled whether the catalog has a {@code cache:} section
 * @param maxBytes {@code max-bytes}: the estimated size of all cached results together
 * @param maxEntryBytes {@code max-entry-bytes}: a result estimated larger streams through
 *     uncached
 * @param ttl {@code ttl}: how long a result is kept when its sources set no
 *     {@code cache-ttl}; zero means such results are not cached
 * @param sourceTtls each source's {@code cache-ttl}, by source name, where it is set
 */
public record CacheSettings(boolean enabled, long maxBytes, long maxEntryBytes, Duration ttl,
    Map<String, Duration> sourceTtls) {
  /** {@code max-bytes} when the section leaves it out: 256 MB. */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
  /** {@code max-entry-bytes} when the section leaves it out: 8 MB. */
  public static final long DEFAULT_MAX_ENTRY_BYTES = 8L * 1024 * 1024;
  /** No {@code cache:} section: nothing is cached. */
  public static final CacheSettings OFF = new CacheSettings(false, 0, 0, Duration.ZERO,
      Map.of());

  /** Copies the map. */
  public CacheSettings {
    sourceTtls = Map.copyOf(sourceTtls);
  }

  /** How long results read from {@code source} are kept: its {@code cache-ttl} or {@link #ttl}. */
  public Duration ttl(String source) {
    return Optional.ofNullable(sourceTtls.get(source)).orElse(ttl);
  }
}
