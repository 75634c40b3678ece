package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.testing.TestingServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel reads ({@code parallelReads}): a query's remote statements run at the same
 * time, and every statement started ahead of its caller is cancelled and its connection
 * returned however the query ends.
 *
 * <p>Concurrency is shown without timing: the gated views below wait, in PostgreSQL, for
 * an advisory lock the test holds, so a statement reading them stays active in
 * {@code pg_stat_activity} until the test lets go. Two statements of one query seen there
 * at once ran concurrently. The waits are upper bounds for a condition to become true,
 * never timing assertions.
 */
class ParallelReadsIT {
  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path catalog;
  static long gateKey;
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    String ns = pg.namespace();
    gateKey = ns.hashCode();
    pg.execute("CREATE TABLE " + ns + ".a (k int, v varchar(10))",
        "INSERT INTO " + ns + ".a SELECT i, 'a' || i FROM generate_series(1, 2000) i",
        "CREATE TABLE " + ns + ".b (k int, w varchar(10))",
        "INSERT INTO " + ns + ".b SELECT i, 'b' || i FROM generate_series(1, 2000, 2) i",
        "CREATE TABLE " + ns + ".big (k int, v varchar(10))",
        "INSERT INTO " + ns + ".big SELECT i, 'v' || i FROM generate_series(1, 30000) i",
        "ANALYZE " + ns + ".a", "ANALYZE " + ns + ".b", "ANALYZE " + ns + ".big",
        "CREATE FUNCTION " + ns + ".gate() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$"
            + " BEGIN PERFORM pg_advisory_lock_shared(" + gateKey + ");"
            + " PERFORM pg_advisory_unlock_shared(" + gateKey + "); RETURN true; END $$",
        "CREATE VIEW " + ns + ".gated_a AS SELECT k, v FROM " + ns + ".a WHERE " + ns
            + ".gate()",
        "CREATE VIEW " + ns + ".gated_b AS SELECT k, w FROM " + ns + ".b WHERE " + ns
            + ".gate()",
        "CREATE VIEW " + ns + ".broken AS SELECT k, 1 / (k - k) AS z FROM " + ns + ".b");
    maria.execute("CREATE TABLE c (k int, u varchar(10))",
        "INSERT INTO c SELECT seq, CONCAT('c', seq) FROM seq_1_to_2000_step_3");
    catalog = new CatalogFile().postgresql("pg1", pg).postgresql("pg2", pg)
        .mariadb("my", maria)
        .source("small", Map.of("type", "postgresql", "url", pg.jdbcUrl(), "user", pg.user(),
            "password", pg.password(), "pool-size", 3))
        .write(dir);
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

