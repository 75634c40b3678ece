package dev.junction.driver.audit;

import org.slf4j.Logger;

/**
 * Audit lines as INFO messages of the logger {@code junction.audit}, left to the
 * application's logging configuration. A logging framework reports no failure to its
 * caller, so a line it drops (a full disk under a file appender, a level set above INFO)
 * is lost even when the audit fails closed; {@code destination: file} is for when that
 * matters.
 */
final class LogSink implements AuditSink {
  /** The logger audit lines go to. */
  static final String LOGGER_NAME = "junction.audit";

  private final Logger logger;

  LogSink(Logger logger) {
    this.logger = logger;
  }

  @Override public void write(String line) {
    // As an argument, so no binding reads "{}" in the SQL text as a placeholder.
    logger.info("{}", line);
  }

  @Override public boolean keepsLines() {
    return logger.isInfoEnabled();
  }

  @Override public String describe() {
    return "the logger " + LOGGER_NAME;
  }

  @Override public void close() {
  }
}
