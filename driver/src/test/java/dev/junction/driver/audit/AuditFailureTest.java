package dev.junction.driver.audit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.junction.planner.config.AuditSettings;
import dev.junction.planner.config.AuditSettings.Destination;
import dev.junction.spi.ErrorCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happens when an audit line cannot be written: failing closed throws
 * {@link AuditException} every time, failing open returns; both warn at most once a minute
 * of the injected ticker. The failures are real ones the test causes, also as root (a
 * directory that became a regular file, a path that became a directory, {@code /dev/full}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditFailureTest {
  @TempDir
  Path tmp;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  private AuditLog open(Path file, boolean failClosed) {
    return AuditLogs.open(new AuditSettings(Destination.FILE, file, 1 << 20, 3, failClosed),
        nanos::get, warnings::add);
  }

  /** Replaces the directory holding the audit file with a regular file. */
  private static void directoryBecomesAFile(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
    Files.writeString(dir, "not a directory");
  }

  private static void fileBecomesADirectory(Path file) throws IOException {
    Files.delete(file);
    Files.createDirectory(file);
  }

  private static AuditEvent event(String queryId) {
    return AuditEventTest.event(queryId).build();
  }

  @Test
  void failClosedThrowsWhenTheDirectoryIsGoneAndRecoversWhenItIsBack() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("logs"));
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, true)) {
      log.record(event("q1"));
      directoryBecomesAFile(dir);
      AuditException e = assertThrows(AuditException.class, () -> log.record(event("q2")));
      assertEquals(ErrorCode.INTERNAL, e.code());
      assertTrue(e.getMessage().startsWith("The audit line of query q2 could not be written"
          + " to " + file.toAbsolutePath()), e.getMessage());
      assertTrue(e.getMessage().contains("Not a directory"), e.getMessage());
      assertTrue(e.getMessage().endsWith("statements fail while the audit trail cannot be"
          + " written (audit on-failure: fail)."), e.getMessage());
      assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
      assertThrows(AuditException.class, () -> log.record(event("q3")));

      Files.delete(dir);
      Files.createDirectory(dir);
      log.record(event("q4"));
    }
    assertEquals(List.of("q4"), JsonLines.read(file).stream()
        .map(m -> m.get("query_id")).toList());
  }

  @Test
  void failClosedThrowsWhenThePathBecomesADirectory() throws IOException {
    Path file = tmp.resolve("audit.jsonl");
    try (AuditLog log = open(file, true)) {
      log.record(event("q1"));
      fileBecomesADirectory(file);
      AuditException e = assertThrows(AuditException.class, () -> log.record(event("q2")));
      assertTrue(e.getMessage().contains("Is a directory"), e.getMessage());
    }
  }

  @Test
  void failClosedThrowsWhenTheDiskIsFull() {
    Path full = Paths.get("/dev/full");
    assumeTrue(Files.isWritable(full), "needs /dev/full");
    try (AuditLog log = open(full, true)) {
      AuditException e = assertThrows(AuditException.class, () -> log.record(event("q1")));
      assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    }
  }

  @Test
  void failClosedThrowsWhenPermissionIsDenied() throws IOException {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path dir = Files.createDirectory(tmp.resolve("locked"));
    Path file = dir.resolve("audit.jsonl");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    try {
      assumeFalse(Files.isWritable(dir), "runs as a user that ignores permissions (root)");
      AuditException e = assertThrows(AuditException.class, () -> open(file, true));
      assertTrue(e.getMessage().startsWith("The audit file " + file.toAbsolutePath()
          + " cannot be opened (permission denied)"), e.getMessage());
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void failClosedOpenThrowsWhenTheFileCannotBeCreated() throws IOException {
    Path notADir = Files.writeString(tmp.resolve("logs"), "a file");
    AuditException e = assertThrows(AuditException.class,
        () -> open(notADir.resolve("audit.jsonl"), true));
    assertTrue(e.getMessage().startsWith("The audit file " + notADir.toAbsolutePath()
        .resolve("audit.jsonl") + " cannot be opened (Not a directory)"), e.getMessage());
  }

  @Test
  void failClosedThrowsEveryTimeButWarnsOncePerMinute() throws IOException {
    Path file = tmp.resolve("audit.jsonl");
    try (AuditLog log = open(file, true)) {
      fileBecomesADirectory(file);
      for (int i = 0; i < 3; i++) {
        assertThrows(AuditException.class, () -> log.record(event("q")));
      }
      assertEquals(1, warnings.size(), warnings::toString);
    }
  }

  @Test
  void failOpenDoesNotThrowAndWarnsAtMostOncePerMinute() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("logs"));
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, false)) {
      log.record(event("q1"));
      directoryBecomesAFile(dir);

      assertDoesNotThrow(() -> log.record(event("q2")));
      assertDoesNotThrow(() -> log.record(event("q3")));
      assertEquals(1, warnings.size(), warnings::toString);
      assertTrue(warnings.get(0).startsWith("The audit line of query q2 could not be written"
          + " to " + file.toAbsolutePath() + " (Not a directory); statements run without"
          + " it (audit on-failure: continue)."), warnings.get(0));

      nanos.addAndGet(TimeUnit.SECONDS.toNanos(59));
      log.record(event("q4"));
      assertEquals(1, warnings.size(), warnings::toString);

      nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
      log.record(event("q5"));
      assertEquals(2, warnings.size(), warnings::toString);
      assertTrue(warnings.get(1).startsWith("The audit line of query q5"), warnings.get(1));
      assertTrue(warnings.get(1).endsWith("(2 more audit lines were not written since the"
          + " last warning)"), warnings.get(1));

      log.record(event("q6"));
      assertEquals(2, warnings.size(), warnings::toString);
      nanos.addAndGet(TimeUnit.MINUTES.toNanos(5));
      log.record(event("q7"));
      assertEquals(3, warnings.size(), warnings::toString);
      assertTrue(warnings.get(2).endsWith("(1 more audit line was not written since the last"
          + " warning)"), warnings.get(2));
    }
  }

  @Test
  void failOpenStartsWithoutTheFileAndWritesOnceItCanBeCreated() throws IOException {
    Path dir = tmp.resolve("later");
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, false)) {
      assertEquals(1, warnings.size(), warnings::toString);
      assertTrue(warnings.get(0).startsWith("The audit file " + file.toAbsolutePath()
          + " cannot be opened"), warnings.get(0));
      log.record(event("q1"));
      Files.createDirectory(dir);
      log.record(event("q2"));
    }
    assertEquals(List.of("q2"), JsonLines.read(file).stream()
        .map(m -> m.get("query_id")).toList());
  }

  @Test
  void recordAfterCloseIsAFailure() {
    Path file = tmp.resolve("audit.jsonl");
    AuditLog log = open(file, true);
    log.close();
    AuditException e = assertThrows(AuditException.class, () -> log.record(event("q1")));
    assertTrue(e.getMessage().contains("the audit log was closed"), e.getMessage());
  }
}
