package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Strict, typed settings: every problem at once, naming key, value and what is allowed. */
class ServerConfigLoaderTest {
  @TempDir Path dir;

  @Test void fullSettings() throws Exception {
    Files.writeString(dir.resolve("users.txt"), "", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("ks.p12"), "x", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("jwt.secret"), "s".repeat(40) + "\n", StandardCharsets.UTF_8);
    ServerConfig c = ServerConfigLoader.parse("""
        listen: {host: 0.0.0.0, port: 9000}
        serialization: json
        tls: {keystore: ks.p12, keystore-password: "${env:KS}"}
        auth:
          users-file: users.txt
          jwt: {secret: "${file:jwt.secret}", issuer: i, audience: a, clock-skew: 10s}
          allow: [ana, "svc-*"]
          failed-logins: {max: 5, window: 2m}
        limits: {max-connections-per-user: 4, max-statements-per-user: 40, idle-timeout: 5m}
        frames: {rows: 5000, max-rows: 20000}
        shutdown-grace: 45s
        log-format: json
        """, dir, Map.of("KS", "ks-password")::get);
    assertEquals("0.0.0.0", c.host());
    assertEquals(9000, c.port());
    assertEquals(ServerConfig.Serialization.JSON, c.serialization());
    assertEquals("ks-password", c.tls().orElseThrow().password().orElseThrow().reveal());
    assertEquals("s".repeat(40), c.auth().jwt().orElseThrow().secret().orElseThrow().reveal());
    assertEquals(Duration.ofSeconds(10), c.auth().jwt().orElseThrow().clockSkew());
    assertEquals(5, c.auth().maxFailedLogins());
    assertEquals(new ServerConfig.Limits(4, 40, Duration.ofMinutes(5)), c.limits());
    assertEquals(new ServerConfig.Frames(5000, 20000), c.frames());
    assertEquals(Duration.ofSeconds(45), c.shutdownGrace());
    assertEquals(ServerConfig.LogFormat.JSON, c.logFormat());
    assertTrue(c.auth().enabled());
    assertFalse(c.toString().contains("ks-password"), "secrets never print");
  }

  @Test void everyProblemAtOnceAndNoSecretInTheMessage() {
    ServerConfigException e = assertThrows(ServerConfigException.class,
        () -> ServerConfigLoader.parse("""
            listen: {host: 127.0.0.1, port: 99999}
            serialization: xml
            shutdown-grace: soon
            limits: {idle-timeout: 0, max-connections-per-user: -1}
            auth: {jwt: {secret: "short-but-secret", issuer: i, audience: a}, pasword: x}
            frames: {rows: 500, max-rows: 100}
            tls: {keystore: missing.p12}
            """, dir, Map.<String, String>of()::get));
    String m = e.getMessage();
    assertTrue(m.contains("key 'listen.port': '99999' is not allowed; allowed: a whole number"
        + " from 0 to 65535"), m);
    assertTrue(m.contains("key 'serialization': 'xml' is not allowed; allowed: protobuf, json"),
        m);
    assertTrue(m.contains("key 'shutdown-grace': 'soon' is not a duration"), m);
    assertTrue(m.contains("key 'limits.idle-timeout'"), m);
    assertTrue(m.contains("key 'limits.max-connections-per-user': '-1'"), m);
    assertTrue(m.contains("key 'auth.pasword': unknown key; allowed: users-file"), m);
    assertTrue(m.contains("key 'auth.jwt.secret': too short"), m);
    assertTrue(m.contains("key 'frames.rows'"), m);
    assertTrue(m.contains("key 'tls.keystore': file"), m);
    assertFalse(m.contains("short-but-secret"), m);
    assertTrue(e.problems().size() >= 9, m);
  }

  @Test void tokenGroupsAndAttributeClaims() {
    ServerConfig.Jwt jwt = ServerConfigLoader.parse("""
        auth:
          jwt:
            secret: "%s"
            issuer: i
            audience: a
            groups-claim: roles
            attribute-claims: {region: region, tenant_id: "https://example.com/tenant",
                               level: 01}
        """.formatted("s".repeat(32)), dir, k -> null).auth().jwt().orElseThrow();
    assertEquals(Optional.of("roles"), jwt.groupsClaim());
    assertEquals(List.of("region", "tenant_id", "level"),
        List.copyOf(jwt.attributeClaims().keySet()), "in file order");
    assertEquals("https://example.com/tenant", jwt.attributeClaims().get("tenant_id"));
    assertEquals("01", jwt.attributeClaims().get("level"), "a claim name, not a number");
    ServerConfig.Jwt none = ServerConfigLoader.parse("auth: {jwt: {secret: \"%s\", issuer: i,"
        .formatted("s".repeat(32)) + " audience: a}}", dir, k -> null).auth().jwt()
        .orElseThrow();
    assertEquals(Optional.empty(), none.groupsClaim());
    assertEquals(Map.of(), none.attributeClaims());
  }

