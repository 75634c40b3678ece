package dev.junction.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * The release archive as a user meets it: unpacked into an empty folder far from the
 * checkout, bin/junction runs a federated query on the demo with only Java (no Maven, no
 * source tree) and prints nothing on stderr; the driver jar alone serves a JDBC program
 * without SLF4J warnings and keeps its SLF4J to itself.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ArchiveIT {
  @TempDir static Path dir;
  static Path home;
  static String version;

  @BeforeAll static void unpack() throws Exception {
    version = System.getProperty("junction.version", "0.1.0-SNAPSHOT");
    Path archive = Path.of("target", "junction-" + version + ".tar.gz").toAbsolutePath();
    assertTrue(Files.isRegularFile(archive), archive + " is built in the package phase");
    Result tar = run(dir, List.of("tar", "xzf", archive.toString()));
    assertEquals(0, tar.status(), tar.err());
    home = dir.resolve("junction-" + version);
  }

  /** What a process printed and how it ended. */
  record Result(int status, String out, String err) {
  }

  static Result run(Path cwd, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    String java = Path.of(System.getProperty("java.home")).toString();
    env.put("PATH", java + "/bin:/usr/bin:/bin");
    env.put("HOME", dir.toString());
    env.put("JUNCTION_HOME", dir.resolve("junction-home").toString());
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 3 minutes");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> junction(String... args) {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/junction").toString()));
    command.addAll(List.of(args));
    return command;
  }

  @Test void binJunctionRunsAFederatedQueryWithOnlyJava() throws Exception {
    assertTrue(Files.isExecutable(home.resolve("bin/junction")));
    Result r = run(dir, junction("sql", "--format", "csv",
        "SELECT COUNT(*) AS n FROM shop.main.orders o JOIN crm.main.customers c"
            + " ON o.customer_id = c.customer_id"));
    assertEquals(0, r.status(), r.err());
    assertEquals("n\n300000\n", r.out());
    assertFalse(r.err().contains("SLF4J"), r.err());
    assertFalse(r.err().contains("audit"), r.err());
    assertFalse(r.err().contains("\u001b"), "no escape codes: " + r.err());
  }

  @Test void auditPrintsTheTrailThroughTheDriversLogging() throws Exception {
    Result r = run(dir, junction("sql", "--audit", "SELECT 1 AS x FROM shop.main.orders"
        + " LIMIT 1", "--format", "csv"));
    assertEquals(0, r.status(), r.err());
    assertTrue(r.err().contains("[INFO] {")
        && r.err().contains("\"tables\":[\"shop.main.orders\"]"), r.err());
  }

  @Test void everyCommandHasHelp() throws Exception {
    for (String command : List.of("sql", "shell", "explain", "check", "policy", "serve",
        "hash-password")) {
      Result r = run(dir, junction(command, "--help"));
      assertEquals(0, r.status(), command + ": " + r.err());
      assertTrue(r.out().startsWith("Usage: junction " + command), r.out());
    }
  }

  @Test void theDriverJarAloneLogsNoSlf4jWarningAndHidesItsSlf4j() throws Exception {
    Path driver = home.resolve("lib/junction-driver-" + version + ".jar");
    Path probe = dir.resolve("Probe.java");
    Files.writeString(probe, "public class Probe { public static void main(String[] a)"
        + " throws Exception { try (var c = java.sql.DriverManager.getConnection("
        + "\"jdbc:junction:demo\"); var s = c.createStatement(); var r = s.executeQuery("
        + "\"SELECT COUNT(*) FROM crm.main.customers\")) { r.next();"
        + " System.out.println(r.getLong(1)); } } }");
    Result r = run(dir, List.of("java", "-cp", driver.toString(), probe.toString()));
    assertEquals(0, r.status(), r.err());
    assertEquals("20000\n", r.out());
    assertFalse(r.err().contains("SLF4J"), r.err());
    try (ZipFile jar = new ZipFile(driver.toFile())) {
      assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/slf4j/")),
          "SLF4J is relocated, so an application's own SLF4J is never shadowed");
      assertTrue(jar.getEntry("META-INF/services/java.sql.Driver") != null);
    }
    System.out.printf("driver jar %.1f MB, server jar %.1f MB%n",
        Files.size(driver) / 1e6,
        Files.size(home.resolve("lib/junction-server-" + version + ".jar")) / 1e6);
  }
}
