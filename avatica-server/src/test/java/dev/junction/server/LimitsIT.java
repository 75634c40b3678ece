package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-user bounds through the Avatica client: connection and statement limits with a clear
 * error, idle expiry (a hand-moved ticker, no sleeping), failed-login throttling (429), and
 * large frames that still deliver every row in order.
 */
class LimitsIT {
  @TempDir Path dir;

  @Test void connectionAndStatementLimitsPerUser() throws Exception {
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1")
        .user("bo", "pw-bo-1")
        .settings("limits: {max-connections-per-user: 2, max-statements-per-user: 3}")
        .start()) {
      try (Connection a1 = s.connect("ana", "pw-ana-1");
           Connection a2 = s.connect("ana", "pw-ana-1")) {
        // The stock client reports errors while opening a connection as an unchecked
        // AvaticaClientRuntimeException; message and SQLState are the server's.
        AvaticaClientRuntimeException third = assertThrows(
            AvaticaClientRuntimeException.class, () -> s.connect("ana", "pw-ana-1").close());
        assertTrue(third.getMessage().contains("Too many connections for user 'ana'"),
            third.getMessage());
        assertEquals("53300", third.getSqlState());
        // another user is not affected
        try (Connection b = s.connect("bo", "pw-bo-1")) {
          assertTrue(b.isValid(5));
        }
        List<Statement> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Statement st = (i % 2 == 0 ? a1 : a2).createStatement();
          st.executeQuery("VALUES 1").close();
          open.add(st);
        }
        AvaticaClientRuntimeException fourth = assertThrows(
            AvaticaClientRuntimeException.class, () -> a1.createStatement());
        assertTrue(fourth.getMessage().contains("Too many open statements for user 'ana'"),
            fourth.getMessage());
        assertEquals("53300", fourth.getSqlState());
        open.get(0).close();
        try (Statement st = a1.createStatement(); ResultSet rs = st.executeQuery("VALUES 7")) {
          assertTrue(rs.next());
          assertEquals(7, rs.getInt(1));
        }
        assertTrue(s.metric("junction_limit_rejections_total") >= 2);
      }
      assertEquals(0, s.server().openConnections());
    }
  }

  @Test void idleConnectionsExpire() throws Exception {
    FakeTicker ticker = new FakeTicker();
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1")
        .settings("limits: {idle-timeout: 10m}").ticker(ticker).start()) {
      Connection idle = s.connect("ana", "pw-ana-1");
      idle.createStatement().executeQuery("VALUES 1").close();
      ticker.advance(Duration.ofMinutes(9));
      assertEquals(0, s.server().expireIdle());
      Connection busy = s.connect("ana", "pw-ana-1");
      busy.createStatement().executeQuery("VALUES 1").close();
      ticker.advance(Duration.ofMinutes(2));
      assertEquals(1, s.server().expireIdle(), "only the connection idle for 11 minutes");
      assertEquals(1, s.server().openConnections());
      AvaticaClientRuntimeException gone = assertThrows(AvaticaClientRuntimeException.class,
          () -> idle.createStatement().executeQuery("VALUES 1"));
      assertEquals(ErrorResponse.MISSING_CONNECTION_ERROR_CODE, gone.getErrorCode(),
          ServerIT.chain(gone));
      assertTrue(s.events().stream().anyMatch(e -> e.contains("event=connection_expired")
          && e.contains("user=ana")));
      assertEquals(1, s.metric("junction_idle_connections_closed_total"));
      busy.close();
    }
  }

  @Test void failedLoginsAreThrottledPerAddress() throws Exception {
    FakeTicker ticker = new FakeTicker();
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1")
        .auth("failed-logins: {max: 3, window: 1m}").ticker(ticker).start()) {
      for (int i = 0; i < 3; i++) {
        Exception e = ServerIT.refused(() -> s.connect("ana", "wrong").close());
        assertTrue(ServerIT.chain(e).contains("HTTP/401"), ServerIT.chain(e));
      }
      Exception throttled = ServerIT.refused(() -> s.connect("ana", "pw-ana-1").close());
      assertTrue(ServerIT.chain(throttled).contains("HTTP/429"), ServerIT.chain(throttled));
      assertTrue(s.events().stream().anyMatch(e -> e.contains("event=login_throttled")));
      assertEquals(3, s.metric("junction_failed_logins_total"));
      ticker.advance(Duration.ofSeconds(61));
      try (Connection c = s.connect("ana", "pw-ana-1")) {
        assertTrue(c.isValid(5));
      }
    }
  }

  @Test void largeFramesDeliverEveryRowInOrderAndExplicitFetchSizesWork() throws Exception {
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1")
        .settings("frames: {rows: 7000, max-rows: 50000}").start();
         Connection c = s.connect("ana", "pw-ana-1")) {
      for (int fetchSize : new int[] {0, 100, 333, 80_000}) {
        try (Statement st = c.createStatement()) {
          if (fetchSize > 0) {
            st.setFetchSize(fetchSize);
          }
          try (ResultSet rs = st.executeQuery(
              "SELECT order_id FROM shop.main.orders ORDER BY order_id")) {
            long n = 0;
            long previous = Long.MIN_VALUE;
            while (rs.next()) {
              long id = rs.getLong(1);
              assertTrue(id > previous, "rows out of order at " + n);
              previous = id;
              n++;
            }
            assertEquals(300_000, n, "fetch size " + fetchSize);
          }
        }
      }
    }
  }

  @Test void queryLimitsOfThePolicyHoldThroughTheServer() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), """
        rules:
          - {allow: read}
        limits:
          users:
            ana: {max-rows: 3}
            bo: {max-rows: 3, on-max-rows: truncate}
        """, StandardCharsets.UTF_8);
    Path catalog = dir.resolve("junction.yaml");
    Files.writeString(catalog, "sources:\n  files: {type: duckdb, path: \":memory:\"}\n"
        + "policy: policy.yaml\n", StandardCharsets.UTF_8);
    String sql = "SELECT x FROM (VALUES 1, 2, 3, 4, 5) AS t(x)";
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1")
        .user("bo", "pw-bo-1").catalog(catalog).start()) {
      try (Connection c = s.connect("ana", "pw-ana-1"); Statement st = c.createStatement()) {
        java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> {
          try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
              rs.getInt(1);
            }
          }
        });
        assertEquals("54000", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("more than 3 rows, the limit max-rows = 3 (set in"
            + " policy " + dir.resolve("policy.yaml") + ", limits.users.ana)"), e.getMessage());
        assertTrue(!e.getMessage().contains("\tat ") && !e.getMessage().contains("Exception:"),
            "no stack trace: " + e.getMessage());
      }
      try (Connection c = s.connect("bo", "pw-bo-1"); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(sql)) {
        List<Integer> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getInt(1));
        }
        assertEquals(3, rows.size(), "truncated at the cap: " + rows);
      }
    }
  }
}
