package dev.junction.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The command line's java.util.logging set-up, matching its slf4j-simple one
 * (simplelogger.properties): warnings on stderr as {@code [WARN] message}, Junction's own
 * notices at INFO, the audit trail and its dropped-lines warning off unless
 * {@code --audit}. The release archive's driver jar logs through java.util.logging (its
 * SLF4J is relocated and bound to it), so there this is what governs the driver.
 */
final class CliLogging {
  /** Held: java.util.logging forgets the level of a logger nobody references. */
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger JUNCTION = Logger.getLogger("dev.junction");
  private static final Logger AUDIT_WARNINGS =
      Logger.getLogger("dev.junction.driver.audit.AuditLog");
  private static final Logger AUDIT = Logger.getLogger("junction.audit");

  private CliLogging() {
  }

  /** Replaces the JVM's default console logging with the command line's. */
  static void configure(PrintStream err) {
    LogManager.getLogManager().reset();
    // Not a ConsoleHandler: giving one another stream closes the one it had, System.err.
    Formatter format = new Formatter() {
      @Override public String format(LogRecord r) {
        String level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "ERROR"
            : r.getLevel().intValue() >= Level.WARNING.intValue() ? "WARN"
            : r.getLevel().getName().toUpperCase(Locale.ROOT);
        String text = "[" + level + "] " + formatMessage(r) + System.lineSeparator();
        return r.getThrown() == null ? text : text + r.getThrown() + System.lineSeparator();
      }
    };
    Handler h = new Handler() {
      @Override public void publish(LogRecord r) {
        if (isLoggable(r)) {
          err.print(format.format(r));
          err.flush();
        }
      }

      @Override public void flush() {
        err.flush();
      }

      @Override public void close() {
      }
    };
    h.setLevel(Level.ALL);
    ROOT.addHandler(h);
    ROOT.setLevel(Level.WARNING);
    JUNCTION.setLevel(Level.INFO);
    AUDIT_WARNINGS.setLevel(Level.SEVERE);
    AUDIT.setLevel(Level.WARNING);
  }

  /** Prints the audit trail (INFO on the logger junction.audit). */
  static void showAudit() {
    AUDIT.setLevel(Level.INFO);
  }
}
