package dev.junction.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What one execution of a Junction statement did in its sources, measured for
 * {@code EXPLAIN ANALYZE}: each remote statement it ran, with the rows it fetched, an
 * estimate of their size and the time spent in the source.
 *
 * <p>A collector belongs to one {@link QueryScope} ({@link QueryScope#collect}), never to
 * the process, so concurrent queries cannot mix their numbers. Adapters report through
 * {@link QueryScope#stats()}: a scope without a collector (every ordinary query) costs
 * them one null check per remote statement and nothing per row.
 */
public final class RemoteStats {
  private final LongSupplier ticker;
  private final boolean sizes;
  private final List<Execution> executions = new ArrayList<>();

  /** A collector reading time from {@code ticker}, in nanoseconds ({@code System::nanoTime}). */
  public RemoteStats(LongSupplier ticker) {
    this(ticker, true);
  }

  private RemoteStats(LongSupplier ticker, boolean sizes) {
    this.ticker = ticker;
    this.sizes = sizes;
  }

  /**
   * A collector of remote statements and their row counts only, with no clock and no value
   * sizes: what {@code junction.queries} shows of every running statement, at the cost of a
   * counter per row rather than a size estimate per value.
   */
  public static RemoteStats rowsOnly() {
    return new RemoteStats(() -> 0L, false);
  }

  /** Whether adapters estimate the size of each value read ({@link Execution#bytes}). */
  public boolean measuresSizes() {
    return sizes;
  }

  /** The clock adapters time the source with, in nanoseconds. */
  public long ticks() {
    return ticker.getAsLong();
  }

  /** Records a remote statement about to run; the adapter fills in what it fetched. */
  public synchronized Execution started(String source, String sql) {
    Execution e = new Execution(source, sql);
    executions.add(e);
    return e;
  }

  /** Every remote statement run so far, in the order they started. */
  public synchronized List<Execution> executions() {
    return List.copyOf(executions);
  }

  /**
   * One remote statement's run: written by the one thread that executes and fetches it,
   * read once the query has ended.
   */
  public static final class Execution {
    private final String source;
    private final String sql;
    private volatile long rows;
    private volatile long bytes;
    private volatile long executeNanos;
    private volatile long fetchNanos;

    Execution(String source, String sql) {
      this.source = source;
      this.sql = sql;
    }

    /** The source's name in the catalog. */
    public String source() {
      return source;
    }

    /** The SQL as sent. */
    public String sql() {
      return sql;
    }

    /** Rows fetched. */
    public long rows() {
      return rows;
    }

    /** Estimated size of the values read, in bytes. */
    public long bytes() {
      return bytes;
    }

    /** Time the source took to execute the statement, before the first fetch. */
    public long executeNanos() {
      return executeNanos;
    }

    /** Time spent fetching rows from the source. */
    public long fetchNanos() {
      return fetchNanos;
    }

    /** Adds time spent executing. */
    public void executed(long nanos) {
      executeNanos += nanos;
    }

    /** Adds a fetch call's time, and a row if it returned one. */
    public void fetched(boolean row, long nanos) {
      fetchNanos += nanos;
      if (row) {
        rows++;
      }
    }

    /** Adds the estimated size of a value read. */
    public void read(long size) {
      bytes += size;
    }
  }
}
