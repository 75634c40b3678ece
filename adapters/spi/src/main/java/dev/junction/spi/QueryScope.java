package dev.junction.spi;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The remote statements one Junction statement has open in its sources, so that
 * cancelling or closing the Junction statement cancels the work in every database.
 *
 * <p>Calcite's {@code Statement.cancel()} only sets a flag that its own operators poll;
 * a statement already running in PostgreSQL, MariaDB or DuckDB runs on. The driver binds
 * a scope to the thread while it executes or fetches a Junction statement
 * ({@link #bind}); adapters register each remote statement they execute with the
 * {@link #current()} scope and unregister it on close. {@link #cancel()} then reaches
 * every remote statement still open, and any statement registered afterwards is
 * cancelled as it starts.
 */
public final class QueryScope {
  private static final ThreadLocal<QueryScope> CURRENT = new ThreadLocal<>();

  private final Set<Statement> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean cancelled = new AtomicBoolean();

  /** The scope bound to this thread, or null when no Junction statement is running on it. */
  public static QueryScope current() {
    return CURRENT.get();
  }

  /** Binds this scope to the calling thread until the returned binding is closed. */
  public Binding bind() {
    QueryScope previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /**
   * Records a remote statement about to execute.
   *
   * @throws SQLException with SQLState 57014 if the scope was already cancelled, so the
   *     statement is never sent (drivers ignore a cancel before execution starts)
   */
  public void opened(Statement statement) throws SQLException {
    if (cancelled.get()) {
      throw new SQLException("query cancelled", "57014");
    }
    open.add(statement);
  }

  /** Forgets a remote statement that was closed. */
  public void closed(Statement statement) {
    open.remove(statement);
  }

  /** How many remote statements are open in this scope. */
  public int openCount() {
    return open.size();
  }

  /**
   * Cancels every remote statement still open, from any thread, and refuses any opened
   * from now on. Returns how many cancel requests were made. Drivers ignore a cancel
   * that arrives before their statement is executing, so callers repeat this while
   * {@link #openCount()} stays above zero; a cancel of an idle statement is harmless.
   */
  public int cancel() {
    cancelled.set(true);
    int n = 0;
    for (Statement s : open) {
      try {
        s.cancel();
        n++;
      } catch (SQLException | RuntimeException e) {
        // Already finished or closed: nothing left to stop.
      }
    }
    return n;
  }

  /** Restores the thread's previous scope. */
  @FunctionalInterface
  public interface Binding extends AutoCloseable {
    @Override void close();
  }
}
