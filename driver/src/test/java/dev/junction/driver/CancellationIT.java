package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.testing.TestingServer;

import org.apache.calcite.avatica.AvaticaStatement;
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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Statement.cancel()} and {@code Statement.close()} on a Junction statement stop
 * the statement running in the source database, not just Junction's side: a pushed-down
 * query that would run for hours disappears from PostgreSQL's {@code pg_stat_activity}
 * and MariaDB's process list. The waits below are upper bounds for a condition to
 * become true, never timing assertions.
 */
class CancellationIT {
  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path catalog;
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".big (x int)",
        "INSERT INTO " + pg.namespace() + ".big SELECT i FROM generate_series(1, 3000) i",
        "ANALYZE " + pg.namespace() + ".big");
    maria.execute("CREATE TABLE big (x int)", "INSERT INTO big SELECT seq FROM seq_1_to_3000");
    catalog = new CatalogFile().postgresql("pg", pg).mariadb("my", maria).write(dir);
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

  /** A three-way non-equi join of 3,000 rows: 27 billion combinations, pushed whole. */
  private static String slowQuery(String source, String schema) {
    String t = source + "." + schema + ".big";
    return "SELECT COUNT(*) FROM " + t + " a JOIN " + t + " b ON a.x <> b.x JOIN " + t
        + " c ON b.x <> c.x";
  }

  private static boolean pgRunning() {
    return count(pg, "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active'"
        + " AND query LIKE '%" + pg.namespace() + "%' AND query NOT LIKE '%pg_stat_activity%'") > 0;
  }

  private static boolean mariaRunning() {
    return count(maria, "SELECT COUNT(*) FROM information_schema.processlist"
        + " WHERE command = 'Query' AND info LIKE '%" + maria.namespace() + "%'"
        + " AND info NOT LIKE '%processlist%'") > 0;
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

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting: " + what);
      }
      Thread.sleep(50);
    }
  }

  private void cancelStops(String source, String schema, BooleanSupplier running,
      boolean byClose) throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      Statement st = c.createStatement();
      Future<?> query = EXECUTOR.submit(() -> {
        try (ResultSet rs = st.executeQuery(slowQuery(source, schema))) {
          rs.next();
        }
        return null;
      });
      await("the query to start in " + source, running);
      if (byClose) {
        st.close();
      } else {
        st.cancel();
      }
      await("the query to stop in " + source, () -> !running.getAsBoolean());
      java.util.concurrent.ExecutionException failure = assertThrows(
          java.util.concurrent.ExecutionException.class, () -> query.get(30, TimeUnit.SECONDS));
      assertTrue(failure.getCause() instanceof SQLException, String.valueOf(failure.getCause()));
      st.close();
      try (Statement again = c.createStatement();
           ResultSet rs = again.executeQuery("SELECT COUNT(*) FROM " + source + "." + schema
               + ".big")) {
        rs.next();
        assertEquals(3000, rs.getLong(1), "the connection stays usable after a cancel");
      }
    }
  }

  @Test
  void cancelStopsPostgreSqlQuery() throws Exception {
    cancelStops("pg", pg.namespace(), CancellationIT::pgRunning, false);
  }

  @Test
  void closeStopsPostgreSqlQuery() throws Exception {
    cancelStops("pg", pg.namespace(), CancellationIT::pgRunning, true);
  }

  @Test
  void cancelStopsMariaDbQuery() throws Exception {
    cancelStops("my", maria.namespace(), CancellationIT::mariaRunning, false);
  }

  @Test
  void finishedStatementsAreForgotten() throws Exception {
    List<AvaticaStatement> statements = new ArrayList<>();
    try (Connection c = CatalogFile.connect(catalog)) {
      for (int i = 0; i < 20; i++) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MAX(x) FROM pg." + pg.namespace() + ".big")) {
          rs.next();
          assertEquals(3000, rs.getInt(1));
          statements.add(st.unwrap(AvaticaStatement.class));
        }
      }
      Statement leftOpen = c.createStatement();
      try (ResultSet rs = leftOpen.executeQuery("SELECT MIN(x) FROM pg." + pg.namespace()
          + ".big")) {
        rs.next();
      }
      statements.add(leftOpen.unwrap(AvaticaStatement.class));
    }
    await("closed statements, and those of a closed connection, to be forgotten",
        () -> statements.stream().noneMatch(RemoteCancellation.INSTANCE::isTracked));
  }
}
