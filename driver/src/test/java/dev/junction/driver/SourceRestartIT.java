package dev.junction.driver;

import dev.junction.spi.SourceStatus;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.testing.TestingServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A server source that goes away and comes back, under concurrent queries, in one Junction
 * process: while it is down only its own queries fail, with a class-08 error naming it
 * (never its password), queries on a DuckDB source go on succeeding, and once it answers
 * again its queries succeed again without reopening anything: the pool drops the dead
 * connections and opens new ones by itself.
 *
 * <p>The shared local PostgreSQL and MariaDB services are really stopped and started (as
 * {@code .ci/run} starts them): each test stops its service for a few seconds, once, and
 * starts it again in a {@code finally}, waiting (bounded) until it answers, so a failed
 * assertion never leaves it down. Every wait here is bounded; workers are a fixed few
 * threads with a query timeout each. The tests run only against the local services (a
 * container would be restarted instead, but Docker does not run on this machine).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SourceRestartIT {
  private static final String PASSWORD_MARK = "restart-secret-9Z";
  /** How long a source's statement or a wait for it may take before the test fails. */
  private static final int QUERY_TIMEOUT_SECONDS = 10;
  private static final long PHASE_MILLIS = 60_000;

  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path duck;

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".accounts (id INTEGER)",
        "INSERT INTO " + pg.namespace() + ".accounts VALUES (1), (2), (3)");
    maria.execute("CREATE TABLE tickets (id INTEGER)",
        "INSERT INTO tickets VALUES (10), (11), (12), (13)");
    duck = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE events (id INTEGER)");
      st.execute("INSERT INTO events VALUES (1), (2)");
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    try (AutoCloseable a = pg; AutoCloseable b = maria) {
      // closes both, whichever fails
    }
  }

  @Test
  void postgresqlRestartFailsOnlyItsQueriesAndThePoolRecovers() throws Exception {
    String version = localService(pg, "127.0.0.1:5432", "/usr/bin/pg_ctlcluster");
    Service service = new Service("PostgreSQL",
        () -> run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop",
            "-m", "fast"),
        () -> run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"),
        () -> run("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"));
    // The local service trusts loopback logins, so a password that must never be shown can
    // be given without breaking the login.
    restartUnderLoad(service, "postgresql", "SELECT COUNT(*) FROM src." + pg.namespace()
        + ".accounts", 3, pg, pg.password().isEmpty() ? PASSWORD_MARK : pg.password());
  }

  @Test
  void mariadbRestartFailsOnlyItsQueriesAndThePoolRecovers() throws Exception {
    localService(maria, "127.0.0.1:3306", "/usr/sbin/mariadbd");
    Service service = new Service("MariaDB",
        () -> run("mariadb-admin", "-h", "127.0.0.1", "-P", "3306", "-uroot",
            "--connect-timeout=2", "shutdown"),
        () -> {
          Files.createDirectories(Path.of("/run/mysqld"));
          run("chown", "mysql:mysql", "/run/mysqld");
          return run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec",
              "/usr/sbin/mariadbd", "--", "--user=mysql");
        },
        () -> run("mariadb-admin", "-h", "127.0.0.1", "-P", "3306", "-uroot",
            "--connect-timeout=2", "ping"));
    restartUnderLoad(service, "mysql", "SELECT COUNT(*) FROM src." + maria.namespace()
        + ".tickets", 4, maria, maria.password());
  }

  /**
   * The test proper: workers query the server source and DuckDB; the service is stopped
   * once the workers have succeeded, started once the server source's queries failed, and
   * the workers go on until the server source's queries succeed again.
   */
  private void restartUnderLoad(Service service, String type, String serverQuery,
      long serverCount, TestingServer server, String password) throws Exception {
    Path catalog = new CatalogFile()
        .source("src", Map.of("type", type, "url", server.jdbcUrl(), "user", server.user(),
            "password", password, "connect-timeout", "2s",
            "pool-connection-timeout", "3s", "pool-size", "4"))
        .duckdb("duck", duck)
        .write(Files.createTempDirectory(dir, "catalog"));
    Log log = new Log();
    List<Worker> workers = List.of(
        new Worker("src", serverQuery, serverCount, log),
        new Worker("src", serverQuery, serverCount, log),
        new Worker("src", serverQuery, serverCount, log),
        new Worker("duck", "SELECT COUNT(*) FROM duck.main.events", 2, log),
        new Worker("duck", "SELECT COUNT(*) FROM duck.main.events", 2, log));
    ExecutorService pool = Executors.newFixedThreadPool(workers.size());
    SourceStatus whileDown;
    SourceStatus afterwards;
    try (Connection status = CatalogFile.connect(catalog)) {
      JunctionConnection junction = status.unwrap(JunctionConnection.class);
      List<Future<?>> running = new ArrayList<>();
      for (Worker w : workers) {
        running.add(pool.submit(() -> w.run(catalog)));
      }
      try {
        await("every worker succeeds before the restart",
            () -> workers.stream().allMatch(w -> log.count(w, Phase.BEFORE, true) >= 3));
        try {
          log.phase.set(Phase.DOWN);
          assertEquals(0, service.stop.call(), service.name + " stop");
          await(service.name + " goes down", () -> !service.up());
          await("each of its workers fails while it is down", () -> workers.stream()
              .filter(w -> w.source.equals("src"))
              .allMatch(w -> log.count(w, Phase.DOWN, false) >= 1));
          await("DuckDB is queried while it is down", () -> workers.stream()
              .filter(w -> w.source.equals("duck"))
              .allMatch(w -> log.count(w, Phase.DOWN, true) >= 3));
          whileDown = junction.sourceStatus().get("src");
        } finally {
          service.restore();
        }
        log.phase.set(Phase.AFTER);
        await("its queries succeed again once it is back", () -> workers.stream()
            .filter(w -> w.source.equals("src"))
            .allMatch(w -> log.count(w, Phase.AFTER, true) >= 3));
        afterwards = junction.sourceStatus().get("src");
      } finally {
        workers.forEach(w -> w.stop = true);
        for (Future<?> f : running) {
          f.get(QUERY_TIMEOUT_SECONDS * 3L, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    List<Result> results = log.results;
    assertTrue(results.stream().filter(r -> r.source.equals("duck")).allMatch(r -> r.ok),
        "every DuckDB query succeeded: " + failures(results, "duck"));
    List<Result> srcFailures = results.stream()
        .filter(r -> r.source.equals("src") && !r.ok).toList();
    assertFalse(srcFailures.isEmpty());
    for (Result r : srcFailures) {
      assertTrue(r.sqlState != null && r.sqlState.startsWith("08"), r.toString());
      assertTrue(r.message.startsWith("source 'src' (" + type + ") "), r.toString());
      assertFalse(r.message.contains(PASSWORD_MARK) || r.message.contains("total="),
          r.toString());
      assertFalse(!password.isEmpty() && r.message.contains(password), r.toString());
      assertNotEquals(Phase.AFTER, r.phase, "a query after it came back failed: " + r);
    }
    assertEquals(SourceStatus.Reachability.DOWN, whileDown.reachability());
    assertTrue(whileDown.lastError().orElseThrow().startsWith("source 'src' (" + type + ")"),
        whileDown.toString());
    assertEquals(SourceStatus.Reachability.UP, afterwards.reachability());
    assertEquals(4, afterwards.pool().orElseThrow().max());
    assertTrue(afterwards.pool().orElseThrow().total() >= 1, afterwards.toString());
  }

  private static String failures(List<Result> results, String source) {
    return results.stream().filter(r -> r.source.equals(source) && !r.ok).toList().toString();
  }

  /**
   * Checks the test server is the local service this test may restart, and returns the
   * PostgreSQL cluster version (or the empty string). Runs only where the service's
   * control program exists and the test runs as root, as on the build machine.
   */
  private static String localService(TestingServer server, String hostAndPort, String program)
      throws IOException {
    assumeTrue(server.jdbcUrl().contains("//" + hostAndPort + "/"),
        "restarts only the local service at " + hostAndPort);
    assumeTrue(Files.isExecutable(Path.of(program)), program + " is not installed");
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to restart it");
    if (program.contains("pg_ctlcluster")) {
      try (var versions = Files.list(Path.of("/etc/postgresql"))) {
        return versions.map(p -> p.getFileName().toString()).sorted().findFirst()
            .orElseThrow();
      }
    }
    return "";
  }

  /** Runs a command, bounded; its exit code, or -1 when it had to be killed. */
  static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Waits, bounded, for a condition the workers make true; fails the test if they do not. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PHASE_MILLIS);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + PHASE_MILLIS + " ms: " + what);
      Thread.sleep(50);
    }
  }

  /** A command that may throw. */
  @FunctionalInterface
  interface Command {
    int call() throws Exception;
  }

  /** A local service this test stops and starts, and how to tell it answers. */
  static final class Service {
    final String name;
    final Command stop;
    final Command start;
    final Command ping;

    Service(String name, Command stop, Command start, Command ping) {
      this.name = name;
      this.stop = stop;
      this.start = start;
      this.ping = ping;
    }

    boolean up() {
      try {
        return ping.call() == 0;
      } catch (Exception e) {
        return false;
      }
    }

    /**
     * Starts the service and waits until it answers, up to a minute, starting it once more
     * if it has not; the test fails if it stays down, but it is never left stopped by a
     * failed assertion.
     */
    void restore() throws Exception {
      for (int attempt = 0; attempt < 2; attempt++) {
        start.call();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
          if (up()) {
            return;
          }
          Thread.sleep(200);
        }
      }
      throw new AssertionError(name + " did not come back within a minute");
    }
  }

  /** Where the test is when a query starts. */
  enum Phase { BEFORE, DOWN, AFTER }

  /** One query's outcome. */
  record Result(Worker worker, String source, Phase phase, boolean ok, String sqlState,
      String message) {
    @Override public String toString() {
      return source + " " + phase + (ok ? " ok" : " " + sqlState + " " + message);
    }
  }

  /** Every worker's outcomes, tagged with the phase in which each query started. */
  static final class Log {
    final AtomicReference<Phase> phase = new AtomicReference<>(Phase.BEFORE);
    final List<Result> results = new CopyOnWriteArrayList<>();

    long count(Worker w, Phase p, boolean ok) {
      return results.stream().filter(r -> r.worker == w && r.phase == p && r.ok == ok).count();
    }
  }

  /** A client running one query over and over on its own Junction connection. */
  static final class Worker {
    final String source;
    final String sql;
    final long expected;
    final Log log;
    volatile boolean stop;

    Worker(String source, String sql, long expected, Log log) {
      this.source = source;
      this.sql = sql;
      this.expected = expected;
      this.log = log;
    }

    void run(Path catalog) {
      try (Connection c = CatalogFile.connect(catalog)) {
        while (!stop) {
          Phase phase = log.phase.get();
          try (Statement st = c.createStatement()) {
            st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = st.executeQuery(sql)) {
              rs.next();
              assertEquals(expected, rs.getLong(1), sql);
            }
            log.results.add(new Result(this, source, phase, true, null, null));
          } catch (SQLException e) {
            log.results.add(new Result(this, source, phase, false, e.getSQLState(),
                String.valueOf(e.getMessage())));
          }
          Thread.sleep(20);
        }
      } catch (SQLException | InterruptedException e) {
        log.results.add(new Result(this, source, log.phase.get(), false, "connect",
            String.valueOf(e)));
      }
    }
  }
}
