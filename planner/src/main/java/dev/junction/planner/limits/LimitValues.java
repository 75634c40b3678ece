package dev.junction.planner.limits;

import dev.junction.config.Settings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits one entry of a file sets (a {@code limits:} section of the catalog, or the
 * defaults, a user or a group of the policy's): each value null when the entry leaves it
 * unset, so a more general entry can supply it.
 *
 * @param where where the entry is written, for messages: {@code policy.yaml,
 *     limits.users.ana}
 * @param maxRows {@code max-rows}: rows a query may return; 0 for no limit
 * @param onMaxRows {@code on-max-rows}: what happens at the row cap
 * @param queryTimeout {@code query-timeout}: how long a query may run; zero for no limit
 * @param maxConcurrentQueries {@code max-concurrent-queries}: queries one user may run at
 *     once; 0 for no limit
 * @param onLimit {@code on-limit}: what a query beyond the concurrency limit does
 * @param queueTimeout {@code queue-timeout}: how long a queued query waits at most
 * @param maxRowsFetched {@code max-rows-fetched}: rows one query may read from all its
 *     sources together; 0 for no limit
 * @param maxQueryMemory {@code max-query-memory}: bytes one query's local operators may
 *     hold; 0 for no limit
 * @param maxBytesScanned {@code max-bytes-scanned}: bytes one query may scan in sources that
 *     estimate it; 0 for no limit
 * @param maxBytesScannedPerDay {@code max-bytes-scanned-per-day}: bytes a user's queries may
 *     scan in such sources per UTC day; 0 for no limit
 */
public record LimitValues(String where, Integer maxRows, Limits.OnMaxRows onMaxRows,
    Duration queryTimeout, Integer maxConcurrentQueries, Limits.OnLimit onLimit,
    Duration queueTimeout, Integer maxRowsFetched, Long maxQueryMemory, Long maxBytesScanned,
    Long maxBytesScannedPerDay) {

  /** The keys a limits entry accepts. */
  public static final String[] KEYS = {Limits.MAX_ROWS, Limits.ON_MAX_ROWS, Limits.QUERY_TIMEOUT,
      Limits.MAX_CONCURRENT_QUERIES, Limits.ON_LIMIT, Limits.QUEUE_TIMEOUT,
      Limits.MAX_ROWS_FETCHED, Limits.MAX_QUERY_MEMORY, Limits.MAX_BYTES_SCANNED,
      Limits.MAX_BYTES_SCANNED_PER_DAY};

  /** An entry that sets nothing. */
  public static LimitValues none(String where) {
    return new LimitValues(where, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Reads the limits of one entry through the typed configuration layer; a bad value is
   * a problem naming the key, the value and what is allowed, and is left unset.
   *
   * @param extraKeys further keys the caller reads itself from the same map
   */
  public static LimitValues read(Settings s, String where, String... extraKeys) {
    String[] allowed = new String[KEYS.length + extraKeys.length];
    System.arraycopy(KEYS, 0, allowed, 0, KEYS.length);
    System.arraycopy(extraKeys, 0, allowed, KEYS.length, extraKeys.length);
    s.known(allowed);
    return new LimitValues(where,
        s.integer(Limits.MAX_ROWS, 0, Integer.MAX_VALUE - 1),
        s.has(Limits.ON_MAX_ROWS)
            ? s.enumValue(Limits.ON_MAX_ROWS, Limits.OnMaxRows.class, null) : null,
        s.has(Limits.QUERY_TIMEOUT) ? seconds(s, Limits.QUERY_TIMEOUT) : null,
        s.integer(Limits.MAX_CONCURRENT_QUERIES, 0, 100_000),
        s.has(Limits.ON_LIMIT) ? s.enumValue(Limits.ON_LIMIT, Limits.OnLimit.class, null) : null,
        s.has(Limits.QUEUE_TIMEOUT) ? s.duration(Limits.QUEUE_TIMEOUT, null) : null,
        s.integer(Limits.MAX_ROWS_FETCHED, 0, Integer.MAX_VALUE),
        s.has(Limits.MAX_QUERY_MEMORY) ? sizeOrNull(s, Limits.MAX_QUERY_MEMORY) : null,
        s.has(Limits.MAX_BYTES_SCANNED) ? sizeOrNull(s, Limits.MAX_BYTES_SCANNED) : null,
        s.has(Limits.MAX_BYTES_SCANNED_PER_DAY)
            ? sizeOrNull(s, Limits.MAX_BYTES_SCANNED_PER_DAY) : null);
  }

  /**
   * A query timeout: whole seconds, because JDBC's and the sources' statement timeouts
   * count whole seconds; {@code 1500ms} would silently become 1 s, so it is a problem.
   */
  private static Duration seconds(Settings s, String key) {
    Duration d = s.duration(key, null);
    if (d != null && d.toMillis() % 1000 != 0) {
      s.problem(key, "'" + d.toMillis() + "ms' is not allowed; allowed: whole seconds"
          + " (30s, 5m, 1h), or 0 for no timeout");
      return null;
    }
    return d;
  }

  private static Long sizeOrNull(Settings s, String key) {
    long v = s.size(key, -1);
    return v < 0 ? null : v;
  }

  /** The values this entry sets, by key, for messages and the system table. */
  public Map<String, Object> values() {
    Map<String, Object> out = new LinkedHashMap<>();
    put(out, Limits.MAX_ROWS, maxRows);
    put(out, Limits.ON_MAX_ROWS, onMaxRows);
    put(out, Limits.QUERY_TIMEOUT, queryTimeout);
    put(out, Limits.MAX_CONCURRENT_QUERIES, maxConcurrentQueries);
    put(out, Limits.ON_LIMIT, onLimit);
    put(out, Limits.QUEUE_TIMEOUT, queueTimeout);
    put(out, Limits.MAX_ROWS_FETCHED, maxRowsFetched);
    put(out, Limits.MAX_QUERY_MEMORY, maxQueryMemory);
    put(out, Limits.MAX_BYTES_SCANNED, maxBytesScanned);
    put(out, Limits.MAX_BYTES_SCANNED_PER_DAY, maxBytesScannedPerDay);
    return out;
  }

  private static void put(Map<String, Object> out, String key, Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }
}
