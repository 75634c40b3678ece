package dev.junction.server;

import static dev.junction.server.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A client that disconnects mid-query has its statement cancelled, down to PostgreSQL:
 * the Avatica client gives up after a short response timeout (closing its socket) while a
 * slow cross join runs in PostgreSQL, and the query must leave pg_stat_activity.
 */
class CancelOnDisconnectIT {
  @TempDir static Path dir;
  private static TestingPostgreSqlServer pg;
  private static TestingJunctionServer server;

  @BeforeAll static void start() throws Exception {
    pg = new TestingPostgreSqlServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".big AS"
        + " SELECT g AS x FROM generate_series(1, 30000) g");
    Path catalog = new CatalogFile().postgresql("pg", pg).write(dir);
    server = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1").catalog(catalog)
        .start();
    // Open the catalog (connection pool, metadata) before the test's short client timeout.
    try (Connection c = server.connect("ana", "pw-ana-1"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg." + pg.namespace() + ".big")) {
      rs.next();
    }
  }

  @AfterAll static void stop() throws SQLException {
    if (server != null) {
      server.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  /** Cancels this test's queries still running in PostgreSQL (a server killed mid-query). */
  static void cancelLeftovers(TestingPostgreSqlServer pg) throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
          + " WHERE pid <> pg_backend_pid() AND query LIKE '%" + pg.namespace() + "%big%'");
    }
  }

  /** Runs for hours in PostgreSQL (a three-way cross join), pushed down whole. */
  static String slowQuery(String namespace) {
    return "SELECT COUNT(*) FROM pg." + namespace + ".big a, pg." + namespace + ".big b, pg."
        + namespace + ".big c WHERE a.x <> b.x AND b.x <> c.x";
  }

  static int runningInPostgres(TestingPostgreSqlServer pg) throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
             + " WHERE state = 'active' AND backend_type = 'client backend'"
             + " AND pid <> pg_backend_pid()"
             + " AND query LIKE '%" + pg.namespace() + "%big%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Backends of Junction's pool still in a transaction or holding a lock in the schema. */
  static int leftInPostgres(TestingPostgreSqlServer pg) throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_stat_activity a"
             + " WHERE a.pid <> pg_backend_pid() AND a.application_name = 'junction'"
             + " AND ((a.state <> 'idle' AND a.query LIKE '%" + pg.namespace() + "%')"
             + " OR a.pid IN (SELECT l.pid FROM pg_locks l"
             + " JOIN pg_class r ON r.oid = l.relation JOIN pg_namespace n"
             + " ON n.oid = r.relnamespace WHERE n.nspname = '" + pg.namespace() + "'))")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test void disconnectCancelsTheRemoteQuery() throws Exception {
    String url = server.url("ana", "pw-ana-1") + ";http_response_timeout=3000";
    ExecutorService client = Executors.newSingleThreadExecutor();
    // The connection stays open throughout: only the HTTP socket goes away, so nothing but
    // the disconnect can stop the query (closing the connection would cancel it too).
    Connection c = DriverManager.getConnection(url);
    try {
      Statement st = c.createStatement();
      Future<?> query = client.submit(() -> st.executeQuery(slowQuery(pg.namespace())));
      assertEventually("the query runs in PostgreSQL", Duration.ofSeconds(30),
          () -> runningInPostgres(pg) == 1);
      ExecutionException gaveUp = assertThrows(ExecutionException.class, query::get);
      assertTrue(ServerIT.chain(gaveUp).contains("Timeout")
          || ServerIT.chain(gaveUp).contains("timed out"), ServerIT.chain(gaveUp));
      assertEventually("the server notices the disconnect and cancels",
          Duration.ofSeconds(30), () -> server.metric("junction_disconnect_cancels_total") == 1,
          () -> String.join("\n", server.events()));
      assertTrue(server.events().stream().anyMatch(e -> e.contains("event=client_disconnected")
          && e.contains("user=ana")));
      assertEventually("the query leaves PostgreSQL", Duration.ofSeconds(30),
          () -> runningInPostgres(pg) == 0);
      assertEventually("the query is counted as cancelled", Duration.ofSeconds(30),
          () -> server.metric("junction_queries_total{outcome=\"cancelled\"}") == 1);
      assertEquals(1, server.server().openConnections(), "the connection itself lives on");
      assertEventually("no transaction or lock is left in PostgreSQL", Duration.ofSeconds(30),
          () -> leftInPostgres(pg) == 0);
    } finally {
      client.shutdownNow();
      c.close();
    }
  }
}
