package dev.junction.planner.limits;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The limits in force for one caller, each with where it was set ({@link #where}), as
 * {@link LimitRules#forPrincipal} works them out. Zero means no limit. Immutable; a policy
 * reload gives new queries a new record.
 *
 * @param maxRows rows a query may return
 * @param onMaxRows what happens when a query has more rows than {@code maxRows}
 * @param queryTimeout how long a query may run
 * @param maxConcurrentQueries queries the user may run at once (per catalog and process)
 * @param onLimit whether a query beyond {@code maxConcurrentQueries} waits or is refused
 * @param queueTimeout how long a waiting query waits before it is refused
 * @param maxRowsFetched rows one query may read from all its sources together
 * @param maxQueryMemory bytes one query's local operators may hold (estimated)
 * @param processMemory bytes the local operators of all queries of the catalog may hold
 * @param maxBytesScanned bytes one query may scan in sources that estimate it before
 *     running (BigQuery's dry run)
 * @param maxBytesScannedPerDay bytes a user's queries may scan in such sources per UTC day
 * @param where for each limit key that is set, where: {@code policy /p/policy.yaml,
 *     limits.groups.analysts}
 */
public record Limits(long maxRows, OnMaxRows onMaxRows, Duration queryTimeout,
    int maxConcurrentQueries, OnLimit onLimit, Duration queueTimeout, long maxRowsFetched,
    long maxQueryMemory, long processMemory, long maxBytesScanned, long maxBytesScannedPerDay,
    Map<String, String> where) {

  /** Key: rows a query may return. */
  public static final String MAX_ROWS = "max-rows";
  /** Key: {@code error} or {@code truncate} at the row cap. */
  public static final String ON_MAX_ROWS = "on-max-rows";
  /** Key: how long a query may run. */
  public static final String QUERY_TIMEOUT = "query-timeout";
  /** Key: queries one user may run at once. */
  public static final String MAX_CONCURRENT_QUERIES = "max-concurrent-queries";
  /** Key: {@code queue} or {@code refuse} beyond the concurrency limit. */
  public static final String ON_LIMIT = "on-limit";
  /** Key: how long a queued query waits at most. */
  public static final String QUEUE_TIMEOUT = "queue-timeout";
  /** Key: rows one query may read from its sources. */
  public static final String MAX_ROWS_FETCHED = "max-rows-fetched";
  /** Key: bytes one query's local operators may hold. */
  public static final String MAX_QUERY_MEMORY = "max-query-memory";
  /** Key (catalog only): bytes the local operators of all queries may hold together. */
  public static final String PROCESS_MEMORY = "process-memory";
  /** Key: bytes one query may scan in sources that estimate it (BigQuery). */
  public static final String MAX_BYTES_SCANNED = "max-bytes-scanned";
  /** Key: bytes one user's queries may scan in such sources per UTC day. */
  public static final String MAX_BYTES_SCANNED_PER_DAY = "max-bytes-scanned-per-day";

  /** How long a queued query waits when {@code queue-timeout} is not set. */
  public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(30);

  /** No limits at all: what a catalog without any {@code limits:} gives every caller. */
  public static final Limits NONE = new Limits(0, OnMaxRows.ERROR, Duration.ZERO, 0,
      OnLimit.QUEUE, DEFAULT_QUEUE_TIMEOUT, 0, 0, 0, 0, 0, Map.of());

  /** Copies the map. */
  public Limits {
    where = Map.copyOf(where);
  }

  /** What happens when a query has more rows than {@code max-rows}. */
  public enum OnMaxRows {
    /** The query fails with SQLState 54000. */
    ERROR,
    /** The result ends at the cap and carries an SQLWarning. */
    TRUNCATE
  }

  /** What a query beyond {@code max-concurrent-queries} does. */
  public enum OnLimit {
    /** Waits for a running query to end, up to {@code queue-timeout}, then is refused. */
    QUEUE,
    /** Is refused at once with SQLState 53300. */
    REFUSE
  }

  /** Where {@code key} was set, or {@code "not set"}. */
  public String where(String key) {
    return where.getOrDefault(key, "not set");
  }

  /** {@code key: value (where)}: a limit as messages name it. */
  public String describe(String key, Object value) {
    return key + " = " + show(value) + " (set in " + where(key) + ")";
  }

  /** A value as written in the files: durations as {@code 30s}, enums in lower case. */
  public static String show(Object value) {
    if (value instanceof Duration d) {
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    return String.valueOf(value);
  }
}
