package dev.junction.driver;

import dev.junction.spi.QueryScope;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Carries {@code Statement.cancel()}, {@code Statement.close()}, a closed connection and
 * the query timeout of a Junction statement through to the work it has open in its
 * sources.
 *
 * <p>Design: Avatica's cancel only raises the statement's cancel flag, which Calcite's
 * operators poll between rows; a remote statement blocked in PostgreSQL or MariaDB never
 * sees it, and Calcite applies the query timeout only as each source's own statement
 * timeout, which is subject to the same lost-cancel race as a cancel. Each execution of
 * a Junction statement therefore gets a {@link QueryScope} ({@link #track}), and a
 * watchdog thread looks at every tracked execution each {@link #POLL_MILLIS}:
 * <ul>
 *   <li>stopped (cancel flag raised, statement or connection closed, or still executing
 *   or fetching past its query timeout) while a thread is inside it: its remote
 *   statements are cancelled, again on later polls with a growing interval until they
 *   have closed, because a source can lose a cancel (see {@link QueryScope});
 *   <li>stopped while no thread is inside it (a client that stopped reading): its
 *   remote statements and connections are released at once, which ends their
 *   transactions;
 *   <li>finished: forgotten.
 * </ul>
 * Polling avoids replacing Calcite's statement classes just to intercept
 * {@code cancel()}; closing is seen directly through the driver's close callbacks.
 */
public final class RemoteCancellation {
  /** How often the watchdog looks at cancel flags. */
  static final long POLL_MILLIS = 50;
  /** The longest wait between two cancels of the same work. */
  static final long MAX_RETRY_MILLIS = 1_000;
  /**
   * How long after its query timeout an execution is cancelled by Junction: the source's
   * own statement timeout normally fires first and reports itself.
   */
  static final long TIMEOUT_GRACE_MILLIS = 1_000;

  /** The process-wide registry. */
  public static final RemoteCancellation INSTANCE =
      new RemoteCancellation(() -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));

  /** One execution: its scope, connection, Avatica's cancel flag, deadline and state. */
  private static final class Tracked {
    final QueryScope scope;
    final AvaticaConnection connection;
    final AtomicBoolean cancelFlag;
    final long deadline;
    volatile boolean closed;
    long nextCancel;
    long retryMillis = POLL_MILLIS;

    Tracked(QueryScope scope, AvaticaConnection connection, AtomicBoolean cancelFlag,
        long deadline) {
      this.scope = scope;
      this.connection = connection;
      this.cancelFlag = cancelFlag;
      this.deadline = deadline;
    }
  }

  private final Map<AvaticaStatement, Tracked> statements = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  RemoteCancellation(LongSupplier clock) {
    this.clock = clock;
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "junction-remote-cancel");
      t.setDaemon(true);
      return t;
    });
    watchdog.scheduleWithFixedDelay(this::pollSafely, POLL_MILLIS, POLL_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Starts tracking a new execution of a Junction statement and returns its scope. An
   * earlier execution of the same statement still tracked is released.
   *
   * @param cancelFlag the flag Avatica raises when the statement is cancelled
   * @param timeoutSeconds the statement's query timeout, 0 for none
   */
  public QueryScope track(AvaticaConnection connection, AvaticaStatement statement,
      AtomicBoolean cancelFlag, int timeoutSeconds) {
    long deadline = timeoutSeconds > 0
        ? clock.getAsLong() + TimeUnit.SECONDS.toMillis(timeoutSeconds) + TIMEOUT_GRACE_MILLIS
        : Long.MAX_VALUE;
    QueryScope scope = new QueryScope();
    Tracked previous = statements.put(statement,
        new Tracked(scope, connection, cancelFlag, deadline));
    if (previous != null) {
      previous.scope.cancel(QueryScope.Stop.CLOSED);
      previous.scope.release();
    }
    return scope;
  }

  /** A statement was closed: stops and releases whatever it still holds. */
  void closed(AvaticaStatement statement) {
    Tracked t = statements.get(statement);
    if (t != null) {
      close(statement, t);
    }
  }

  /**
   * A connection was closed. Avatica does not close a connection's statements for it,
   * so its statements' work is stopped and released here.
   */
  void closed(AvaticaConnection connection) {
    statements.forEach((statement, t) -> {
      if (t.connection == connection) {
        close(statement, t);
      }
    });
  }

  private void close(AvaticaStatement statement, Tracked t) {
    t.closed = true;
    if (t.scope.openCount() > 0 && t.scope.isBound()) {
      t.scope.cancel(QueryScope.Stop.CLOSED);
    }
    t.scope.release();
    if (t.scope.openCount() == 0) {
      statements.remove(statement, t);
    }
  }

  /** Whether a statement is still tracked; for tests. */
  boolean isTracked(AvaticaStatement statement) {
    return statements.containsKey(statement);
  }

  /** Runs a poll; a failure is logged, never allowed to stop the watchdog. */
  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException | Error e) {
      org.slf4j.LoggerFactory.getLogger(RemoteCancellation.class)
          .error("remote cancellation watchdog: {}", e.toString(), e);
    }
  }

  void poll() {
    long now = clock.getAsLong();
    statements.forEach((statement, t) -> {
      boolean running = t.scope.openCount() > 0;
      QueryScope.Stop stop = t.closed ? QueryScope.Stop.CLOSED
          : t.cancelFlag.get() ? QueryScope.Stop.CANCELLED
          : now >= t.deadline && t.scope.isBound() ? QueryScope.Stop.TIMED_OUT : null;
      if (!running) {
        if (t.closed) {
          statements.remove(statement, t);
        }
      } else if (stop != null) {
        if (!t.scope.isBound()) {
          t.scope.cancel(stop);
          t.scope.release();
        } else if (now >= t.nextCancel) {
          t.scope.cancel(stop);
          t.nextCancel = now + t.retryMillis;
          t.retryMillis = Math.min(t.retryMillis * 2, MAX_RETRY_MILLIS);
        }
      }
    });
  }
}
