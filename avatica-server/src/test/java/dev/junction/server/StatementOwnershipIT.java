package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Avatica statement ids are global and sequential, so every request naming a statement is
 * checked against the connection that created it and that connection's principal: a
 * request for another connection's statement is 403, audited, and leaves the statement as
 * it was. The victim uses the stock Avatica client where it can; the attacker's requests
 * are crafted by hand ({@link RawAvatica}), since the stock client never sends another
 * connection's statement id.
 */
class StatementOwnershipIT {
  private static final String ANA = "ana";
  private static final String ANA_PASSWORD = "ana-Pa55word";
  private static final String BO = "bo";
  private static final String BO_PASSWORD = "bo-s3cret-Pass";
  private static final String MARKER = "ana-private-marker";
  private static final String ANA_SQL = "SELECT order_id, '" + MARKER + "' AS m"
      + " FROM shop.main.orders ORDER BY order_id LIMIT 50";
  private static final Pattern ERROR_ID = Pattern.compile("\\(error id ([0-9a-f]{8})\\)");
  @TempDir static Path dir;
  private static TestingJunctionServer server;
  private static RawAvatica raw;
  private static List<Long> expected;

  @BeforeAll static void start() throws Exception {
    server = TestingJunctionServer.builder(dir).user(ANA, ANA_PASSWORD).user(BO, BO_PASSWORD)
        .settings("frames: {rows: 10, max-rows: 100}").start();
    raw = new RawAvatica(server, false);
    expected = new ArrayList<>();
    try (Connection c = server.connect(ANA, ANA_PASSWORD); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(ANA_SQL)) {
      while (rs.next()) {
        expected.add(rs.getLong(1));
      }
    }
    assertEquals(50, expected.size());
  }

  @AfterAll static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Ana's side: a result with rows left to fetch, and a prepared statement. */
  private record Victim(String connection, int running, Meta.StatementHandle prepared) {
  }

  private static String open(String user, String password) throws Exception {
    String id = user + "-" + UUID.randomUUID();
    raw.send(user, password, new Service.OpenConnectionRequest(id, Map.of()))
        .as(Service.OpenConnectionResponse.class);
    return id;
  }

  private static Victim victim() throws Exception {
    String c = open(ANA, ANA_PASSWORD);
    int st = raw.send(ANA, ANA_PASSWORD, new Service.CreateStatementRequest(c))
        .as(Service.CreateStatementResponse.class).statementId;
    Service.ResultSetResponse first = raw.send(ANA, ANA_PASSWORD,
        new Service.PrepareAndExecuteRequest(c, st, ANA_SQL, -1, 10))
        .as(Service.ExecuteResponse.class).results.get(0);
    assertEquals(expected.subList(0, 10), ids(first.firstFrame));
    assertFalse(first.firstFrame.done);
    Meta.StatementHandle prepared = raw.send(ANA, ANA_PASSWORD,
        new Service.PrepareRequest(c, ANA_SQL, -1)).as(Service.PrepareResponse.class).statement;
    return new Victim(c, st, prepared);
  }

  private static List<Long> ids(Meta.Frame frame) {
    List<Long> out = new ArrayList<>();
    for (Object row : frame.rows) {
      Object v = row instanceof List<?> l ? l.get(0) : ((Object[]) row)[0];
      out.add(((Number) v).longValue());
    }
    return out;
  }

