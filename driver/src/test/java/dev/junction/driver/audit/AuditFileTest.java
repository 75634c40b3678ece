package dev.junction.driver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.planner.config.AuditSettings;
import dev.junction.planner.config.AuditSettings.Destination;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The file destination: lines appended whole, rotation by size, concurrent writers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditFileTest {
  @TempDir
  Path dir;

  private final List<String> warnings = new CopyOnWriteArrayList<>();

  private AuditLog open(Path file, long maxBytes, int maxFiles) {
    return AuditLogs.open(new AuditSettings(Destination.FILE, file, maxBytes, maxFiles, true),
        () -> 0L, warnings::add);
  }

  /** An event whose line is exactly {@code length} bytes long, line break excluded. */
  private static AuditEvent sized(String queryId, int length) {
    AuditEvent.Builder b = AuditEventTest.event(queryId);
    int base = b.sql("").build().toJson().getBytes(StandardCharsets.UTF_8).length;
    return b.sql("x".repeat(length - base)).build();
  }

  private static List<String> queryIds(Path file) throws IOException {
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> m : JsonLines.read(file)) {
      ids.add((String) m.get("query_id"));
    }
    return ids;
  }

  @Test
  void appendsOneLinePerEventAndKeepsWhatWasThereBefore() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, 1 << 20, 3)) {
      log.record(AuditEventTest.event("q1").build());
    }
    try (AuditLog log = open(file, 1 << 20, 3)) {
      log.record(AuditEventTest.event("q2").sql(AuditEventTest.HOSTILE).build());
    }
    assertEquals(List.of("q1", "q2"), queryIds(file));
    assertEquals(AuditEventTest.HOSTILE, JsonLines.read(file).get(1).get("sql"));
    assertTrue(warnings.isEmpty(), warnings::toString);
  }

  @Test
  void newFileIsReadableByItsOwnerOnly() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, 1 << 20, 3)) {
      log.record(AuditEventTest.event("q1").build());
    }
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
  }

  @Test
  void rotatesAtTheSizeLimitAndKeepsMaxFiles() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    // Four 300-byte lines (with their line breaks) fill 1200 of 1210 bytes; a fifth rotates.
    try (AuditLog log = open(file, 1210, 3)) {
      for (int i = 0; i < 24; i++) {
        log.record(sized(String.format("q%02d", i), 299));
      }
    }
    assertEquals(Set.of("audit.jsonl", "audit.jsonl.1", "audit.jsonl.2", "audit.jsonl.3"),
        names());
    assertEquals(List.of("q08", "q09", "q10", "q11"), queryIds(dir.resolve("audit.jsonl.3")));
    assertEquals(List.of("q12", "q13", "q14", "q15"), queryIds(dir.resolve("audit.jsonl.2")));
    assertEquals(List.of("q16", "q17", "q18", "q19"), queryIds(dir.resolve("audit.jsonl.1")));
    assertEquals(List.of("q20", "q21", "q22", "q23"), queryIds(file));
    assertEquals(1200, Files.size(file));
  }

  @Test
  void lineExactlyFillingTheLimitStaysInTheFile() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, 600, 2)) {
      log.record(sized("a", 299));
      log.record(sized("b", 299));
      log.record(sized("c", 299));
    }
    assertEquals(List.of("a", "b"), queryIds(dir.resolve("audit.jsonl.1")));
    assertEquals(List.of("c"), queryIds(file));
  }

  @Test
  void lineLongerThanTheLimitIsWrittenWholeAloneInItsFile() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, 400, 5)) {
      log.record(sized("small", 300));
      log.record(sized("huge", 5000));
      log.record(sized("after", 300));
    }
    assertEquals(List.of("small"), queryIds(dir.resolve("audit.jsonl.2")));
    assertEquals(List.of("huge"), queryIds(dir.resolve("audit.jsonl.1")));
    assertEquals(List.of("after"), queryIds(file));
  }

  @Test
  void rotationDeletesFilesBeyondASmallerMaxFiles() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    for (int i = 1; i <= 6; i++) {
      Files.writeString(dir.resolve("audit.jsonl." + i), "{}\n");
    }
    try (AuditLog log = open(file, 400, 2)) {
      log.record(sized("a", 300));
      log.record(sized("b", 300));
    }
    assertEquals(Set.of("audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"), names());
    assertEquals(List.of("a"), queryIds(dir.resolve("audit.jsonl.1")));
    assertEquals(List.of("b"), queryIds(file));
  }

  @Test
  void fileDeletedBySomeoneElseIsCreatedAgain() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, 1 << 20, 3)) {
      log.record(AuditEventTest.event("q1").build());
      Files.delete(file);
      log.record(AuditEventTest.event("q2").build());
    }
    assertEquals(List.of("q2"), queryIds(file));
  }

  @Test
  void fileMovedAwayBySomeoneElseIsNotWrittenTo() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = open(file, 1 << 20, 3)) {
      log.record(AuditEventTest.event("q1").build());
      Files.move(file, dir.resolve("elsewhere.jsonl"));
      log.record(AuditEventTest.event("q2").build());
    }
    assertEquals(List.of("q1"), queryIds(dir.resolve("elsewhere.jsonl")));
    assertEquals(List.of("q2"), queryIds(file));
  }

  @Test
  void lineBrokenOffByAnEarlierCrashStaysAloneOnItsLine() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    Files.writeString(file, "{\"time\":\"2025-01-01T00:00:00.000Z\",\"query_id\":\"torn");
    try (AuditLog log = open(file, 1 << 20, 3)) {
      log.record(AuditEventTest.event("q1").build());
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).endsWith("torn"), lines::toString);
    assertEquals("q1", JsonLines.parse(lines.get(1)).get("query_id"));
  }

  @Test
  void twoLogsOnOneFileShareItsRotation() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog a = open(file, 1210, 10); AuditLog b = open(file, 1210, 10)) {
      for (int i = 0; i < 20; i++) {
        (i % 2 == 0 ? a : b).record(sized(String.format("q%02d", i), 299));
      }
    }
    List<String> all = new ArrayList<>();
    for (int i = 4; i >= 1; i--) {
      Path rotated = dir.resolve("audit.jsonl." + i);
      assertEquals(4, queryIds(rotated).size(), rotated.toString());
      all.addAll(queryIds(rotated));
    }
    all.addAll(queryIds(file));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add(String.format("q%02d", i));
    }
    assertEquals(expected, all);
  }

  @Test
  void concurrentWritersFromEightThreadsWriteOnlyWholeLines() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    int threads = 8;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (AuditLog log = open(file, 64 * 1024, 1000)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            // Lines of different lengths, some past the pipe and page sizes.
            log.record(AuditEventTest.event(thread + "-" + i)
                .sql("SELECT '" + "ß\n\"".repeat((i * 37 + thread * 11) % 1500) + "'")
                .build());
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> seen = new HashSet<>();
    int files = 0;
    for (String name : names()) {
      files++;
      for (String id : queryIds(dir.resolve(name))) {
        assertTrue(seen.add(id), "twice: " + id);
      }
    }
    assertEquals(threads * perThread, seen.size());
    assertTrue(files > 2, "the writers rotated the file: " + names());
  }

  private Set<String> names() throws IOException {
    Set<String> names = new HashSet<>();
    try (var files = Files.list(dir)) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    assertFalse(names.isEmpty());
    return names;
  }
}
