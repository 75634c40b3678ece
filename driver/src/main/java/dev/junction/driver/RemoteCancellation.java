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

/**
 * Carries {@code Statement.cancel()} and {@code Statement.close()} on a Junction
 * statement through to the statements it has running in its sources.
 *
 * <p>Design: Avatica's cancel only raises the statement's cancel flag, which Calcite's
 * operators poll between rows; a remote statement blocked in PostgreSQL or MariaDB never
 * sees it. Each Junction statement therefore gets a {@link QueryScope}, bound to the
 * thread whenever its result set executes or fetches (where remote statements are
 * opened), and a watchdog thread polls the cancel flags of statements that have remote
 * work open, cancelling that work within {@link #POLL_MILLIS}. Polling avoids replacing
 * Calcite's statement classes just to intercept {@code cancel()}; closing is seen
 * directly through the driver's statement-close callback. The watchdog repeats the
 * cancel on every poll until the remote statements have closed, because PostgreSQL's
 * and MariaDB's drivers ignore a cancel that arrives just before their statement starts
 * executing; a repeated cancel of an idle statement does nothing.
 */
public final class RemoteCancellation {
  /** How often the watchdog looks at cancel flags. */
  static final long POLL_MILLIS = 50;

  /** The process-wide registry. */
  public static final RemoteCancellation INSTANCE = new RemoteCancellation();

  /**
   * One Junction statement's scope, its connection, Avatica's cancel flag for it, and
   * whether it closed.
   */
  private static final class Tracked {
    final QueryScope scope;
    final AvaticaConnection connection;
    final AtomicBoolean cancelFlag;
    volatile boolean closed;

    Tracked(QueryScope scope, AvaticaConnection connection, AtomicBoolean cancelFlag) {
      this.scope = scope;
      this.connection = connection;
      this.cancelFlag = cancelFlag;
    }
  }

  private final Map<AvaticaStatement, Tracked> statements = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junction-remote-cancel");
        t.setDaemon(true);
        return t;
      });

  private RemoteCancellation() {
    watchdog.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * The scope of a Junction statement, created on first use.
   *
   * @param cancelFlag the flag Avatica raises when the statement is cancelled
   */
  public QueryScope scopeOf(AvaticaConnection connection, AvaticaStatement statement,
      AtomicBoolean cancelFlag) {
    return statements.computeIfAbsent(statement,
        s -> new Tracked(new QueryScope(), connection, cancelFlag)).scope;
  }

  /**
   * A statement was closed: cancels whatever it still has running, and forgets it once
   * nothing is left running.
   */
  void closed(AvaticaStatement statement) {
    Tracked t = statements.get(statement);
    if (t != null) {
      close(statement, t);
    }
  }

  /**
   * A connection was closed. Avatica does not close a connection's statements for it,
   * so its statements are closed here.
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
    if (t.scope.openCount() == 0) {
      statements.remove(statement, t);
    } else {
      t.scope.cancel();
    }
  }

  /** Whether a statement is still tracked; for tests. */
  boolean isTracked(AvaticaStatement statement) {
    return statements.containsKey(statement);
  }

  private void poll() {
    statements.forEach((statement, t) -> {
      boolean running = t.scope.openCount() > 0;
      if (running && (t.closed || t.cancelFlag.get())) {
        t.scope.cancel();
      } else if (!running && t.closed) {
        statements.remove(statement, t);
      }
    });
  }
}
