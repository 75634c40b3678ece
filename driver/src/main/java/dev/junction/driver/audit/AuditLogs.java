package dev.junction.driver.audit;

import dev.junction.planner.config.AuditSettings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Builds the {@link AuditLog} for a catalog's audit settings. */
final class AuditLogs {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private AuditLogs() {
  }

  /**
   * {@link AuditLog#open}, with the ticker that rate-limits failure warnings and where the
   * warnings go, for tests.
   */
  static AuditLog open(AuditSettings s, LongSupplier ticker, Consumer<String> warn) {
    FailureWarning warning = new FailureWarning(ticker, warn);
    return switch (s.destination()) {
      case NONE -> NoAuditLog.INSTANCE;
      case LOG -> log(s, warning, warn);
      case FILE -> file(s, warning);
    };
  }

  private static AuditLog log(AuditSettings s, FailureWarning warning, Consumer<String> warn) {
    Logger audit = LoggerFactory.getLogger(LogSink.LOGGER_NAME);
    if (!audit.isInfoEnabled()) {
      warn.accept("The audit trail goes to the logger " + LogSink.LOGGER_NAME + ", which is"
          + " not enabled at INFO: audit lines are dropped.");
    }
    return new SinkAuditLog(new LogSink(audit), s.failClosed(), warning);
  }

  private static AuditLog file(AuditSettings s, FailureWarning warning) {
    if (s.file() == null) {
      throw new IllegalArgumentException("audit destination file needs the key file");
    }
    RotatingFileSink sink = new RotatingFileSink(s.file(), s.maxFileBytes(), s.maxFiles());
    SinkAuditLog log = new SinkAuditLog(sink, s.failClosed(), warning);
    try {
      sink.open();
    } catch (IOException | RuntimeException e) {
      log.fail("The audit file " + sink.describe() + " cannot be opened (" + log.reason(e)
          + ")", e);
    }
    return log;
  }

  /** Where failure warnings go outside tests. */
  static void warn(String message) {
    LOG.warn(message);
  }

  /** Records nothing: auditing is off. */
  private enum NoAuditLog implements AuditLog {
    /** The one instance. */
    INSTANCE;

    @Override public void record(AuditEvent e) {
    }

    @Override public void close() {
    }
  }
}
