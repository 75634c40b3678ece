package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The access policy behind the server: the authenticated principal (password or token)
 * is the caller the policy sees, a token's groups and attributes drive its rules and row
 * filters, a client cannot reveal the policy, and each statement's audit line names the
 * caller and their address.
 */
class PolicyServerIT {
  private static final String ANA_PASSWORD = "ana-Pa55word";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static TestingJunctionServer server;

  @BeforeAll static void start() throws Exception {
    Path duck = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders(id INT, region VARCHAR, card VARCHAR)");
      s.execute("INSERT INTO orders SELECT i, CASE i % 3 WHEN 0 THEN 'EU' WHEN 1 THEN 'US'"
          + " ELSE 'APAC' END, '4111' || lpad(i::VARCHAR, 4, '0') FROM range(1, 31) t(i)");
    }
    Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "users:",
        "  ana: {groups: [analysts], attributes: {region: EU}}",
        "rules:",
        "  - group: analysts",
        "    source: lake",
        "    table: orders",
        "    allow: read",
        "    filter: \"region = ATTRIBUTE('region')\"",
        "    columns:",
        "      card: {mask: \"'****' || SUBSTRING(card FROM 5 FOR 4)\"}",
        ""));
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(catalog, "sources:\n  lake: {type: duckdb, path: \"" + duck + "\"}\n"
        + "policy: policy.yaml\naudit: {destination: file, file: audit.jsonl}\n");
    server = TestingJunctionServer.builder(dir).user("ana", ANA_PASSWORD)
        .jwt("groups-claim: groups, attribute-claims: {region: region}")
        .catalog(catalog).start();
  }

  @AfterAll static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static List<String> regions(Connection c) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT DISTINCT region FROM lake.main.orders ORDER BY region")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String token(String subject, Map<String, Object> extra) throws Exception {
    Map<String, Object> claims = Jwts.claims(subject, TestingJunctionServer.ISSUER,
        TestingJunctionServer.AUDIENCE, Instant.now());
    claims.putAll(extra);
    return Jwts.hs256(TestingJunctionServer.JWT_SECRET, claims);
  }

  @Test void aPasswordLoginIsThePolicysUserAndIsAudited() throws Exception {
    try (Connection c = server.connect("ana", ANA_PASSWORD)) {
      assertEquals(List.of("EU"), regions(c));
    }
    JsonNode line = null;
    for (String l : Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(l);
      if (n.get("user").asText().equals("ana") && n.get("sql").asText().contains("DISTINCT")) {
        line = n;
      }
    }
    assertTrue(line != null, "ana's statement is in the audit trail");
    assertEquals("ok", line.get("outcome").asText());
    assertEquals("[\"analysts\"]", line.get("groups").toString());
    assertTrue(line.get("client_address").asText().startsWith("127.0.0.1"), line.toString());
    assertEquals("[\"lake.main.orders\"]", line.get("tables").toString());
  }

  @Test void aTokensGroupsAndAttributesDriveTheRulesAndFilters() throws Exception {
    String us = token("svc-us", Map.of("groups", List.of("analysts"), "region", "US"));
    try (Connection c = DriverManager.getConnection(server.bearerUrl(us))) {
      assertEquals(List.of("US"), regions(c));
    }
    String none = token("svc-none", Map.of("groups", List.of("analysts")));
    try (Connection c = DriverManager.getConnection(server.bearerUrl(none))) {
      assertEquals(List.of(), regions(c), "a missing attribute matches no rows");
    }
    String outsider = token("svc-out", Map.of("region", "EU"));
    try (Connection c = DriverManager.getConnection(server.bearerUrl(outsider))) {
      try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
        assertFalse(rs.next(), "no rule applies: no table is listed");
      }
    }
  }

  @Test void aClientCannotRevealThePolicyOrClaimAnotherIdentity() throws Exception {
    Properties p = new Properties();
    p.setProperty("revealPolicy", "true");
    p.setProperty("groups", "admins");
    p.setProperty("attributes", "{\"region\":\"US\"}");
    String url = server.url("ana", ANA_PASSWORD);
    try (Connection c = DriverManager.getConnection(url, p)) {
      assertEquals(List.of("EU"), regions(c));
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "EXPLAIN PLAN FOR SELECT card FROM lake.main.orders")) {
        assertTrue(rs.next());
        String plan = rs.getString(1);
        assertTrue(plan.contains("<row filter>") && plan.contains("<mask>"), plan);
        assertFalse(plan.contains("'EU'") || plan.contains("****"), plan);
      }
    }
  }
}
