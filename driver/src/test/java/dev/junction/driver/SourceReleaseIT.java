package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.testing.TestingServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * However a query ends, its source connections go back to their pool rolled back: no
 * transaction, snapshot or lock is left in PostgreSQL, MariaDB or SQLite to block the
 * source's owners. Each case ends a query one way (success, a partial read, a source
 * error, an error in Junction's own evaluation, cancel, timeout, a closed connection, a
 * failure the caller never closes) and then checks the source itself: PostgreSQL's
 * {@code pg_stat_activity} and {@code pg_locks}, MariaDB's process list, open InnoDB
 * transactions and a DDL statement that needs the table's metadata lock, and a SQLite
 * writer. The waits are upper bounds for the source to settle, never timing assertions.
 */
class SourceReleaseIT {
  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path sqlite;
  static Path catalog;
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();
  static final java.util.concurrent.atomic.AtomicInteger TABLES =
      new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    String ns = pg.namespace();
    pg.execute("CREATE TABLE " + ns + ".t1 (a INTEGER, b TEXT)",
        "INSERT INTO " + ns + ".t1 VALUES (1, 'x')",
        "CREATE TABLE " + ns + ".big (x INTEGER)",
        "INSERT INTO " + ns + ".big SELECT i FROM generate_series(1, 5000) i",
        "ANALYZE " + ns + ".big");
    maria.execute("CREATE TABLE t1 (a INTEGER, b TEXT) ENGINE=InnoDB",
        "INSERT INTO t1 VALUES (1, 'x')",
        "CREATE TABLE big (x INTEGER) ENGINE=InnoDB",
        "INSERT INTO big SELECT seq FROM seq_1_to_5000");
    sqlite = dir.resolve("owner.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t1 (a INTEGER, b TEXT)");
      st.execute("INSERT INTO t1 VALUES (1, 'x')");
      st.execute("CREATE TABLE big (x INTEGER)");
      st.execute("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000)"
          + " INSERT INTO big SELECT i FROM s");
    }
    catalog = new CatalogFile().postgresql("pg", pg).mariadb("my", maria).sqlite("lite", sqlite)
        .write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    EXECUTOR.shutdownNow();
    try (AutoCloseable p = pg; AutoCloseable m = maria) {
      // closes both, even if one fails
    }
  }

  /** A source of the catalog and the schema its test tables live in. */
  record Source(String name, String schema) {
    String table(String t) {
      return name + "." + schema + "." + t;
    }

    @Override public String toString() {
      return name;
    }
  }

  static Stream<Source> sources() {
    return Stream.of(new Source("pg", pg.namespace()), new Source("my", maria.namespace()),
        new Source("lite", "main"));
  }

  /** One way for a query to end. */
  interface Ending {
    void run(Connection c, Source s) throws Exception;
  }

  static Stream<Arguments> endings() {
    List<Arguments> cases = new ArrayList<>();
    List<Object[]> ways = List.of(
        new Object[] {"success", (Ending) SourceReleaseIT::success},
        new Object[] {"partial read, then close", (Ending) SourceReleaseIT::partialRead},
        new Object[] {"source error", (Ending) SourceReleaseIT::sourceError},
        new Object[] {"error in Junction's evaluation", (Ending) SourceReleaseIT::localError},
        new Object[] {"error never closed", (Ending) SourceReleaseIT::errorNeverClosed},
        new Object[] {"cancel", (Ending) SourceReleaseIT::cancel},
        new Object[] {"query timeout", (Ending) SourceReleaseIT::timeout},
        new Object[] {"connection closed mid-read", (Ending) SourceReleaseIT::connectionClosed});
    sources().forEach(s -> ways.forEach(w -> cases.add(Arguments.of(s, w[0], w[1]))));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("endings")
  void sourceIsLeftClean(Source source, String way, Ending ending) throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      ending.run(c, source);
      assertClean(source);
    }
    assertClean(source);
  }

  private static void success(Connection c, Source s) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT x FROM " + s.table("big"))) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      assertEquals(5000, n);
    }
  }

  private static void partialRead(Connection c, Source s) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT x FROM " + s.table("big"))) {
      assertTrue(rs.next());
    }
  }

  /** A table Junction has seen is dropped in the source: the source itself fails. */
  private static void sourceError(Connection c, Source s) throws Exception {
    String name = "gone" + TABLES.incrementAndGet();
    direct(s, "CREATE TABLE " + name + " (a INTEGER)");
    c.unwrap(JunctionConnection.class).refreshMetadata();
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT a FROM " + s.table(name))) {
      assertTrue(!rs.next());
    }
    direct(s, "DROP TABLE " + name);
    try (Statement st = c.createStatement()) {
      assertThrows(SQLException.class, () -> {
        try (ResultSet rs = st.executeQuery("SELECT a FROM " + s.table(name))) {
          rs.next();
        }
      });
    }
  }

  private static void direct(Source s, String sql) throws SQLException {
    switch (s.name()) {
      case "pg" -> pg.execute("SET search_path = " + pg.namespace() + "; " + sql);
      case "my" -> maria.execute(sql);
      default -> {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
             Statement st = c.createStatement()) {
          st.execute("PRAGMA busy_timeout = 10000");
          st.execute(sql);
        }
      }
    }
  }

  /** The case: Junction casts {@code b} to a number itself and fails. */
  private static void localError(Connection c, Source s) throws SQLException {
    try (Statement st = c.createStatement()) {
      assertThrows(SQLException.class, () -> {
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + s.table("t1")
            + " WHERE + b IS NULL")) {
          while (rs.next()) {
            rs.getObject(1);
          }
        }
      });
    }
  }

  /** A caller that gets an error and never closes its statement or result set. */
  private static void errorNeverClosed(Connection c, Source s) throws Exception {
    Statement st = c.createStatement();
    assertThrows(SQLException.class, () -> {
      ResultSet rs = st.executeQuery("SELECT * FROM " + s.table("t1") + " WHERE + b IS NULL");
      while (rs.next()) {
        rs.getObject(1);
      }
    });
    assertClean(s);
  }

  private static String slowQuery(Source s) {
    String t = s.table("big");
    return "SELECT COUNT(*) FROM " + t + " a JOIN " + t + " b ON a.x <> b.x JOIN " + t
        + " c ON b.x <> c.x";
  }

  private static void cancel(Connection c, Source s) throws Exception {
    try (Statement st = c.createStatement()) {
      Future<?> query = EXECUTOR.submit(() -> {
        try (ResultSet rs = st.executeQuery(slowQuery(s))) {
          rs.next();
        }
        return null;
      });
      Thread.sleep(300);
      st.cancel();
      java.util.concurrent.ExecutionException e = assertThrows(
          java.util.concurrent.ExecutionException.class, () -> query.get(60, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof SQLException, String.valueOf(e.getCause()));
    }
  }

  private static void timeout(Connection c, Source s) throws Exception {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(1);
      Future<?> query = EXECUTOR.submit(() -> {
        try (ResultSet rs = st.executeQuery(slowQuery(s))) {
          rs.next();
        }
        return null;
      });
      java.util.concurrent.ExecutionException e = assertThrows(
          java.util.concurrent.ExecutionException.class, () -> query.get(60, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof SQLException, String.valueOf(e.getCause()));
    }
  }

  /** The Junction connection closes while a result set is open and half read. */
  private static void connectionClosed(Connection c, Source s) throws Exception {
    try (Connection other = CatalogFile.connect(catalog)) {
      Statement st = other.createStatement();
      ResultSet rs = st.executeQuery("SELECT x FROM " + s.table("big"));
      assertTrue(rs.next());
    }
  }

  /** Waits (up to a bound) for the source to show no work or lock of Junction's. */
  private static void assertClean(Source s) throws Exception {
    switch (s.name()) {
      case "pg" -> await(s, () -> pgLeftovers().isEmpty(), SourceReleaseIT::pgLeftovers);
      case "my" -> {
        await(s, () -> mariaLeftovers().isEmpty(), SourceReleaseIT::mariaLeftovers);
        mariaDdlRuns();
      }
      case "lite" -> sqliteWriterRuns();
      default -> throw new IllegalArgumentException(s.name());
    }
  }

  private static List<String> pgLeftovers() throws SQLException {
    return rows(pg, "SELECT state || ': ' || left(query, 60) FROM pg_stat_activity"
        + " WHERE application_name = 'junction' AND state <> 'idle'"
        + " AND query LIKE '%" + pg.namespace() + "%'"
        + " UNION ALL SELECT 'lock ' || l.mode || ' on ' || c.relname FROM pg_locks l"
        + " JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE n.nspname = '" + pg.namespace() + "' AND l.pid <> pg_backend_pid()");
  }

  private static List<String> mariaLeftovers() throws SQLException {
    return rows(maria, "SELECT CONCAT(command, ': ', COALESCE(LEFT(info, 60), ''))"
        + " FROM information_schema.processlist WHERE db = '" + maria.namespace() + "'"
        + " AND id <> CONNECTION_ID() AND command <> 'Sleep'"
        + " UNION ALL SELECT CONCAT('transaction ', t.trx_state)"
        + " FROM information_schema.innodb_trx t"
        + " JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id"
        + " WHERE p.db = '" + maria.namespace() + "' AND p.id <> CONNECTION_ID()");
  }

  /** ALTER TABLE needs the metadata lock a reader left open would hold. */
  private static void mariaDdlRuns() throws SQLException {
    try (Connection c = maria.connect(); Statement st = c.createStatement()) {
      st.execute("SET SESSION lock_wait_timeout = 10");
      st.execute("ALTER TABLE big COMMENT = 'owner migration'");
    }
  }

  private static void sqliteWriterRuns() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
         Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 10000");
      st.execute("BEGIN IMMEDIATE");
      st.execute("UPDATE t1 SET a = a");
      st.execute("COMMIT");
    }
  }

  private static List<String> rows(TestingServer server, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = server.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  /** A check that may throw. */
  interface Check {
    boolean ok() throws Exception;
  }

  /** What is left over, for the failure message. */
  interface Leftovers {
    List<String> get() throws Exception;
  }

  private static void await(Source s, Check check, Leftovers leftovers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(s + " still holds: " + leftovers.get());
      }
      Thread.sleep(50);
    }
  }
}
