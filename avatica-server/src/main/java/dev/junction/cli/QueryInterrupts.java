package dev.junction.cli;

import org.jline.utils.Signals;

import java.io.PrintStream;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Turns Ctrl-C (SIGINT) into {@link Statement#cancel()} of the query the tool is running,
 * which Junction carries to every source the query has open (a PostgreSQL backend stops
 * at once, instead of running on after the tool has gone). A second Ctrl-C while the
 * cancel is under way, or a Ctrl-C with no query running, ends the process with status
 * 130, as a shell reports a process killed by SIGINT.
 *
 * <p>The handler is registered through jline's {@link Signals}, which reaches the JVM's
 * signal API reflectively (the same way the shell's line reader does).
 */
final class QueryInterrupts {
  private final PrintStream err;
  private volatile Statement running;
  private volatile boolean cancelled;

  private QueryInterrupts(PrintStream err) {
    this.err = err;
  }

  /** Installs the process's SIGINT handler; messages go to {@code err}. */
  static QueryInterrupts install(PrintStream err) {
    QueryInterrupts interrupts = new QueryInterrupts(err);
    Signals.register("INT", interrupts::interrupt);
    return interrupts;
  }

  /** Sets the statement Ctrl-C cancels; null when none runs. */
  void running(Statement statement) {
    running = statement;
  }

  /** Whether Ctrl-C cancelled a statement. */
  boolean cancelled() {
    return cancelled;
  }

  private void interrupt() {
    Statement st = running;
    if (st == null) {
      err.println();
      err.println("junction: interrupted");
      System.exit(130);
      return;
    }
    if (cancelled) {
      err.println();
      err.println("junction: quit before the sources confirmed the cancel");
      Runtime.getRuntime().halt(130);
      return;
    }
    cancelled = true;
    err.println();
    err.println("junction: cancelling the query (Ctrl-C again to quit at once)");
    try {
      st.cancel();
    } catch (SQLException e) {
      err.println("junction: the query could not be cancelled: " + e.getMessage());
    }
  }
}
