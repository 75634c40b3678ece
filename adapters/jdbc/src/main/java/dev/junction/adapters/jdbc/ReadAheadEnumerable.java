package dev.junction.adapters.jdbc;

import dev.junction.spi.QueryScope;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

import javax.sql.DataSource;

/**
 * A remote statement that may run ahead of its caller: while the caller reads one
 * statement of a query, the query's other statements already execute in their sources,
 * so a query over several sources takes about as long as its slowest statement rather
 * than the sum of them. Called from generated code ({@link SourceStatement}).
 *
 * <p>Design: Calcite's enumerable operators open their inputs one after another (a hash
 * join reads its build side whole before it opens its probe side), so each statement
 * would run only when the one before it is done. Each statement of a query bound while
 * its scope allows {@link QueryScope#parallelReads} registers here, unstarted. The first
 * time the caller reaches one of them (its first {@link #enumerator()}), the others of the
 * query start on their own threads ({@link ReadAhead}), as many as the query's limit and
 * their sources' read-ahead places allow ({@link SourceDataSource#tryReadAhead}). The
 * statement reached runs on the caller's thread as before, unless it is the query's only
 * statement and estimated at {@link #PIPELINED_ROWS} rows or more (a table exported, a
 * join sent whole) and streamed by the source as it computes it (no grouping or sort at
 * its end, where the source's work is most of the cost and a thread of its own measured
 * slower): then it too is read on a thread of its own, which
 * the caller takes over at once, so the source's driver reads and decodes the next rows
 * while the caller consumes the ones before (a PostgreSQL cursor otherwise idles the
 * server while the client works, and the client while the server does). Each later
 * {@code enumerator()} call starts more as places free up. A statement reached after it
 * started takes over the rows read so far and the rest as they arrive; one reached before
 * it could start, or reached again (the inner of a nested loop), runs on the caller's
 * thread as it always did. A statement the query never reaches is cancelled and its
 * connection returned when the query's scope is released. Statements with correlation
 * variables are never wrapped: their parameters come from rows the caller has not read.
 */
public final class ReadAheadEnumerable<T> extends AbstractEnumerable<T> {
  /**
   * Estimated rows from which a query's only statement is read on a thread of its own
   * although the caller reads it at once: handing a thread the statement costs tens of
   * microseconds, overlapping the driver's work with the caller's saves about a third of
   * a read of this size.
   */
  static final double PIPELINED_ROWS = 10_000;

  final Enumerable<T> delegate;
  final SourceDataSource source;
  /** Worth a thread of its own when it is a query's only statement. */
  final boolean pipelined;
  /**
   * A keyed join read ahead as one unit ({@link #unit}), not a statement: reached by the
   * caller before it started, it starts nothing, since the first of its own statements the
   * caller then reaches does (else that statement, about to be read by the caller, would
   * be started on another thread and handed back).
   */
  final boolean unit;
  private final ReadAheads reads;
  /** This statement's read ahead, until the caller takes it over; guarded by {@link #reads}. */
  ReadAhead<T> started;

  private ReadAheadEnumerable(Enumerable<T> delegate, SourceDataSource source,
      boolean pipelined, boolean unit, ReadAheads reads) {
    this.delegate = delegate;
    this.source = source;
    this.pipelined = pipelined;
    this.unit = unit;
    this.reads = reads;
  }

  /**
   * {@code delegate}, the rows of one uncorrelated statement read from {@code pool} (the
   * source's data source), able to read ahead when the thread's query scope allows it and
   * the query has not started reading yet; otherwise {@code delegate} itself.
   * {@code pipelined}: estimated at {@link #PIPELINED_ROWS} rows or more, and streamed by
   * the source as it computes it.
   */
  public static <T> Enumerable<T> of(Enumerable<T> delegate, DataSource pool,
      boolean pipelined) {
    return of(delegate, pool, pipelined, false);
  }

  /**
   * {@code delegate}, a keyed join that reads a statement of {@code pool}'s source with
   * keys from its other input, able to read ahead as one unit as {@link #of} statements do.
   */
  public static <T> Enumerable<T> unit(Enumerable<T> delegate, DataSource pool) {
    return of(delegate, pool, false, true);
  }

  private static <T> Enumerable<T> of(Enumerable<T> delegate, DataSource pool,
      boolean pipelined, boolean unit) {
    QueryScope scope = QueryScope.current();
    if (scope == null || scope.parallelReads() <= 0
        || !(pool instanceof SourceDataSource source)) {
      return delegate;
    }
    ReadAheads reads = scope.attachment(ReadAheads.class, () -> new ReadAheads(scope));
    ReadAheadEnumerable<T> e = new ReadAheadEnumerable<>(delegate, source, pipelined, unit,
        reads);
    return reads.register(e) ? e : delegate;
  }

  @Override public Enumerator<T> enumerator() {
    ReadAhead<T> ahead = reads.reached(this);
    return ahead != null ? ahead.handOver() : delegate.enumerator();
  }
}
