package dev.junction.driver.limits;

import dev.junction.planner.limits.Limits;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.QueryScope;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One execution's count of what it read from its sources, checked against its limits as
 * each row arrives: {@code max-rows-fetched} (rows from all sources together) and, for a
 * plan that holds rows in Junction, {@code max-query-memory} and the catalog's
 * {@code process-memory}.
 *
 * <p>What the memory budget counts: every row the query reads from a source while its plan
 * joins, sorts, aggregates, combines set operations or computes windows in Junction, at
 * the row's estimated size (each value's size as {@code EXPLAIN ANALYZE} counts bytes,
 * plus 16 bytes per value for the object holding it), until the query ends. That bounds
 * what those operators can hold (a hash join's build side, a sort's buffer, an
 * aggregate's groups) from above: rows that stream through (a hash join's probe side)
 * count too. A plan that only filters and projects what its sources return holds no rows
 * and is not metered; nor is what a source computes itself.
 */
public final class QueryBudget implements QueryScope.FetchMeter {
  private final QueryGate gate;
  private final Limits limits;
  private final boolean metersBytes;
  private final String user;
  private final String sql;
  private final long startedNanos = System.nanoTime();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Map<String, AtomicLong> bySource = new ConcurrentHashMap<>();
  private final AtomicBoolean ended = new AtomicBoolean();

  private QueryBudget(QueryGate gate, Limits limits, boolean holdsRowsLocally, String user,
      String sql) {
    this.gate = gate;
    this.limits = limits;
    this.metersBytes = holdsRowsLocally
        && (limits.maxQueryMemory() > 0 || limits.processMemory() > 0);
    this.user = user;
    this.sql = sql;
  }

  /**
   * Starts metering one execution; {@link #end()} must follow however it ends.
   *
   * @param holdsRowsLocally whether the plan keeps rows in Junction (then memory counts)
   */
  public static QueryBudget start(QueryGate gate, Limits limits, boolean holdsRowsLocally,
      String user, String sql) {
    QueryBudget b = new QueryBudget(gate, limits, holdsRowsLocally, user, sql);
    gate.started(b);
    return b;
  }

  @Override public boolean wantsBytes() {
    return metersBytes;
  }

  @Override public void fetched(String source, long rowBytes) {
    long n = rows.incrementAndGet();
    bySource.computeIfAbsent(source, s -> new AtomicLong()).incrementAndGet();
    long maxFetched = limits.maxRowsFetched();
    if (maxFetched > 0 && n > maxFetched) {
      throw new JunctionException(ErrorCode.LIMIT_ROWS_FETCHED, "The query read more than "
          + maxFetched + " rows from its sources (" + perSource() + "), the limit "
          + limits.describe(Limits.MAX_ROWS_FETCHED, maxFetched) + ". Narrow the query with"
          + " filters its sources can apply, or ask for a higher limit.");
    }
    if (rowBytes < 0 || !metersBytes) {
      return;
    }
    long mine = bytes.addAndGet(rowBytes);
    long all = gate.heldBytesCounter().addAndGet(rowBytes);
    long perQuery = limits.maxQueryMemory();
    if (perQuery > 0 && mine > perQuery) {
      throw new JunctionException(ErrorCode.LIMIT_MEMORY, "The query would hold more than "
          + perQuery + " bytes of rows in Junction (its joins, sorts or aggregates across"
          + " sources), the limit " + limits.describe(Limits.MAX_QUERY_MEMORY, perQuery)
          + ". Filter the query so its sources return fewer rows, or ask for a higher"
          + " limit.");
    }
    long process = limits.processMemory();
    if (process > 0 && all > process) {
      throw new JunctionException(ErrorCode.LIMIT_MEMORY, "Queries running in Junction would"
          + " together hold more than " + process + " bytes of rows, the limit "
          + limits.describe(Limits.PROCESS_MEMORY, process) + "; this query was stopped"
          + " so the others can finish. Retry later, or filter the query so its sources"
          + " return fewer rows.");
    }
  }

  private String perSource() {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(bySource).forEach((s, n) -> b.append(b.length() == 0 ? "" : ", ")
        .append(s).append(": ").append(n.get()));
    return b.toString();
  }

  /** Ends metering: the bytes it counted are no longer held. Idempotent. */
  public void end() {
    if (ended.compareAndSet(false, true)) {
      gate.heldBytesCounter().addAndGet(-bytes.get());
      gate.ended(this);
    }
  }

  /** Rows read from all sources so far. */
  public long rowsFetched() {
    return rows.get();
  }

  /** Rows read so far, by source name. */
  public Map<String, Long> rowsFetchedBySource() {
    Map<String, Long> out = new TreeMap<>();
    bySource.forEach((s, n) -> out.put(s, n.get()));
    return out;
  }

  /** Estimated bytes of rows held by the query's local operators so far (0 if unmetered). */
  public long heldBytes() {
    return bytes.get();
  }

  /** The user the query runs for. */
  public String user() {
    return user;
  }

  /** The statement's SQL. */
  public String sql() {
    return sql;
  }

  /** When the execution started, in {@link System#nanoTime()} terms. */
  public long startedNanos() {
    return startedNanos;
  }

  /** The limits the execution runs under. */
  public Limits limits() {
    return limits;
  }
}
