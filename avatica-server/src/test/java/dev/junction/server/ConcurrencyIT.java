package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 32 Avatica clients (four users) for a bounded time, each running a mix of single-source
 * (DuckDB, SQLite) and federated queries on the demo and checking every answer against the
 * in-process driver's: no errors, and no connection or statement left open on the server.
 * The heavy version of this is a benchmark, not a test.
 */
class ConcurrencyIT {
  private static final int CLIENTS = 32;
  private static final long RUN_NANOS = 10_000_000_000L;
  private static final String[] QUERIES = {
      "SELECT COUNT(*) FROM shop.main.orders WHERE status = 'open'",
      "SELECT COUNT(DISTINCT country) FROM crm.main.customers",
      "SELECT COUNT(*) FROM (SELECT c.country, SUM(o.total) FROM shop.main.orders o"
          + " JOIN crm.main.customers c ON o.customer_id = c.customer_id"
          + " WHERE o.order_id < 3000 GROUP BY c.country) t",
      "SELECT COUNT(*) FROM shop.main.orders o JOIN crm.main.customers c"
          + " ON o.customer_id = c.customer_id WHERE c.customer_id < 50",
  };
  @TempDir Path dir;

  @Test void thirtyTwoClientsMixedQueries() throws Exception {
    long[] expected = new long[QUERIES.length];
    try (Connection local = java.sql.DriverManager.getConnection("jdbc:junction:demo");
         Statement st = local.createStatement()) {
      for (int i = 0; i < QUERIES.length; i++) {
        try (ResultSet rs = st.executeQuery(QUERIES[i])) {
          rs.next();
          expected[i] = rs.getLong(1);
        }
      }
    }
    TestingJunctionServer.Builder b = TestingJunctionServer.builder(dir);
    for (int u = 0; u < 4; u++) {
      b.user("user" + u, "pw-user-" + u);
    }
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    AtomicLong queries = new AtomicLong();
    try (TestingJunctionServer s = b.start()) {
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      long deadline = System.nanoTime() + RUN_NANOS;
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(pool.submit(() -> {
          int u = client % 4;
          try (Connection conn = s.connect("user" + u, "pw-user-" + u)) {
            int i = client;
            while (System.nanoTime() < deadline) {
              int q = i++ % QUERIES.length;
              try (Statement st = conn.createStatement();
                   ResultSet rs = st.executeQuery(QUERIES[q])) {
                rs.next();
                if (rs.getLong(1) != expected[q]) {
                  errors.add("client " + client + " query " + q + ": " + rs.getLong(1)
                      + " != " + expected[q]);
                }
              }
              queries.incrementAndGet();
            }
          } catch (Exception e) {
            errors.add("client " + client + ": " + ServerIT.chain(e));
          }
        }));
      }
      for (Future<?> f : clients) {
        f.get();
      }
      pool.shutdown();
      assertEquals(List.of(), errors);
      assertTrue(queries.get() >= CLIENTS, "every client ran at least one query");
      assertEquals(0, s.server().openConnections(), "no leaked connections");
      assertEquals(0, s.metric("junction_active_connections"));
      assertEquals(0, s.metric("junction_open_statements"));
      assertEquals(0, s.metric("junction_queries_total{outcome=\"error\"}"));
      assertEquals(queries.get(), s.metric("junction_queries_total{outcome=\"ok\"}"));
    }
  }
}