  @Test void malformedClaimSettingsAreNamed() {
    ServerConfigException e = assertThrows(ServerConfigException.class,
        () -> ServerConfigLoader.parse("""
            auth:
              jwt:
                secret: "%s"
                issuer: i
                audience: a
                groups-claim: [groups, roles]
                attribute-claims: {region: [a, b], tenant:, team: "", "": x}
            """.formatted("s".repeat(32)), dir, k -> null));
    String m = e.getMessage();
    assertTrue(m.contains("key 'auth.jwt.groups-claim': must be a string, not a list"), m);
    assertTrue(m.contains("key 'auth.jwt.attribute-claims.region': must be a string, not a"
        + " list"), m);
    assertTrue(m.contains("key 'auth.jwt.attribute-claims.tenant': missing claim name; write"
        + " attribute name: claim name, e.g. tenant: tenant"), m);
    assertTrue(m.contains("key 'auth.jwt.attribute-claims.team': empty; give a value"), m);
    assertTrue(m.contains("an attribute name must not be empty"), m);
    assertEquals(5, e.problems().size(), m);
    ServerConfigException list = assertThrows(ServerConfigException.class,
        () -> ServerConfigLoader.parse("auth: {jwt: {secret: \"%s\", issuer: i, audience: a,"
            .formatted("s".repeat(32)) + " attribute-claims: [region, tenant]}}", dir,
            k -> null));
    assertTrue(list.getMessage().contains("key 'auth.jwt.attribute-claims': must be a mapping"
        + " (key: value), not a list"), list.getMessage());
  }

  @Test void defaultsAreTheLoopbackDemo() {
    ServerConfig c = ServerConfigLoader.parse("", dir, k -> null);
    assertEquals(ServerConfig.defaults(), c);
    assertTrue(c.loopback());
    assertFalse(c.auth().enabled());
    assertFalse(c.withHost("0.0.0.0").loopback());
  }

  /**
   * Without authentication every client is the one anonymous user on loopback: 64 demo
   * clients fit its limits. With users, each gets the tighter per-user defaults; explicit
   * limits win either way.
   */
  @Test void anonymousLoopbackHasRoomForManyClients() {
    ServerConfig anonymous = ServerConfigLoader.parse("", dir, k -> null);
    assertEquals(256, anonymous.limits().maxConnectionsPerUser());
    assertEquals(4096, anonymous.limits().maxStatementsPerUser());
    ServerConfig users = ServerConfigLoader.parse("auth: {users: {ana: \"x\"}}\n", dir,
        k -> null);
    assertEquals(16, users.limits().maxConnectionsPerUser());
    assertEquals(256, users.limits().maxStatementsPerUser());
    assertEquals(16, ServerConfigLoader.parse("limits: {max-connections-per-user: 16}\n",
        dir, k -> null).limits().maxConnectionsPerUser());
  }

  @Test void missingEnvironmentVariableIsNamed() {
    ServerConfigException e = assertThrows(ServerConfigException.class,
        () -> ServerConfigLoader.parse("auth: {jwt: {secret: \"${env:NOPE}\", issuer: i,"
            + " audience: a}}", dir, k -> null));
    assertTrue(e.getMessage().contains("environment variable NOPE is not set"), e.getMessage());
  }

  @Test void plainScalarsAreNotCoercedByYaml11() {
    ServerConfig c = ServerConfigLoader.parse("""
        listen: {host: 0123, port: "9000"}
        insecure-plaintext: "true"
        auth:
          jwt: {secret: "%s", issuer: 0123, audience: yes, principal-claim: 1:30}
          anonymous-user: null-ish
        """.formatted("s".repeat(32)), dir, k -> null);
    ServerConfig.Jwt jwt = c.auth().jwt().orElseThrow();
    assertEquals("0123", jwt.issuer(), "not YAML 1.1 octal 83");
    assertEquals("yes", jwt.audience(), "not YAML 1.1 boolean true");
    assertEquals("1:30", jwt.principalClaim(), "not YAML 1.1 sexagesimal 90");
    assertEquals("0123", c.host());
    assertEquals(9000, c.port());
    assertTrue(c.insecurePlaintext());
  }

  @Test void yaml11BooleansAreRefusedWhereABooleanIsDeclared() {
    ServerConfigException e = assertThrows(ServerConfigException.class,
        () -> ServerConfigLoader.parse("insecure-plaintext: yes\n", dir, k -> null));
    assertTrue(e.getMessage().contains("key 'insecure-plaintext': 'yes' is not allowed;"
        + " allowed: true, false"), e.getMessage());
  }

  @Test void problemsKnowTheirLinesAndSuggestTheClosestKey() {
    ServerConfigException e = assertThrows(ServerConfigException.class,
        () -> ServerConfigLoader.parse("""
            listen:
              host: 127.0.0.1
              prot: 9000
            log-format: jsn
            """, dir, k -> null));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertEquals(3, e.problems().get(0).line());
    assertTrue(e.problems().get(0).message().endsWith("(did you mean 'port'?)"),
        e.getMessage());
    assertEquals(4, e.problems().get(1).line());
    assertTrue(e.locatedMessage().contains("  - line 4: key 'log-format': 'jsn' is not"
        + " allowed; allowed: text, json (did you mean 'json'?)"), e.locatedMessage());
  }
}
