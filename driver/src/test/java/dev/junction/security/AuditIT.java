package dev.junction.security;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail of statements run through the driver: one JSON line each, allowed or
 * denied, with who ran it, what it read and how it ended; and a statement that cannot be
 * audited does not run when the audit fails closed.
 */
class AuditIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path catalog(Path dir, String audit) throws Exception {
    Path duck = dir.resolve("a.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders(id INT, region VARCHAR, ssn VARCHAR)");
      s.execute("INSERT INTO orders SELECT i, CASE WHEN i % 2 = 0 THEN 'EU' ELSE 'US' END,"
          + " 'ssn-' || i FROM range(1, 11) t(i)");
      s.execute("CREATE TABLE secrets(id INT)");
    }
    Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "users:",
        "  ana: {groups: [analysts], attributes: {region: EU, token: {secret: s3cr3t-value}}}",
        "rules:",
        "  - group: analysts",
        "    source: lake",
        "    table: orders",
        "    allow: read",
        "    filter: \"region = ATTRIBUTE('region')\"",
        "    columns:",
        "      ssn: {allow: false}",
        ""));
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(file, new CatalogFile().duckdb("lake", duck).yaml()
        + "policy: policy.yaml\n" + audit);
    return file;
  }

  private static Connection connect(Path catalog, String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    return DriverManager.getConnection("jdbc:junction:config=" + catalog, p);
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test void everyStatementAllowedOrDeniedIsOneLine(@TempDir Path dir) throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Path catalog = catalog(dir, "audit: {destination: file, file: audit.jsonl}\n");
    try (Connection c = connect(catalog, "ana"); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id FROM lake.main.orders ORDER BY id")) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        assertEquals(5, n);
      }
      assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM lake.main.secrets"));
      assertThrows(SQLException.class,
          () -> s.executeUpdate("DELETE FROM lake.main.orders WHERE id = 1"));
      try (var ps = c.prepareStatement("SELECT COUNT(*) FROM lake.main.orders WHERE id > ?")) {
        ps.setInt(1, 4);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertEquals(3, rs.getInt(1));
        }
      }
    }
    List<JsonNode> lines = lines(audit);
    assertEquals(4, lines.size(), lines.toString());

    JsonNode ok = lines.get(0);
    assertEquals("ana", ok.get("user").asText());
    assertEquals("[\"analysts\"]", ok.get("groups").toString());
    assertEquals("EU", ok.get("attributes").get("region").asText());
    assertFalse(ok.get("attributes").has("token"), "secret attributes are never written");
    assertFalse(Files.readString(audit).contains("s3cr3t-value"));
    assertEquals("ok", ok.get("outcome").asText());
    assertEquals(5, ok.get("rows").asLong());
    assertEquals("[\"lake.main.orders\"]", ok.get("tables").toString());
    assertEquals("[\"lake\"]", ok.get("sources").toString());
    assertEquals("SELECT id FROM lake.main.orders ORDER BY id", ok.get("sql").asText());
    assertTrue(ok.get("client_address").isNull(), "in-process: no client address");

    JsonNode missing = lines.get(1);
    assertEquals("failed", missing.get("outcome").asText());
    assertEquals("42P01", missing.get("sql_state").asText());

    JsonNode write = lines.get(2);
    assertEquals("denied", write.get("outcome").asText());
    assertEquals("42501", write.get("sql_state").asText());
    assertTrue(write.get("error").asText().contains("read-only"), write.toString());

    JsonNode prepared = lines.get(3);
    assertEquals("ok", prepared.get("outcome").asText());
    assertEquals(1, prepared.get("rows").asLong());
  }

  @Test void aStatementThatCannotBeAuditedDoesNotRunWhenTheAuditFailsClosed(@TempDir Path dir)
      throws Exception {
    Path logs = Files.createDirectory(dir.resolve("logs"));
    Path catalog = catalog(dir, "audit: {destination: file, file: logs/audit.jsonl}\n");
    try (Connection c = connect(catalog, "ana"); Statement s = c.createStatement();
        RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      Files.delete(logs.resolve("audit.jsonl"));
      Files.delete(logs);
      Files.writeString(logs, "not a directory");
      SQLException e = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT id FROM lake.main.orders"));
      assertEquals("XX000", e.getSQLState());
      assertTrue(e.getMessage().contains("audit"), e.getMessage());
      assertTrue(sent.sent().isEmpty(), "nothing reached the source: " + sent.sent());
    }
  }

  @Test void failingOpenRunsWithoutTheAudit(@TempDir Path dir) throws Exception {
    Path logs = Files.createDirectory(dir.resolve("logs"));
    Path catalog = catalog(dir,
        "audit: {destination: file, file: logs/audit.jsonl, on-failure: continue}\n");
    try (Connection c = connect(catalog, "ana"); Statement s = c.createStatement()) {
      Files.delete(logs.resolve("audit.jsonl"));
      Files.delete(logs);
      Files.writeString(logs, "not a directory");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM lake.main.orders")) {
        rs.next();
        assertEquals(5, rs.getInt(1));
      }
    }
  }
}
