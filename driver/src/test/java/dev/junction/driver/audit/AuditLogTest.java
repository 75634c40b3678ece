package dev.junction.driver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.planner.config.AuditSettings;
import dev.junction.planner.config.AuditSettings.Destination;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The destinations other than a file, and how settings choose one. */
class AuditLogTest {
  @TempDir
  Path dir;

  @Test
  void logDestinationWritesEachLineAtInfoWithACapturingLogger() {
    CapturingLogger logger = new CapturingLogger();
    AuditEvent e = AuditEventTest.event("q1").sql("SELECT '{}', '%s' FROM t").build();
    try (AuditLog log = new SinkAuditLog(new LogSink(logger), true,
        new FailureWarning(() -> 0L, w -> { }))) {
      log.record(e);
    }
    assertEquals(List.of("INFO " + e.toJson()), logger.lines);
  }

  @Test
  void defaultSettingsLogToJunctionAudit() {
    assertEquals(Destination.LOG, AuditSettings.DEFAULT.destination());
    assertEquals("junction.audit", LogSink.LOGGER_NAME);
    try (AuditLog log = AuditLog.open(AuditSettings.DEFAULT)) {
      log.record(AuditEventTest.event("q1").build());
    }
  }

  @Test
  void noneRecordsNothing() throws Exception {
    try (AuditLog log = AuditLog.open(new AuditSettings(Destination.NONE, null, 1, 1, true))) {
      log.record(AuditEventTest.event("q1").build());
    }
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void fileSettingsNeedAFileAndOneRotatedFile() {
    IllegalArgumentException noFile = assertThrows(IllegalArgumentException.class,
        () -> AuditLog.open(new AuditSettings(Destination.FILE, null, 1, 1, true)));
    assertTrue(noFile.getMessage().contains("file"), noFile.getMessage());
    IllegalArgumentException noRotated = assertThrows(IllegalArgumentException.class,
        () -> AuditLog.open(new AuditSettings(Destination.FILE, dir.resolve("a.jsonl"), 1, 0,
            true)));
    assertTrue(noRotated.getMessage().contains("max-files"), noRotated.getMessage());
  }

  /** A hand-written SLF4J logger that keeps what it is given, to see the audit lines. */
  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    final List<String> lines = new ArrayList<>();

    CapturingLogger() {
      name = LogSink.LOGGER_NAME;
    }

    @Override protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override protected void handleNormalizedLoggingCall(Level level, Marker marker,
        String pattern, Object[] arguments, Throwable throwable) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, arguments));
    }

    @Override public boolean isTraceEnabled() {
      return false;
    }

    @Override public boolean isDebugEnabled() {
      return false;
    }

    @Override public boolean isInfoEnabled() {
      return true;
    }

    @Override public boolean isWarnEnabled() {
      return true;
    }

    @Override public boolean isErrorEnabled() {
      return true;
    }
  }
}
