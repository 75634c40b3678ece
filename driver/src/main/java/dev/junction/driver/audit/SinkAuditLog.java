package dev.junction.driver.audit;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The failure policy around a sink: renders each event, writes its line, and when the line
 * cannot be written either throws {@link AuditException} (fail closed, so the statement
 * fails) or lets the statement go on (fail open); both warn, at most once a minute.
 */
final class SinkAuditLog implements AuditLog {
  private final AuditSink sink;
  private final boolean failClosed;
  private final FailureWarning warning;

  SinkAuditLog(AuditSink sink, boolean failClosed, FailureWarning warning) {
    this.sink = sink;
    this.failClosed = failClosed;
    this.warning = warning;
  }

  @Override public void record(AuditEvent e) {
    if (!sink.keepsLines()) {
      return;
    }
    try {
      sink.write(e.toJson());
    } catch (IOException | RuntimeException ex) {
      fail("The audit line of query " + e.queryId() + " could not be written to "
          + sink.describe() + " (" + reason(ex) + ")", ex);
    }
  }

  @Override public void ensureWritable() {
    if (!failClosed) {
      return;
    }
    try {
      sink.check();
    } catch (IOException | RuntimeException ex) {
      fail("The audit trail " + sink.describe() + " cannot be written (" + reason(ex) + ")",
          ex);
    }
  }

  /**
   * What the policy does when the sink could not be opened or written: throws (fail
   * closed) or returns (fail open), after warning at most once a minute.
   *
   * @param what what failed, a sentence without its final period
   */
  void fail(String what, Exception cause) {
    if (failClosed) {
      String message = what + "; statements fail while the audit trail cannot be written"
          + " (audit on-failure: fail).";
      warning.failed(message);
      throw new AuditException(message, cause);
    }
    warning.failed(what + "; statements run without it (audit on-failure: continue).");
  }

  @Override public void close() {
    try {
      sink.close();
    } catch (IOException e) {
      warning.failed("The audit log " + sink.describe() + " did not close cleanly ("
          + reason(e) + ").");
    }
  }

  /**
   * The operating system's reason for a failed file operation ("No space left on device",
   * "Not a directory"), with the path it concerns when that is not the sink's own.
   */
  String reason(Exception e) {
    if (e instanceof FileSystemException f) {
      String why = f.getReason() != null ? f.getReason()
          : e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof AccessDeniedException ? "permission denied"
          : e.getClass().getSimpleName();
      return f.getFile() == null || f.getFile().equals(sink.describe()) ? why
          : f.getFile() + ": " + why;
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
