package dev.junction.driver;

import dev.junction.driver.limits.QueryGate;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.testing.TestingServer;

import org.apache.calcite.avatica.AvaticaConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every limit of the policy's and the catalog's {@code limits:} sections, against real
 * PostgreSQL and MariaDB: row caps (error, and truncation with a warning, pushed into the
 * source's SQL as a LIMIT), rows fetched, memory per query and per process, concurrent
 * queries (refused and queued) and the query timeout set in the sources themselves. Waits
 * are upper bounds for a condition to become true, never timing assertions.
 */
class LimitsIT {
  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path catalog;
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  static final String POLICY = """
      users:
        carla: {groups: [capped]}
      rules:
        - {allow: read}
      limits:
        defaults: {max-rows-fetched: 1000000}
        groups:
          capped: {max-rows: 5}
          truncating: {max-rows: 5, on-max-rows: truncate}
        users:
          fetcher: {max-rows-fetched: 100}
          greedy: {max-query-memory: 64KB}
          solo: {max-concurrent-queries: 1, on-limit: refuse}
          queued: {max-concurrent-queries: 1, on-limit: queue, queue-timeout: 1s}
          hasty: {query-timeout: 1s}
      """;

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    String ns = pg.namespace();
    pg.execute("CREATE TABLE " + ns + ".t (x int)",
        "INSERT INTO " + ns + ".t SELECT i FROM generate_series(1, 20) i",
        "CREATE TABLE " + ns + ".wide (k int, pad text)",
        "INSERT INTO " + ns + ".wide SELECT i, repeat('p', 100) FROM generate_series(1, 2000) i",
        "CREATE TABLE " + ns + ".big (x int)",
        "INSERT INTO " + ns + ".big SELECT i FROM generate_series(1, 3000) i",
        "ANALYZE " + ns + ".t", "ANALYZE " + ns + ".wide", "ANALYZE " + ns + ".big");
    maria.execute("CREATE TABLE wide (k int, pad varchar(200))",
        "INSERT INTO wide SELECT seq, REPEAT('m', 100) FROM seq_1_to_2000",
        "CREATE TABLE big (x int)", "INSERT INTO big SELECT seq FROM seq_1_to_3000");
    Files.writeString(dir.resolve("policy.yaml"), POLICY, StandardCharsets.UTF_8);
    String yaml = new CatalogFile().postgresql("pg", pg).mariadb("my", maria).yaml()
        + "policy: policy.yaml\n";
    catalog = dir.resolve("junction.yaml");
    Files.writeString(catalog, yaml, StandardCharsets.UTF_8);
  }

  @AfterAll
  static void tearDown() throws Exception {
    EXECUTOR.shutdownNow();
    if (pg != null) {
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

  static Connection connect(String user, String... groups) throws SQLException {
    return connect(catalog, user, groups);
  }

  static Connection connect(Path file, String user, String... groups) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (groups.length > 0) {
      p.setProperty("groups", String.join(",", groups));
    }
    return CatalogFile.connect(file, p);
  }

  private String t() {
    return "pg." + pg.namespace() + ".t";
  }

  private String crossJoin() {
    return "SELECT COUNT(*), MAX(a.pad), MAX(b.pad) FROM pg." + pg.namespace() + ".wide a"
        + " JOIN my." + maria.namespace() + ".wide b ON a.k = b.k";
  }

  private static List<Integer> read(ResultSet rs) throws SQLException {
    List<Integer> out = new ArrayList<>();
    while (rs.next()) {
      out.add(rs.getInt(1));
    }
    return out;
  }

  @Test
  void rowCapFailsAndIsPushedAsLimitPlusOne() throws Exception {
    try (Connection c = connect("carla"); Statement st = c.createStatement();
         RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      ResultSet rs = st.executeQuery("SELECT x FROM " + t() + " ORDER BY x");
      List<Integer> seen = new ArrayList<>();
      SQLException e = assertThrows(SQLException.class, () -> {
        while (rs.next()) {
          seen.add(rs.getInt(1));
        }
      });
      assertEquals(List.of(1, 2, 3, 4, 5), seen, "the rows up to the cap arrive");
      assertEquals("54000", e.getSQLState());
      assertTrue(e.getMessage().contains("more than 5 rows, the limit max-rows = 5 (set in"
          + " policy " + dir.resolve("policy.yaml") + ", limits.groups.capped)"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\tat "), "no stack trace");
      List<String> pushed = sent.sentTo("pg");
      assertEquals(1, pushed.size(), pushed.toString());
      assertTrue(pushed.get(0).matches("(?s).*ORDER BY \"x\".*(LIMIT 6|FETCH NEXT 6 ROWS ONLY)"),
          pushed.get(0));
    }
  }

  @Test
  void resultThatFitsTheCapExactlyHasNoWarning() throws Exception {
    try (Connection c = connect("dora", "capped"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT x FROM " + t() + " WHERE x <= 5")) {
      assertEquals(5, read(rs).size());
      assertNull(rs.getWarnings());
    }
  }

  @Test
  void truncateEndsTheResultAtTheCapWithAWarning() throws Exception {
    try (Connection c = connect("tom", "truncating"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT x FROM " + t() + " ORDER BY x DESC")) {
      assertEquals(List.of(20, 19, 18, 17, 16), read(rs));
      SQLWarning w = rs.getWarnings();
      assertTrue(w != null && w.getMessage().contains("truncated at 5 rows, the limit"
          + " max-rows = 5"), String.valueOf(w));
    }
  }

  @Test
  void rowsFetchedFromAllSourcesAreBounded() throws Exception {
    try (Connection c = connect("fetcher"); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> {
        try (ResultSet rs = st.executeQuery(crossJoin())) {
          rs.next();
        }
      });
      assertEquals("54J01", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("read more than 100 rows from its sources")
          && e.getMessage().contains("max-rows-fetched = 100 (set in policy"), e.getMessage());
      // a query within the limit runs, on the same connection
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t())) {
        rs.next();
        assertEquals(20, rs.getInt(1));
      }
    }
  }

  @Test
  void memoryBudgetFailsOneQueryWhileAnotherSucceeds() throws Exception {
    Future<Long> other = EXECUTOR.submit(() -> {
      try (Connection c = connect("carl"); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(crossJoin())) {
        rs.next();
        return rs.getLong(1);
      }
    });
    try (Connection c = connect("greedy"); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> {
        try (ResultSet rs = st.executeQuery(crossJoin())) {
          rs.next();
        }
      });
      assertEquals("53200", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("max-query-memory = 65536 (set in policy"),
          e.getMessage());
      // a query that holds no rows in Junction is not metered
      try (ResultSet rs = st.executeQuery("SELECT k FROM pg." + pg.namespace() + ".wide")) {
        assertEquals(2000, read(rs).size());
      }
    }
    assertEquals(2000L, other.get(60, TimeUnit.SECONDS), "the other caller's join succeeds");
  }

  @Test
  void processMemoryIsSharedByAllQueries() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("process"));
    Path file = sub.resolve("junction.yaml");
    Files.writeString(file, new CatalogFile().postgresql("pg", pg).mariadb("my", maria).yaml()
        + "limits: {process-memory: 100KB, max-rows-fetched: 100000}\n", StandardCharsets.UTF_8);
    try (Connection c = connect(file, "anyone"); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> {
        try (ResultSet rs = st.executeQuery(crossJoin())) {
          rs.next();
        }
      });
      assertEquals("53200", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("process-memory = 102400 (set in catalog " + file),
          e.getMessage());
      QueryGate gate = JunctionDriver.gate(c.unwrap(AvaticaConnection.class));
      assertEquals(0, gate.heldBytes(), "a failed query gives its memory back");
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t())) {
        rs.next();
        assertEquals(20, rs.getInt(1));
      }
    }
  }

  @Test
  void concurrentQueriesBeyondTheLimitAreRefused() throws Exception {
    try (Connection c = connect("solo"); Statement first = c.createStatement();
         Statement second = c.createStatement()) {
      ResultSet open = first.executeQuery("SELECT x FROM " + t());
      assertTrue(open.next());
      SQLException e = assertThrows(SQLException.class,
          () -> second.executeQuery("SELECT x FROM " + t()).close());
      assertEquals("53300", e.getSQLState());
      assertTrue(e.getMessage().contains("User 'solo' already runs 1 queries, the limit"
          + " max-concurrent-queries = 1 (set in policy") && e.getMessage().contains(
          "on-limit is refuse"), e.getMessage());
      open.close();
      try (ResultSet rs = second.executeQuery("SELECT COUNT(*) FROM " + t())) {
        rs.next();
        assertEquals(20, rs.getInt(1), "a closed result set gives its place back");
      }
    }
  }

  @Test
  void queuedQueriesWaitForAPlaceThenGiveUp() throws Exception {
    try (Connection c = connect("queued"); Statement first = c.createStatement();
         Statement second = c.createStatement()) {
      QueryGate gate = JunctionDriver.gate(c.unwrap(AvaticaConnection.class));
      ResultSet open = first.executeQuery("SELECT x FROM " + t());
      assertTrue(open.next());
      SQLException e = assertThrows(SQLException.class,
          () -> second.executeQuery("SELECT x FROM " + t()).close());
      assertEquals("53300", e.getSQLState());
      assertTrue(e.getMessage().contains("waited the queue-timeout = 1s"), e.getMessage());
      Future<Integer> waiting = EXECUTOR.submit(() -> {
        try (ResultSet rs = second.executeQuery("SELECT COUNT(*) FROM " + t())) {
          rs.next();
          return rs.getInt(1);
        }
      });
      await("the second query to queue", () -> gate.waiting("queued") == 1);
      read(open);
      assertEquals(20, waiting.get(30, TimeUnit.SECONDS), "it ran once the first ended");
    }
  }

  private static boolean running(TestingServer server, String sql) {
    try (Connection c = server.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** A three-way non-equi join of 3,000 rows, pushed whole: it would run for hours. */
  private static String slowQuery(String source, String schema) {
    String b = source + "." + schema + ".big";
    return "SELECT COUNT(*) FROM " + b + " a JOIN " + b + " b ON a.x <> b.x JOIN " + b
        + " c ON b.x <> c.x";
  }

  /**
   * The query reaches the source, fails with the limit's timeout, and leaves the source.
   *
   * @param sourceSaid what the source's own error says when its statement timeout fired,
   *     or null where Junction's cancel may come first
   */
  private void timeoutEndsTheSourceQuery(String source, String schema, String sourceSaid,
      BooleanSupplier runningInSource) throws Exception {
    try (Connection c = connect("hasty"); Statement st = c.createStatement()) {
      Future<?> query = EXECUTOR.submit(() -> {
        try (ResultSet rs = st.executeQuery(slowQuery(source, schema))) {
          rs.next();
        }
        return null;
      });
      await("the query to start in " + source, runningInSource);
      java.util.concurrent.ExecutionException failed = assertThrows(
          java.util.concurrent.ExecutionException.class, () -> query.get(30, TimeUnit.SECONDS));
      Throwable e = failed.getCause();
      assertTrue(e instanceof SQLTimeoutException, e.toString());
      assertEquals("57014", ((SQLException) e).getSQLState());
      assertTrue(e.getMessage().contains("longer than the limit query-timeout = 1s (set in"
          + " policy"), e.getMessage());
      if (sourceSaid != null) {
        StringBuilder chain = new StringBuilder();
        for (Throwable x = e; x != null; x = x.getCause()) {
          chain.append(x.getMessage()).append('\n');
        }
        assertTrue(chain.toString().contains(sourceSaid), chain.toString());
      }
      await("the query to leave " + source, () -> !runningInSource.getAsBoolean());
      assertEquals(0, st.getQueryTimeout(), "the caller's own timeout is left as it was");
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + source + "." + schema
          + ".big")) {
        rs.next();
        assertEquals(3000, rs.getInt(1));
      }
    }
  }

  @Test
  void queryTimeoutLimitIsSetInPostgreSql() throws Exception {
    String ns = pg.namespace();
    // pgjdbc's own timer sends a cancel at the same moment; either may end it
    timeoutEndsTheSourceQuery("pg", ns, null, () -> running(pg, "SELECT COUNT(*) FROM"
        + " pg_stat_activity WHERE state = 'active' AND query LIKE '%" + ns + "%'"
        + " AND query NOT LIKE '%pg_stat_activity%'"));
  }

  @Test
  void queryTimeoutLimitIsSetInMariaDb() throws Exception {
    String ns = maria.namespace();
    timeoutEndsTheSourceQuery("my", ns, "max_statement_time exceeded", () -> running(maria,
        "SELECT COUNT(*) FROM information_schema.processlist WHERE command = 'Query'"
            + " AND info LIKE '%" + ns + "%' AND info NOT LIKE '%processlist%'"));
  }
}