  private static Connection connect(boolean parallel) throws SQLException {
    Properties p = new Properties();
    p.setProperty("parallelReads", String.valueOf(parallel));
    return CatalogFile.connect(catalog, p);
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(60);
      try (ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder b = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            b.append(rs.getString(i)).append('|');
          }
          out.add(b.toString());
        }
      }
    }
    return out;
  }

  private static String t(String source, String table) {
    return source + "." + (source.equals("my") ? maria.namespace() : pg.namespace()) + "."
        + table;
  }

  /** Remote statements of this test's namespace active in PostgreSQL right now. */
  private static long pgActive() {
    return count(pg, "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active'"
        + " AND query LIKE '%" + pg.namespace() + "%' AND query NOT LIKE '%pg_stat_activity%'");
  }

  private static long count(TestingServer server, String sql) {
    try (Connection c = server.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Connections of Junction's pools lent out now, over every source of the catalog. */
  private static long poolActive(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT SUM(pool_active) FROM junction.sources")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Whether some thread is reading a statement ahead of its caller right now. */
  private static boolean readingAhead() {
    return Thread.getAllStackTraces().values().stream().anyMatch(stack -> Arrays.stream(stack)
        .anyMatch(f -> f.getClassName().equals("dev.junction.adapters.jdbc.ReadAhead")
            && f.getMethodName().equals("run")));
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

  private static BooleanSupplier unchecked(SqlCondition c) {
    return () -> {
      try {
        return c.test();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** A condition that reads a database. */
  @FunctionalInterface
  interface SqlCondition {
    boolean test() throws SQLException;
  }

  /** Holds the gate closed while open: every statement reading a gated view waits. */
  private static final class Gate implements AutoCloseable {
    private final Connection c;

    Gate() throws SQLException {
      c = pg.connect();
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_lock(" + gateKey + ")");
      }
    }

    @Override public void close() throws SQLException {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_unlock(" + gateKey + ")");
      } finally {
        c.close();
      }
    }
  }

  /** Holds tables locked while open: every statement reading them waits in PostgreSQL. */
  private static final class TableLock implements AutoCloseable {
    private final Connection c;

    TableLock(String... tables) throws SQLException {
      c = pg.connect();
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String table : tables) {
          st.execute("LOCK TABLE " + pg.namespace() + "." + table + " IN ACCESS EXCLUSIVE MODE");
        }
      }
    }

    @Override public void close() throws SQLException {
      try {
        c.rollback();
      } finally {
        c.close();
      }
    }
  }

  @Test
  void federatedResultsMatchSequentialReads() throws Exception {
    List<String> queries = List.of(
        "SELECT a.k, a.v, b.w FROM " + t("pg1", "a") + " a JOIN " + t("pg2", "b")
            + " b ON a.k = b.k ORDER BY a.k",
        "SELECT a.k, c.u FROM " + t("pg1", "a") + " a JOIN " + t("my", "c")
            + " c ON a.k = c.k WHERE a.k < 1500 ORDER BY a.k",
        "SELECT b.w, COUNT(*) FROM " + t("pg1", "a") + " a JOIN " + t("pg2", "b")
            + " b ON a.k = b.k JOIN " + t("my", "c") + " c ON c.k = b.k GROUP BY b.w"
            + " ORDER BY b.w",
        "SELECT k FROM " + t("pg1", "a") + " WHERE k < 5 UNION ALL SELECT k FROM "
            + t("my", "c") + " WHERE k < 9 UNION ALL SELECT k FROM " + t("pg2", "b")
            + " WHERE k < 7");
    try (Connection sequential = connect(false); Connection parallel = connect(true)) {
      for (String q : queries) {
        List<String> expected = rows(sequential, q);
        try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
          assertEquals(expected, rows(parallel, q), q);
          for (String source : List.of("pg1", "pg2", "my")) {
            assertTrue(recorder.sentTo(source).size() <= 1,
                "each statement is sent once: " + recorder.sent());
          }
        }
      }
      assertEquals(0, poolActive(parallel), "every connection is back in its pool");
    }
  }

  @Test
  void twoStatementsOfOneQueryRunAtOnce() throws Exception {
    String q = "SELECT COUNT(*) FROM " + t("pg1", "gated_a") + " a JOIN " + t("pg2", "gated_b")
        + " b ON a.k = b.k";
    try (Connection c = connect(true)) {
      Future<List<String>> result;
      try (Gate gate = new Gate()) {
        result = EXECUTOR.submit(() -> rows(c, q));
        await("both statements of the query to be active in PostgreSQL at once",
            () -> pgActive() >= 2);
      }
      assertEquals(List.of("1000|"), result.get(60, TimeUnit.SECONDS));
      await("every connection back in its pool", unchecked(() -> poolActive(c) == 0));
    }
  }

  @Test
  void twoKeyedJoinsOfOneQueryRunAtOnce() throws Exception {
    // Each branch sends a few MariaDB keys to a PostgreSQL table: keyed statements take
    // their parameters from the join above them, so each join reads ahead as a unit. The
    // tables are locked while the query runs, so both keyed statements wait in PostgreSQL.
    String q = "SELECT x.v FROM " + t("my", "c") + " c JOIN " + t("pg1", "big")
        + " x ON x.k = c.k WHERE c.k < 30 UNION ALL SELECT y.v FROM " + t("my", "c")
        + " c JOIN " + t("pg2", "a") + " y ON y.k = c.k WHERE c.k < 60";
    try (Connection sequential = connect(false); Connection c = connect(true)) {
      String plan = String.join("\n", rows(c, "EXPLAIN PLAN FOR " + q));
      assertEquals(2, plan.split("ReadAheadUnit", -1).length - 1, plan);
      assertEquals(2, plan.split("= ANY", -1).length - 1, plan);
      List<String> expected = rows(sequential, q).stream().sorted().toList();
      assertEquals(30, expected.size());
      Future<List<String>> result;
      try (TableLock lock = new TableLock("big", "a")) {
        result = EXECUTOR.submit(() -> rows(c, q));
        await("both keyed statements of the query to be active in PostgreSQL at once",
            () -> pgActive() >= 2);
      }
      assertEquals(expected, result.get(60, TimeUnit.SECONDS).stream().sorted().toList());
      await("every connection back in its pool", unchecked(() -> poolActive(c) == 0));
    }
  }

  @Test
  void largeStatementIsReadOnAThreadOfItsOwnEvenAlone() throws Exception {
    // 30,000 estimated rows: the driver reads the next rows while the caller consumes these.
    // The caller holds one row of 30,000 and the buffer holds 4,096, so the thread that
    // reads ahead cannot have finished while the result set is open.
    String q = "SELECT k, v FROM " + t("pg1", "big");
    try (Connection sequential = connect(false); Connection parallel = connect(true)) {
      List<String> expected = rows(sequential, q);
      assertEquals(30000, expected.size());
      assertEquals(expected, rows(parallel, q));
      await("no statement reading ahead", () -> !readingAhead());
      try (Statement st = sequential.createStatement(); ResultSet rs = st.executeQuery(q)) {
        assertTrue(rs.next());
        assertFalse(readingAhead(), "parallelReads=false reads on the caller's thread");
      }
      try (Statement st = parallel.createStatement()) {
        st.setQueryTimeout(60);
        try (ResultSet rs = st.executeQuery(q)) {
          assertTrue(rs.next());
          assertTrue(readingAhead(), "the statement is read on a thread of its own");
        }
      }
      await("the thread reading ahead to stop once the result set closed",
          () -> !readingAhead());
      await("every connection back in its pool", unchecked(() -> poolActive(parallel) == 0));
    }
  }

  @Test
  void smallStatementAloneIsReadByTheCaller() throws Exception {
    // Estimated far below the pipelining bound: a thread hop would cost more than it saves.
    String q = "SELECT k FROM " + t("pg1", "gated_a") + " WHERE k < 5";
    try (Connection c = connect(true)) {
      Future<List<String>> result;
      try (Gate gate = new Gate()) {
        result = EXECUTOR.submit(() -> rows(c, q));
        await("the statement to wait at the gate in PostgreSQL", () -> pgActive() >= 1);
        assertFalse(readingAhead(), "the caller's own thread waits in the driver");
      }
      assertEquals(4, result.get(60, TimeUnit.SECONDS).size());
      await("every connection back in its pool", unchecked(() -> poolActive(c) == 0));
    }
  }

  @Test
  void unreadStatementIsCancelledWhenTheQueryFails() throws Exception {
    // The first statement fails while the second, started ahead, waits at the closed gate:
    // the failure must stop it and hand its connection back.
    String q = "SELECT k FROM " + t("pg1", "broken") + " WHERE z > 0 UNION ALL SELECT k FROM "
        + t("pg2", "gated_b");
    try (Connection c = connect(true); Gate gate = new Gate();
         RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      assertThrows(SQLException.class, () -> rows(c, q));
      assertEquals(1, recorder.sentTo("pg2").size(), "the second statement started ahead");
      await("the unread statement to stop in PostgreSQL", () -> pgActive() == 0);
      await("every connection back in its pool", unchecked(() -> poolActive(c) == 0));
    }
  }

  @Test
  void closingTheResultSetEarlyReleasesEverything() throws Exception {
    String q = "SELECT k FROM " + t("pg1", "a") + " UNION ALL SELECT k FROM "
        + t("pg2", "gated_b");
    try (Connection c = connect(true); Gate gate = new Gate()) {
      try (Statement st = c.createStatement()) {
        st.setQueryTimeout(60);
        try (ResultSet rs = st.executeQuery(q)) {
          assertTrue(rs.next());
          await("the second statement to start ahead", () -> pgActive() >= 1);
        }
      }
      await("the statement started ahead to stop in PostgreSQL", () -> pgActive() == 0);
      await("every connection back in its pool", unchecked(() -> poolActive(c) == 0));
    }
  }

  @Test
  void cancelStopsEveryStatementOfTheQuery() throws Exception {
    String q = "SELECT COUNT(*) FROM " + t("pg1", "gated_a") + " a JOIN " + t("pg2", "gated_b")
        + " b ON a.k = b.k";
    try (Connection c = connect(true); Gate gate = new Gate()) {
      Statement st = c.createStatement();
      Future<?> query = EXECUTOR.submit(() -> {
        try (ResultSet rs = st.executeQuery(q)) {
          rs.next();
        }
        return null;
      });
      await("both statements to be active", () -> pgActive() >= 2);
      st.cancel();
      await("every statement of the query to stop", () -> pgActive() == 0);
      ExecutionException failure = assertThrows(ExecutionException.class,
          () -> query.get(30, TimeUnit.SECONDS));
      assertTrue(failure.getCause() instanceof SQLException, String.valueOf(failure.getCause()));
      assertEquals("57014", ((SQLException) failure.getCause()).getSQLState());
      st.close();
      await("every connection back in its pool", unchecked(() -> poolActive(c) == 0));
    }
  }

  @Test
  void failureOfAStatementReadAheadKeepsItsSqlState() throws Exception {
    String q = "SELECT k FROM " + t("pg1", "a") + " WHERE k < 3 UNION ALL SELECT k FROM "
        + t("pg2", "broken") + " WHERE z > 0";
    String expected;
    try (Connection c = connect(false)) {
      expected = assertThrows(SQLException.class, () -> rows(c, q)).getSQLState();
    }
    try (Connection c = connect(true)) {
      SQLException e = assertThrows(SQLException.class, () -> rows(c, q));
      assertEquals(expected, e.getSQLState(), e.toString());
      await("every connection back in its pool", unchecked(() -> poolActive(c) == 0));
      assertEquals(List.of("1|"), rows(c, "SELECT k FROM " + t("pg1", "a") + " WHERE k = 1"),
          "the connection stays usable");
    }
  }

  @Test
  void moreStatementsOnOneSourceThanItsPoolHolds() throws Exception {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      q.append(i == 0 ? "" : " UNION ALL ").append("SELECT k FROM ")
          .append(t(i % 2 == 0 ? "small" : "my", i % 2 == 0 ? "a" : "c"))
          .append(" WHERE k = ").append(i * 3 + 1);
    }
    try (Connection sequential = connect(false); Connection parallel = connect(true)) {
      List<String> expected = rows(sequential, q.toString());
      assertEquals(6, expected.size());
      assertEquals(expected, rows(parallel, q.toString()));
      await("every connection back in its pool", unchecked(() -> poolActive(parallel) == 0));
    }
  }

  @Test
  void invalidSettingIsRefused() {
    Properties p = new Properties();
    p.setProperty("parallelReadsPerQuery", "0");
    SQLException e = assertThrows(SQLException.class, () -> CatalogFile.connect(catalog, p));
    assertTrue(e.getMessage().contains("parallelReadsPerQuery"), e.getMessage());
  }
}
