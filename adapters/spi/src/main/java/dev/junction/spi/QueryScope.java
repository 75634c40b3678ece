package dev.junction.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything one execution of a Junction statement holds open in its sources: the
 * remote statements it runs and the pooled connections it borrowed. Through the scope
 * the driver stops that work from any thread ({@link #cancel}) and hands every
 * connection back, rolled back, however the execution ends ({@link #release}).
 *
 * <p>Design: the driver binds the scope to a thread while that thread executes or
 * fetches ({@link #bind}); adapters register each connection they hand out and each
 * statement they execute with the {@link #current()} scope and unregister them when
 * Calcite closes them. Two races shape the rest:
 * <ul>
 *   <li>A cancel can be lost in the source: PostgreSQL discards a cancel that lands while
 *   the backend reads the next protocol message of a statement already shown as active,
 *   and pgjdbc sends at most one cancel per execution. So {@link #cancel} may be
 *   repeated, and each adapter supplies a {@link Canceller} that really re-sends.
 *   <li>A cancel must never reach the next query on a reused pooled connection. Each
 *   remote statement's cancel and close exclude each other, so no cancel is sent once
 *   the statement has begun to close, which is before its connection returns to the
 *   pool.
 * </ul>
 * Releasing closes whatever is still open, but never under a thread that is inside
 * the source driver: a release requested while the scope is bound somewhere runs when
 * the last binding ends.
 *
 * <p>Remote statements an execution reads ahead on other threads ({@link
 * #parallelReads}) run in a {@link #fork() child scope} each: the child answers the
 * parent's identity, collector, meter and scan guard, and is cancelled and released with
 * the parent, but its own cancel and release reach only its statement, so a read-ahead
 * the query no longer needs can be stopped without touching the others.
 */
public final class QueryScope {
  private static final ThreadLocal<QueryScope> CURRENT = new ThreadLocal<>();

  /** Why a scope's remote work was stopped. */
  public enum Stop {
    /** {@code Statement.cancel()}. */
    CANCELLED("query cancelled"),
    /** The statement's query timeout passed. */
    TIMED_OUT("query timed out"),
    /** The statement, its result set or its connection was closed. */
    CLOSED("statement closed");

    private final String message;

    Stop(String message) {
      this.message = message;
    }

    /** A short message for the error a stopped query ends with. */
    public String message() {
      return message;
    }
  }

  /** Stops one executing remote statement, the way its driver really does it. */
  @FunctionalInterface
  public interface Canceller {
    /** Asks the source to stop the statement; harmless when it is not executing. */
    void cancel(Statement statement) throws SQLException;

    /** The JDBC way: {@link Statement#cancel()}. */
    Canceller JDBC = Statement::cancel;
  }

  /** One remote statement; its monitor orders cancel against close. */
  private static final class Remote {
    final Statement statement;
    final Canceller canceller;
    boolean closed;

    Remote(Statement statement, Canceller canceller) {
      this.statement = statement;
      this.canceller = canceller;
    }

    synchronized void cancel() {
      if (!closed) {
        try {
          canceller.cancel(statement);
        } catch (SQLException | RuntimeException e) {
          // Already finished or closed: nothing left to stop.
        }
      }
    }

    synchronized void markClosed() {
      closed = true;
    }
  }

  private final Map<Statement, Remote> statements = new ConcurrentHashMap<>();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger bound = new AtomicInteger();
  private volatile Stop stop;
  private volatile boolean releaseRequested;
  private volatile RemoteStats stats;
  private volatile FetchMeter meter;
  private volatile ScanGuard scanGuard;
  private volatile String queryId;
  private volatile String user;
  private final List<Runnable> onRelease = new CopyOnWriteArrayList<>();
  private final AtomicBoolean released = new AtomicBoolean();
  /** The scope this one was forked from, or null. */
  private final QueryScope parent;
  private final List<QueryScope> children = new CopyOnWriteArrayList<>();
  private final Map<Class<?>, Object> attachments = new ConcurrentHashMap<>();
  private volatile int parallelReads;

  /** A scope for one execution of a Junction statement. */
  public QueryScope() {
    this(null);
  }

  private QueryScope(QueryScope parent) {
    this.parent = parent;
  }

  /**
   * Counts the rows an execution reads from its sources, and stops it when it read too
   * many or they take too much memory (the driver's limits). Adapters call
   * {@link #fetched} for every row a remote result set produces.
   */
  @FunctionalInterface
  public interface FetchMeter {
    /**
     * One row was read from {@code source}.
     *
     * @param rowBytes the row's estimated size, or -1 when {@link #wantsBytes()} is false
     * @throws JunctionException when a limit is exceeded: the query fails with it
     */
    void fetched(String source, long rowBytes);

    /** Whether rows should be measured (it costs a look at every value). */
    default boolean wantsBytes() {
      return false;
    }
  }

  /**
   * Checks the bytes a source says a remote statement will scan (a BigQuery dry run's
   * estimate) against the caller's scan budgets before the statement runs, and counts
   * them. Installed by the driver when the caller has such a budget.
   */
  @FunctionalInterface
  public interface ScanGuard {
    /**
     * {@code bytes} are about to be scanned in {@code source} for this query.
     *
     * @throws JunctionException when a budget would be exceeded: the statement is not run
     */
    void scanning(String source, long bytes);
  }

  /** The scope bound to this thread, or null when no Junction statement is running on it. */
  public static QueryScope current() {
    return CURRENT.get();
  }

  /**
   * Binds this scope to the calling thread until the returned binding is closed. A result
   * set binds its scope for each row it reads, so the thread's slot is set back to the
   * previous scope, null included, rather than removed: removing and adding the entry again
   * made the thread-local map sweep stale entries on every row.
   */
  public Binding bind() {
    QueryScope previous = CURRENT.get();
    CURRENT.set(this);
    bound.incrementAndGet();
    return () -> {
      CURRENT.set(previous);
      if (bound.decrementAndGet() == 0 && releaseRequested) {
        releaseNow();
      }
    };
  }

  /**
   * Measures the remote statements run in this scope from now on ({@code EXPLAIN
   * ANALYZE}); adapters find the collector with {@link #stats()}.
   */
  public void collect(RemoteStats collector) {
    this.stats = collector;
  }

  /** The collector measuring this scope's remote statements, or null (the usual case). */
  public RemoteStats stats() {
    return parent != null ? parent.stats() : stats;
  }

  /**
   * Names the execution this scope belongs to, so a source can tag its own work with it
   * (BigQuery job labels, Snowflake's QUERY_TAG): the Junction query id (the audit line's
   * and {@code junction.queries}') and the user.
   */
  public void identify(String id, String userName) {
    this.queryId = id;
    this.user = userName;
  }

  /** The Junction query id of this execution, or null when none was given. */
  public String queryId() {
    return parent != null ? parent.queryId() : queryId;
  }

  /** The user this execution runs for, or null when none was given. */
  public String user() {
    return parent != null ? parent.user() : user;
  }

  /** Checks the bytes this scope's remote statements scan from now on. */
  public void scanGuard(ScanGuard guard) {
    this.scanGuard = guard;
  }

  /** What checks the bytes this scope's statements scan, or null (no scan budget). */
  public ScanGuard scanGuard() {
    return parent != null ? parent.scanGuard() : scanGuard;
  }

  /** Meters the rows this scope's remote statements read from now on. */
  public void meter(FetchMeter m) {
    this.meter = m;
  }

  /** What meters this scope's rows, or null. */
  public FetchMeter meter() {
    return parent != null ? parent.meter() : meter;
  }

  /**
   * Lets up to {@code max} of this execution's remote statements read ahead at once, each
   * on its own thread while the caller reads another ({@code parallelReads}); 0 (the
   * default) runs every statement when the caller reaches it.
   */
  public void parallelReads(int max) {
    this.parallelReads = Math.max(0, max);
  }

  /** How many remote statements may read ahead at once; 0 for none (always in a child). */
  public int parallelReads() {
    return parent != null ? 0 : parallelReads;
  }

  /**
   * A child scope for remote work this execution runs on another thread: it answers this
   * scope's identity, collector, meter and scan guard; cancelling or releasing this scope
   * cancels or releases it too, while its own {@link #cancel} and {@link #release} reach
   * only what was opened in it. A child forked from a stopped scope starts stopped.
   */
  public QueryScope fork() {
    QueryScope child = new QueryScope(this);
    children.add(child);
    Stop s = stop;
    if (s != null) {
      child.cancel(s);
    }
    if (releaseRequested) {
      child.release();
    }
    return child;
  }

  /**
   * What an adapter keeps for this execution under {@code type}, created by {@code create}
   * on first use (an adapter's bookkeeping of the statements it reads ahead).
   */
  public <T> T attachment(Class<T> type, Supplier<? extends T> create) {
    return type.cast(attachments.computeIfAbsent(type, k -> create.get()));
  }

  /**
   * Runs {@code action} once when the scope is released (its connections handed back): the
   * driver returns a concurrency permit and memory there, however the execution ended.
   */
  public void onRelease(Runnable action) {
    onRelease.add(action);
    if (released.get()) {
      runReleaseActions();
    }
  }

  /** Whether some thread is executing or fetching in this scope right now. */
  public boolean isBound() {
    return bound.get() > 0;
  }

  /** Records a connection borrowed from a source pool for this execution. */
  public void borrowed(Connection connection) {
    connections.add(connection);
  }

  /** Forgets a borrowed connection that was closed (returned to its pool). */
  public void returned(Connection connection) {
    connections.remove(connection);
  }

  /**
   * Records a remote statement about to execute.
   *
   * @throws SQLException with SQLState 57014 if the scope was already stopped, so the
   *     statement is never sent (drivers ignore a cancel before execution starts)
   */
  public void opened(Statement statement, Canceller canceller) throws SQLException {
    checkNotStopped();
    statements.putIfAbsent(statement, new Remote(statement, canceller));
    if (stop != null) {
      closed(statement);
      checkNotStopped();
    }
  }

  private void checkNotStopped() throws SQLException {
    Stop s = stop;
    if (s != null) {
      throw new SQLException(s.message(), "57014");
    }
  }

  /** Forgets a remote statement that is closing; no cancel reaches it afterwards. */
  public void closed(Statement statement) {
    Remote r = statements.remove(statement);
    if (r != null) {
      r.markClosed();
    }
  }

  /** How many remote statements are open in this scope. */
  public int openCount() {
    int n = statements.size();
    for (QueryScope child : children) {
      n += child.openCount();
    }
    return n;
  }

  /** Why the scope was stopped, or null while it runs. */
  public Stop stopped() {
    return stop;
  }

  /**
   * Asks every source to stop the remote statements still open, from any thread, and
   * refuses any opened from now on. The first reason given is kept. Safe to repeat: a
   * cancel that a source lost is sent again, and an idle statement ignores it.
   */
  public void cancel(Stop reason) {
    if (stop == null) {
      synchronized (this) {
        if (stop == null) {
          stop = reason;
        }
      }
    }
    for (Remote r : statements.values()) {
      r.cancel();
    }
    for (QueryScope child : children) {
      child.cancel(reason);
    }
  }

  /**
   * Closes every remote statement and hands back every borrowed connection still open,
   * now if no thread is inside the scope, otherwise as the last binding ends. Closing a
   * pooled connection rolls back its transaction, so no lock or snapshot outlives the
   * query. Idempotent.
   */
  public void release() {
    releaseRequested = true;
    for (QueryScope child : children) {
      if (child.isBound() && child.openCount() > 0) {
        // Reading ahead a result nobody will read any more: stop it in the source.
        child.cancel(Stop.CLOSED);
      }
      child.release();
    }
    if (bound.get() == 0) {
      releaseNow();
    }
  }

  private void releaseNow() {
    released.set(true);
    try {
      closeAll();
    } finally {
      runReleaseActions();
    }
  }

  private void runReleaseActions() {
    for (Runnable r : onRelease) {
      if (onRelease.remove(r)) {
        r.run();
      }
    }
  }

  private void closeAll() {
    for (Statement s : statements.keySet()) {
      closed(s);
      closeQuietly(s);
    }
    for (Connection c : connections) {
      if (connections.remove(c)) {
        closeQuietly(c);
      }
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // The resource is being abandoned; its pool replaces a broken connection.
    }
  }

  /** Restores the thread's previous scope. */
  @FunctionalInterface
  public interface Binding extends AutoCloseable {
    @Override void close();
  }
}