  /** Every Avatica request type that names a statement, aimed at the victim's. */
  enum Kind {
    FETCH {
      @Override Service.Request at(String connection, Victim v) {
        return new Service.FetchRequest(connection, v.running(), 10, 10);
      }
    },
    PREPARE_AND_EXECUTE {
      @Override Service.Request at(String connection, Victim v) {
        return new Service.PrepareAndExecuteRequest(connection, v.running(),
            "SELECT CURRENT_USER", -1, 10);
      }
    },
    EXECUTE {
      @Override Service.Request at(String connection, Victim v) {
        return new Service.ExecuteRequest(new Meta.StatementHandle(connection,
            v.prepared().id, v.prepared().signature), List.of(), 10);
      }
    },
    PREPARE_AND_EXECUTE_BATCH {
      @Override Service.Request at(String connection, Victim v) {
        return new Service.PrepareAndExecuteBatchRequest(connection, v.running(),
            List.of("SELECT CURRENT_USER"));
      }
    },
    EXECUTE_BATCH {
      @Override Service.Request at(String connection, Victim v) {
        return new Service.ExecuteBatchRequest(connection, v.prepared().id,
            List.of(List.of()));
      }
    },
    SYNC_RESULTS {
      @Override Service.Request at(String connection, Victim v) {
        return new Service.SyncResultsRequest(connection, v.running(),
            new QueryState("SELECT CURRENT_USER"), 0);
      }
    },
    CLOSE_STATEMENT {
      @Override Service.Request at(String connection, Victim v) {
        return new Service.CloseStatementRequest(connection, v.running());
      }
    };

    abstract Service.Request at(String connection, Victim v);
  }

  @ParameterizedTest @EnumSource(Kind.class)
  void anotherConnectionsStatementIsForbidden(Kind kind) throws Exception {
    Victim v = victim();
    String bos = open(BO, BO_PASSWORD);
    String anasOther = open(ANA, ANA_PASSWORD);
    String type = kind.at("x", v).getClass().getSimpleName();
    // bo on his own connection, bo on a made-up one, bo on ana's, ana on her other one
    String[][] attempts = {{BO, BO_PASSWORD, bos}, {BO, BO_PASSWORD, "made-up-" + UUID
        .randomUUID()}, {BO, BO_PASSWORD, v.connection()}, {ANA, ANA_PASSWORD, anasOther}};
    for (String[] a : attempts) {
      RawAvatica.Reply r = raw.send(a[0], a[1], kind.at(a[2], v));
      assertEquals(403, r.status(), type + " as " + a[0] + " on " + a[2] + ": " + r.response());
      boolean anasConnection = a[2].equals(v.connection()) && a[0].equals(BO);
      // on ana's connection the connection check answers first (28000, as before)
      String id = assertCleanError(r, anasConnection ? "28000" : "42501");
      assertFalse(r.body().contains(MARKER), r.body());
      assertTrue(server.events().stream().anyMatch(e -> e.contains("event=access_denied")
          && e.contains("user=" + a[0]) && e.contains("address=127.0.0.1")
          && e.contains("request=" + type) && e.contains("error=" + id)),
          String.join("\n", server.events()));
    }
    assertTrue(server.events().stream().noneMatch(e -> e.contains(MARKER)),
        "the audit never carries the other user's SQL");

    // Nothing happened to ana's statements: her result goes on where it was, and her
    // prepared statement still runs as hers.
    Service.FetchResponse next = raw.send(ANA, ANA_PASSWORD, new Service.FetchRequest(
        v.connection(), v.running(), 10, 10)).as(Service.FetchResponse.class);
    assertFalse(next.missingStatement);
    assertEquals(expected.subList(10, 20), ids(next.frame));
    Service.ExecuteResponse again = raw.send(ANA, ANA_PASSWORD, new Service.ExecuteRequest(
        v.prepared(), List.of(), 10)).as(Service.ExecuteResponse.class);
    assertEquals(expected.subList(0, 10), ids(again.results.get(0).firstFrame));

    // The owner, on the right connection, gets past the check (batches of queries may
    // still fail as SQL errors, but not as 403).
    RawAvatica.Reply own = raw.send(ANA, ANA_PASSWORD, kind.at(v.connection(), v));
    assertNotEquals(403, own.status(), String.valueOf(own.response()));
  }

