package dev.junction.driver.audit;

import dev.junction.planner.config.AuditSettings;

/**
 * The audit trail: records one {@link AuditEvent} per statement, as one JSON line, where
 * the catalog's {@code audit:} section says. Thread-safe; one per opened catalog, shared by
 * its connections.
 *
 * <p>When a line cannot be written, {@link #record} throws {@link AuditException} if the
 * audit fails closed ({@code on-failure: fail}, the default), so the statement fails with
 * that error, or logs a warning (at most once a minute) and returns if it fails open
 * ({@code on-failure: continue}).
 */
public interface AuditLog extends AutoCloseable {
  /**
   * Writes the event's line; when this returns, the line is written (to the operating
   * system, for a file; to the logging framework, for the log).
   *
   * @throws AuditException if the line could not be written and the audit fails closed
   */
  void record(AuditEvent e);

  /**
   * Checks, before a statement runs, that its line will be writable: when the audit fails
   * closed and its file cannot be opened or written, throws, so the statement is refused
   * rather than run unaudited. Does nothing when the audit fails open.
   *
   * @throws AuditException if the audit fails closed and cannot be written now
   */
  default void ensureWritable() {
  }

  /** Releases the file, if any; lines recorded after this are failures. */
  @Override void close();

  /**
   * The audit log the settings describe: {@code LOG} writes each line at INFO to the SLF4J
   * logger {@code junction.audit}; {@code FILE} appends it to a file rotated by size;
   * {@code NONE} records nothing.
   *
   * @throws AuditException if the audit file cannot be opened and the audit fails closed
   * @throws IllegalArgumentException if the settings name no file for {@code FILE}, or
   *     keep fewer than one rotated file
   */
  static AuditLog open(AuditSettings s) {
    return AuditLogs.open(s, System::nanoTime, AuditLogs::warn);
  }
}
