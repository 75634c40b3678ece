package dev.junction.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.server.auth.AuthResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection properties an {@code OpenConnection} gets: the caller's identity as the
 * server established it (principal, token groups and attributes, address), and of what the
 * client sent only {@code schema} and {@code timeZone}.
 */
class IdentityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every property a hostile client might send to choose its identity or its catalog. */
  private static Map<String, String> hostile() {
    Map<String, String> m = new HashMap<>();
    m.put("user", "root");
    m.put("groups", "admins");
    m.put("attributes", "{\"region\":\"*\"}");
    m.put("clientAddress", "10.9.9.9");
    m.put("revealPolicy", "true");
    m.put("REVEAL_POLICY", "true");
    m.put("revealpolicy", "true");
    m.put("config", "/etc/other.yaml");
    m.put("demo", "true");
    m.put("password", "p");
    m.put("avatica_password", "x");
    m.put("schema", "crm");
    m.put("timeZone", "UTC");
    return m;
  }

  @Test void claimsBecomeConnectionProperties() throws Exception {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("tenant_id", "t-42");
    attributes.put("region", "eu-west");
    attributes.put("quote\"d", "back\\slash, \"quotes\", new\nline, \u0001, caf\u00e9 \u2603");
    Map<String, String> info = JunctionHandler.identity(Map.of(), new AuthResult.Ok("svc",
        List.of("analysts", "eu"), attributes, List.of()), "10.1.2.3");
    assertEquals("svc", info.get("user"));
    assertEquals("analysts,eu", info.get("groups"));
    assertEquals("10.1.2.3", info.get("clientAddress"));
    assertEquals(4, info.size(), info.toString());
    JsonNode parsed = JSON.readTree(info.get("attributes"));
    assertEquals(Map.of("region", "eu-west", "tenant_id", "t-42", "quote\"d",
        "back\\slash, \"quotes\", new\nline, \u0001, caf\u00e9 \u2603"),
        JSON.convertValue(parsed, Map.class), "a JSON object of strings, any text escaped");
    assertTrue(info.get("attributes").startsWith("{\"quote\\\"d\":\""),
        "sorted by name: " + info.get("attributes"));
  }

  @Test void clientSentIdentityIsDroppedEvenWithoutToken() {
    assertEquals(Map.of("user", "ana", "clientAddress", "127.0.0.1", "schema", "crm",
        "timeZone", "UTC"), JunctionHandler.identity(hostile(), new AuthResult.Ok("ana"),
        "127.0.0.1"), "a password login: no groups or attributes, and none from the client");
  }

  @Test void clientSentIdentityIsReplacedByTheTokens() {
    Map<String, String> info = JunctionHandler.identity(hostile(), new AuthResult.Ok("svc",
        List.of("etl"), Map.of("region", "eu-west"), List.of()), "::1");
    assertEquals(Map.of("user", "svc", "groups", "etl", "attributes",
        "{\"region\":\"eu-west\"}", "clientAddress", "::1", "schema", "crm", "timeZone", "UTC"),
        info);
  }

  @Test void noClientPropertiesAtAll() {
    assertEquals(Map.of("user", "anonymous", "clientAddress", "127.0.0.1"),
        JunctionHandler.identity(null, new AuthResult.Ok("anonymous"), "127.0.0.1"));
  }
}