  @Test void theStockClientsResultIsUntouchedByAnotherUsersFetchAndClose() throws Exception {
    String bos = open(BO, BO_PASSWORD);
    try (Connection c = server.connect(ANA, ANA_PASSWORD); Statement st = c.createStatement()) {
      st.setFetchSize(10);
      try (ResultSet rs = st.executeQuery(ANA_SQL)) {
        String connection = c.unwrap(AvaticaConnection.class).id;
        int id = st.unwrap(AvaticaStatement.class).getId();
        List<Long> seen = new ArrayList<>();
        assertTrue(rs.next());
        seen.add(rs.getLong(1));
        for (Service.Request r : List.of(new Service.FetchRequest(bos, id, 10, 10),
            new Service.FetchRequest(connection, id, 10, 10),
            new Service.CloseStatementRequest(bos, id),
            new Service.PrepareAndExecuteRequest(bos, id, "SELECT CURRENT_USER", -1, 10))) {
          assertEquals(403, raw.send(BO, BO_PASSWORD, r).status(), r.toString());
        }
        while (rs.next()) {
          seen.add(rs.getLong(1));
        }
        assertEquals(expected, seen);
      }
    }
  }

  @Test void metadataResultsBelongToTheirConnectionToo() throws Exception {
    try (Connection c = server.connect(ANA, ANA_PASSWORD)) {
      DatabaseMetaData md = c.getMetaData();
      int tables = 0;
      try (ResultSet rs = md.getTables(null, null, "%", null)) {
        while (rs.next()) {
          tables++;
        }
      }
      assertTrue(tables > 0);
      try (ResultSet rs = md.getColumns(null, "main", "orders", "%")) {
        assertTrue(rs.next());
      }
    }
    String anas = open(ANA, ANA_PASSWORD);
    Service.ResultSetResponse tables = raw.send(ANA, ANA_PASSWORD, new Service.TablesRequest(
        anas, null, null, "%", null)).as(Service.ResultSetResponse.class);
    RawAvatica.Reply stolen = raw.send(BO, BO_PASSWORD, new Service.FetchRequest(
        open(BO, BO_PASSWORD), tables.statementId, 0, 10));
    assertEquals(403, stolen.status());
    assertCleanError(stolen, "42501");
    assertEquals(200, raw.send(ANA, ANA_PASSWORD, new Service.CloseStatementRequest(anas,
        tables.statementId)).status());
  }

  @Test void theCheckHoldsOverJsonToo() throws Exception {
    try (TestingJunctionServer json = TestingJunctionServer.builder(dir)
        .user(ANA, ANA_PASSWORD).user(BO, BO_PASSWORD).settings("serialization: json")
        .start()) {
      RawAvatica j = new RawAvatica(json, true);
      String anas = "ana-" + UUID.randomUUID();
      j.send(ANA, ANA_PASSWORD, new Service.OpenConnectionRequest(anas, Map.of()))
          .as(Service.OpenConnectionResponse.class);
      int st = j.send(ANA, ANA_PASSWORD, new Service.CreateStatementRequest(anas))
          .as(Service.CreateStatementResponse.class).statementId;
      j.send(ANA, ANA_PASSWORD, new Service.PrepareAndExecuteRequest(anas, st, ANA_SQL, -1,
          10)).as(Service.ExecuteResponse.class);
      RawAvatica.Reply r = j.send(BO, BO_PASSWORD, new Service.FetchRequest("made-up", st, 10,
          10));
      assertEquals(403, r.status(), r.body());
      assertCleanError(r, "42501");
      assertTrue(r.body().contains("\"exceptions\":[]"), r.body());
    }
  }

  /** A 403 without trace or detail, quoting an error id; returns the id. */
  static String assertCleanError(RawAvatica.Reply r, String sqlState) {
    Service.ErrorResponse e = r.error();
    assertTrue(e.exceptions.isEmpty(), String.valueOf(e.exceptions));
    assertFalse(r.body().contains("\tat "), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
    assertEquals(sqlState, e.sqlState, e.errorMessage);
    Matcher m = ERROR_ID.matcher(e.errorMessage);
    assertTrue(m.find(), e.errorMessage);
    return m.group(1);
  }
}
