package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Through the stock Avatica client: a token's groups and attributes reach the Junction
 * connection (seen in its {@code connection_opened} event), the identity properties a
 * client sends never do, a malformed groups claim refuses the login and a malformed
 * attribute claim is left out with a warning naming the claim.
 */
class TokenIdentityIT {
  private static final String ANA_PASSWORD = "ana-Pa55word";
  @TempDir static Path dir;
  private static TestingJunctionServer server;

  @BeforeAll static void start() throws Exception {
    server = TestingJunctionServer.builder(dir).user("ana", ANA_PASSWORD)
        .jwt("groups-claim: groups, attribute-claims: {region: region,"
            + " tenant_id: \"https://example.com/tenant\"}").start();
  }

  @AfterAll static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String token(String subject, Map<String, Object> extra) throws Exception {
    Map<String, Object> claims = Jwts.claims(subject, TestingJunctionServer.ISSUER,
        TestingJunctionServer.AUDIENCE, Instant.now());
    claims.putAll(extra);
    return Jwts.hs256(TestingJunctionServer.JWT_SECRET, claims);
  }

  private static String currentUser(Connection c) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT CURRENT_USER")) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  /** The one {@code connection_opened} line of {@code user}. */
  private static String opened(String user) {
    List<String> lines = server.events().stream()
        .filter(e -> e.startsWith("event=connection_opened user=" + user + " ")).toList();
    assertEquals(1, lines.size(), server.events().toString());
    return lines.get(0);
  }

  @Test void claimsReachTheConnection() throws Exception {
    String token = token("svc-claims", Map.of("groups", List.of("analysts", "eu"),
        "region", "eu-west", "https://example.com/tenant", 42));
    try (Connection c = DriverManager.getConnection(server.bearerUrl(token))) {
      assertEquals("svc-claims", currentUser(c));
    }
    String line = opened("svc-claims");
    assertTrue(line.contains(" address=127.0.0.1 groups=analysts,eu"
        + " attributes=region,tenant_id"), line);
    assertFalse(line.contains("eu-west"), "attribute values are not logged: " + line);
  }

  @Test void identityPropertiesSentByTheClientAreDropped() throws Exception {
    Properties hostile = new Properties();
    hostile.setProperty("user", "root");
    hostile.setProperty("groups", "admins");
    hostile.setProperty("attributes", "{\"region\":\"*\"}");
    hostile.setProperty("clientAddress", "10.9.9.9");
    hostile.setProperty("revealPolicy", "true");
    String token = token("svc-hostile", Map.of("groups", "etl"));
    try (Connection c = DriverManager.getConnection(server.bearerUrl(token), hostile)) {
      assertEquals("svc-hostile", currentUser(c));
    }
    assertTrue(opened("svc-hostile").endsWith(" address=127.0.0.1 groups=etl"),
        opened("svc-hostile"));
    try (Connection c = DriverManager.getConnection(server.url("ana", ANA_PASSWORD),
        hostile)) {
      assertEquals("ana", currentUser(c));
    }
    assertTrue(opened("ana").endsWith(" address=127.0.0.1"),
        "a password login has no groups or attributes: " + opened("ana"));
  }

  @Test void aMalformedGroupsClaimRefusesTheLogin() throws Exception {
    for (Object groups : List.of(42, List.of("eu", "admins,auditors"))) {
      String token = token("svc-bad-groups", Map.of("groups", groups));
      Exception e = ServerIT.refused(() -> DriverManager.getConnection(
          server.bearerUrl(token)).close());
      assertTrue(ServerIT.chain(e).contains("HTTP/401"), ServerIT.chain(e));
    }
    assertTrue(server.events().stream().anyMatch(e -> e.startsWith("event=login_failed")
        && e.contains("reason=\"claim 'groups' must be a string or a list of strings\"")),
        server.events().toString());
    assertTrue(server.events().stream().anyMatch(e -> e.startsWith("event=login_failed")
        && e.contains("reason=\"claim 'groups' holds a group name that is empty, holds a"
        + " comma")), server.events().toString());
    assertTrue(server.events().stream().noneMatch(e -> e.contains("auditors")));
    assertTrue(server.events().stream().noneMatch(e -> e.contains("user=svc-bad-groups")));
  }

  @Test void aMalformedAttributeClaimIsLeftOutWithAWarning() throws Exception {
    String token = token("svc-odd", Map.of("region", List.of("eu-west", "us-east"),
        "https://example.com/tenant", "t-42"));
    try (Connection c = DriverManager.getConnection(server.bearerUrl(token))) {
      assertEquals("svc-odd", currentUser(c));
    }
    assertTrue(opened("svc-odd").endsWith(" attributes=tenant_id"), opened("svc-odd"));
    List<String> warnings = server.events().stream()
        .filter(e -> e.startsWith("event=claim_ignored user=svc-odd ")).toList();
    assertEquals(1, warnings.size(), "once per connection, not per request: " + warnings);
    assertTrue(warnings.get(0).contains(" claim=region reason="), warnings.get(0));
    assertTrue(server.events().stream().noneMatch(e -> e.contains("us-east")));
  }
}
