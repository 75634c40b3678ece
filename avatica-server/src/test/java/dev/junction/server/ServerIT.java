package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The server end to end on the demo catalog, through the stock Avatica remote JDBC driver:
 * BASIC and JWT authentication and their failures, identity, connection ownership,
 * operations endpoints and metrics.
 */
class ServerIT {
  private static final String ANA_PASSWORD = "ana-Pa55word";
  private static final String BO_PASSWORD = "bo-s3cret-Pass";
  @TempDir static Path dir;
  private static TestingJunctionServer server;

  @BeforeAll static void start() throws Exception {
    server = TestingJunctionServer.builder(dir).user("ana", ANA_PASSWORD)
        .user("bo", BO_PASSWORD).user("eve", "eve-password-1").jwt()
        .auth("allow: [ana, bo, svc-*]").start();
  }

  @AfterAll static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String currentUser(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT CURRENT_USER")) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @Test void basicLoginRunsAFederatedQueryAsTheUser() throws Exception {
    try (Connection c = server.connect("ana", ANA_PASSWORD); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT c.country, COUNT(*) AS n"
             + " FROM shop.main.orders o JOIN crm.main.customers c"
             + " ON o.customer_id = c.customer_id GROUP BY c.country ORDER BY n DESC")) {
      long total = 0;
      int countries = 0;
      while (rs.next()) {
        total += rs.getLong(2);
        countries++;
      }
      assertEquals(300_000, total);
      assertTrue(countries > 1);
      assertEquals("ana", currentUser(c));
    }
  }

  @Test void twoUsersAtOnceSeeTheirOwnNames() throws Exception {
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<String> ana = () -> {
        try (Connection c = server.connect("ana", ANA_PASSWORD)) {
          together.await();
          return currentUser(c);
        }
      };
      Callable<String> bo = () -> {
        try (Connection c = server.connect("bo", BO_PASSWORD)) {
          together.await();
          return currentUser(c);
        }
      };
      Future<String> a = pool.submit(ana);
      Future<String> b = pool.submit(bo);
      assertEquals("ana", a.get());
      assertEquals("bo", b.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test void nothingTheClientSendsOverridesTheIdentity() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "root");
    p.setProperty("config", "/etc/passwd");
    p.setProperty("demo", "false");
    try (Connection c = DriverManager.getConnection(server.url("ana", ANA_PASSWORD), p)) {
      assertEquals("ana", currentUser(c));
    }
  }

  @Test void wrongPasswordAndUnknownUserAreRefusedAlike() {
    Exception wrong = refused(() -> server.connect("ana", "not-the-password").close());
    Exception unknown = refused(() -> server.connect("nobody", "whatever").close());
    assertTrue(chain(wrong).contains("HTTP/401"), chain(wrong));
    assertTrue(chain(unknown).contains("HTTP/401"), chain(unknown));
    assertTrue(server.events().stream().anyMatch(e -> e.contains("event=login_failed")
        && e.contains("user=nobody")));
    assertTrue(server.events().stream().noneMatch(e -> e.contains("not-the-password")));
  }

  @Test void missingCredentialsGet401WithAChallenge() throws Exception {
    HttpResponse<String> r = post(null, "{\"request\":\"openConnection\",\"connectionId\":\"x\"}");
    assertEquals(401, r.statusCode());
    assertTrue(r.headers().allValues("WWW-Authenticate").stream()
        .anyMatch(v -> v.startsWith("Basic")));
    assertTrue(r.headers().allValues("WWW-Authenticate").stream()
        .anyMatch(v -> v.startsWith("Bearer")));
    Exception e = refused(() -> DriverManager.getConnection(server.url()).createStatement()
        .executeQuery("VALUES 1"));
    assertTrue(chain(e).contains("HTTP/401"), chain(e));
  }

  @Test void authenticatedButNotAllowedGets403() {
    Exception e = refused(() -> server.connect("eve", "eve-password-1").close());
    assertTrue(chain(e).contains("HTTP/403"), chain(e));
  }

  @Test void jwtBearerTokenRunsAsItsSubject() throws Exception {
    String token = Jwts.hs256(TestingJunctionServer.JWT_SECRET, Jwts.claims("svc-reports",
        TestingJunctionServer.ISSUER, TestingJunctionServer.AUDIENCE, Instant.now()));
    try (Connection c = DriverManager.getConnection(server.bearerUrl(token))) {
      assertEquals("svc-reports", currentUser(c));
    }
  }

  @Test void expiredOrForeignTokensAreRefused() throws Exception {
    Map<String, Object> expired = Jwts.claims("svc-reports", TestingJunctionServer.ISSUER,
        TestingJunctionServer.AUDIENCE, Instant.now().minusSeconds(7200));
    Map<String, Object> otherAudience = Jwts.claims("svc-reports",
        TestingJunctionServer.ISSUER, "someone-else", Instant.now());
    for (String token : new String[] {
        Jwts.hs256(TestingJunctionServer.JWT_SECRET, expired),
        Jwts.hs256(TestingJunctionServer.JWT_SECRET, otherAudience),
        Jwts.hs256("another-secret-which-is-also-32-bytes!!", Jwts.claims("svc-reports",
            TestingJunctionServer.ISSUER, TestingJunctionServer.AUDIENCE, Instant.now())),
        Jwts.none(Jwts.claims("svc-reports", TestingJunctionServer.ISSUER,
            TestingJunctionServer.AUDIENCE, Instant.now()))}) {
      Exception e = refused(() -> DriverManager.getConnection(server.bearerUrl(token)).close());
      assertTrue(chain(e).contains("HTTP/401"), chain(e));
    }
    assertTrue(server.events().stream().anyMatch(e -> e.contains("reason=expired")));
  }

  @Test void aConnectionCannotBeUsedByAnotherUser() throws Exception {
    String open = "{\"request\":\"openConnection\",\"connectionId\":\"owned-by-ana\","
        + "\"info\":{}}";
    // The server speaks protobuf; this raw JSON client only gets as far as the checks
    // that precede decoding, so use a JSON server for the ownership check.
    try (TestingJunctionServer json = TestingJunctionServer.builder(dir)
        .user("ana", ANA_PASSWORD).user("bo", BO_PASSWORD)
        .settings("serialization: json").start()) {
      assertEquals(200, post(json, basic("ana", ANA_PASSWORD), open).statusCode());
      HttpResponse<String> stolen = post(json, basic("bo", BO_PASSWORD),
          "{\"request\":\"createStatement\",\"connectionId\":\"owned-by-ana\"}");
      assertEquals(403, stolen.statusCode());
      assertTrue(stolen.body().contains("belongs to another user"), stolen.body());
      HttpResponse<String> mine = post(json, basic("ana", ANA_PASSWORD),
          "{\"request\":\"createStatement\",\"connectionId\":\"owned-by-ana\"}");
      assertEquals(200, mine.statusCode(), mine.body());
      assertTrue(json.events().stream().anyMatch(e -> e.contains("event=access_denied")
          && e.contains("user=bo")));
      // and the stock driver works over JSON too
      try (Connection c = json.connect("bo", BO_PASSWORD)) {
        assertEquals("bo", currentUser(c));
      }
    }
  }

  @Test void operationsEndpoints() throws Exception {
    try (Connection c = server.connect("ana", ANA_PASSWORD); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT order_id FROM shop.main.orders LIMIT 10")) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      assertEquals(10, n);
      assertTrue(server.metric("junction_active_connections") >= 1);
    }
    HttpResponse<String> health = server.get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("ok\n", health.body());
    HttpResponse<String> ready = server.get("/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(ready.body().contains("shop: ok") && ready.body().contains("crm: ok"),
        ready.body());
    HttpResponse<String> metrics = server.get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("Content-Type").orElse("")
        .startsWith("text/plain; version=0.0.4"));
    String body = metrics.body();
    assertTrue(server.metric("junction_queries_total{outcome=\"ok\"}") >= 1, body);
    assertTrue(server.metric("junction_rows_returned_total") >= 10, body);
    assertTrue(body.contains("junction_query_duration_seconds_bucket{le=\"+Inf\"}"), body);
    assertTrue(body.contains("junction_failed_logins_total"), body);
    // The demo's sources are embedded (no pool); /ready just reached both.
    assertEquals(1.0, server.metric("junction_source_up{source=\"shop\"}"), body);
    assertEquals(0.0, server.metric(
        "junction_source_pool_connections{source=\"shop\",state=\"max\"}"), body);
    for (String secret : new String[] {ANA_PASSWORD, BO_PASSWORD,
        TestingJunctionServer.JWT_SECRET}) {
      assertFalse(body.contains(secret));
      assertFalse(ready.body().contains(secret));
      assertTrue(server.events().stream().noneMatch(e -> e.contains(secret)));
    }
  }

  @Test void failedQueriesAreCountedAsErrors() throws Exception {
    double before = server.metric("junction_queries_total{outcome=\"error\"}");
    try (Connection c = server.connect("bo", BO_PASSWORD); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT no_such_column FROM shop.main.orders"));
      assertTrue(e.getMessage().contains("no_such_column"), e.getMessage());
    }
    assertEquals(before + 1, server.metric("junction_queries_total{outcome=\"error\"}"));
  }

  private static HttpResponse<String> post(String authorization, String body) throws Exception {
    return post(server, authorization, body);
  }

  private static HttpResponse<String> post(TestingJunctionServer s, String authorization,
      String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.server().url().toString()))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Runs a connection attempt that the server refuses. The stock Avatica client reports
   * HTTP statuses other than 200 and 500 as an unchecked RuntimeException naming the
   * status ("Failed to execute HTTP Request, got HTTP/401"), not as an SQLException.
   */
  static Exception refused(org.junit.jupiter.api.function.Executable attempt) {
    return assertThrows(Exception.class, attempt);
  }

  /** Every message in an exception's cause chain. */
  static String chain(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" | ");
    }
    return b.toString();
  }
}
