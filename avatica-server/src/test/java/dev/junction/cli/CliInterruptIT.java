package dev.junction.cli;

import static dev.junction.server.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged command-line tool (target/junction-cli.jar) in a real pseudo-terminal,
 * made by util-linux {@code script}: Ctrl-C, typed as the byte 0x03 that the terminal turns
 * into SIGINT, cancels a query running in PostgreSQL (it leaves pg_stat_activity within a
 * few seconds) in {@code junction sql} and in the shell; Tab completes table and column
 * names in the shell; and {@code | head} stops a query that streams rows. Every process is
 * killed in teardown; every wait has a deadline.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CliInterruptIT {
  @TempDir static Path dir;
  private static TestingPostgreSqlServer pg;
  private static Path catalog;
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll static void start() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")),
        "util-linux script (the pseudo-terminal) is not installed");
    pg = new TestingPostgreSqlServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".big AS"
        + " SELECT g AS x FROM generate_series(1, 30000) g");
    catalog = new CatalogFile().postgresql("pg", pg).write(dir);
  }

  @AfterAll static void stop() throws SQLException {
    if (pg != null) {
      try (Connection c = pg.connect(); Statement st = c.createStatement()) {
        st.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
            + " WHERE pid <> pg_backend_pid() AND query LIKE '%" + pg.namespace() + "%big%'");
      }
      pg.close();
    }
  }

  @AfterEach void kill() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** Runs for hours in PostgreSQL (a three-way cross join), pushed down whole. */
  private static String slowQuery() {
    String t = "pg." + pg.namespace() + ".big";
    return "SELECT COUNT(*) FROM " + t + " a, " + t + " b, " + t + " c"
        + " WHERE a.x <> b.x AND b.x <> c.x";
  }

  private static int runningInPostgres() throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
             + " WHERE state = 'active' AND backend_type = 'client backend'"
             + " AND pid <> pg_backend_pid()"
             + " AND query LIKE '%" + pg.namespace() + "%big%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path cliJar() {
    Path jar = Path.of("target", "junction-cli.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), jar + " is built in the package phase");
    return jar;
  }

  /** A process with its output collected in the background. */
  private record Running(Process process, ByteArrayOutputStream output) {
    String text() {
      synchronized (output) {
        return output.toString(StandardCharsets.UTF_8);
      }
    }

    void type(String keys) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write(keys.getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
  }

  /**
   * Starts {@code command} (a shell command line) in a new pseudo-terminal, with SIGINT's
   * default action: a build started in the background by a shell without job control
   * inherits SIGINT ignored, and a JVM started with SIGINT ignored never installs its
   * handler, so Ctrl-C would do nothing (perl resets it before the terminal starts).
   */
  private Running inTerminal(String command) throws IOException {
    return started(new ProcessBuilder("/usr/bin/perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV",
        "/usr/bin/script", "-q", "-e", "-c", "stty cols 200 rows 50; exec " + command,
        "/dev/null"));
  }

  private Running started(ProcessBuilder pb) throws IOException {
    pb.redirectErrorStream(true);
    pb.environment().put("JUNCTION_HOME", dir.resolve("home").toString());
    Process p = pb.start();
    processes.add(p);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = p.getInputStream()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (output) {
            output.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // The process is gone.
      }
    }, "cli-output");
    reader.setDaemon(true);
    reader.start();
    return new Running(p, output);
  }

  @Test void ctrlCInSqlCancelsTheQueryInPostgres() throws Exception {
    Running cli = inTerminal(java() + " -jar " + cliJar() + " sql --config " + catalog
        + " '" + slowQuery() + "'");
    assertEventually("the query runs in PostgreSQL", Duration.ofSeconds(60),
        () -> runningInPostgres() == 1, cli::text);
    long sent = System.nanoTime();
    cli.type("\u0003");
    assertEventually("the query leaves PostgreSQL within a few seconds of Ctrl-C",
        Duration.ofSeconds(5), () -> runningInPostgres() == 0, cli::text);
    assertTrue(cli.process().waitFor(20, TimeUnit.SECONDS), cli.text());
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    assertEquals(130, cli.process().exitValue(), cli.text());
    assertTrue(cli.text().contains("junction: query cancelled (Ctrl-C); its sources were"
        + " told to stop"), cli.text());
    System.out.println("sql: Ctrl-C to exit " + millis + " ms");
  }

  @Test void ctrlCInTheShellCancelsTheQueryAndTheShellGoesOn() throws Exception {
    Running shell = inTerminal(java() + " -jar " + cliJar() + " shell --config " + catalog);
    assertEventually("the shell prompts", Duration.ofSeconds(60),
        () -> shell.text().contains("jdbc:junction:config="), shell::text);
    shell.type(slowQuery() + ";\r");
    assertEventually("the query runs in PostgreSQL", Duration.ofSeconds(60),
        () -> runningInPostgres() == 1, shell::text);
    shell.type("\u0003");
    assertEventually("the query leaves PostgreSQL within a few seconds of Ctrl-C",
        Duration.ofSeconds(5), () -> runningInPostgres() == 0, shell::text);
    int before = shell.text().length();
    shell.type("SELECT 40 + 2 AS answer;\r");
    assertEventually("the shell still answers", Duration.ofSeconds(30),
        () -> shell.text().substring(before).contains("42"), shell::text);
    shell.type("!quit\r");
    assertTrue(shell.process().waitFor(20, TimeUnit.SECONDS), shell.text());
  }

  @Test void tabCompletesTablesAndColumnsInTheShell() throws Exception {
    Running shell = inTerminal(java() + " -jar " + cliJar() + " shell --config " + catalog);
    assertEventually("the shell prompts", Duration.ofSeconds(60),
        () -> shell.text().contains("jdbc:junction:config="), shell::text);
    shell.type("SELECT b.x FROM pg." + pg.namespace() + ".bi\t");
    assertEventually("Tab completes the table", Duration.ofSeconds(30),
        () -> shell.text().contains(pg.namespace() + ".big"), shell::text);
    int before = shell.text().length();
    shell.type(" b WHERE b.\t");
    // The only column: the line now ends in b.x (jline echoes just the added "x").
    assertEventually("Tab completes the alias's column", Duration.ofSeconds(30),
        () -> shell.text().substring(before).contains("b.x"), shell::text);
    shell.type(" = 7;\r");
    assertEventually("the completed query runs", Duration.ofSeconds(30),
        () -> shell.text().substring(before).contains("1 row selected"), shell::text);
    shell.type("!quit\r");
    assertTrue(shell.process().waitFor(20, TimeUnit.SECONDS), shell.text());
  }

  @Test void headStopsAStreamingQuery() throws Exception {
    String t = "pg." + pg.namespace() + ".big";
    // 900 million rows, streamed from PostgreSQL; head keeps three lines.
    Running pipe = started(new ProcessBuilder("bash", "-c", java() + " -jar " + cliJar()
        + " sql --format csv --config " + catalog + " 'SELECT a.x, b.x AS y FROM " + t
        + " a, " + t + " b' | head -3"));
    assertTrue(pipe.process().waitFor(90, TimeUnit.SECONDS), pipe.text());
    assertEquals(3, pipe.text().lines().count(), pipe.text());
    assertTrue(pipe.text().startsWith("X,Y") || pipe.text().startsWith("x,y"), pipe.text());
    assertEventually("nothing is left running in PostgreSQL", Duration.ofSeconds(10),
        () -> runningInPostgres() == 0, pipe::text);
  }
}
