package dev.junction.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.server.Jwts;
import dev.junction.spi.Secret;
import dev.junction.server.ServerConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JWT verification: algorithms from the key, claims, clock skew, known attacks, and the
 * groups and attributes a token gives.
 */
class JwtVerifierTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-hs256";
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  /** A verified caller without groups or attributes. */
  private static final AuthResult.Ok SVC = new AuthResult.Ok("svc");
  @TempDir Path dir;

  private static ServerConfig.Jwt hmacConfig() {
    return new ServerConfig.Jwt(Optional.of(Secret.of(SECRET)), Optional.empty(), "iss-1",
        "aud-1", "sub", Duration.ofSeconds(30));
  }

  private static Map<String, Object> claims() {
    return Jwts.claims("svc", "iss-1", "aud-1", NOW);
  }

  private static String reason(JwtVerifier v, String token) {
    return assertThrows(InvalidTokenException.class, () -> v.verify(token)).getMessage();
  }

  @Test void hs256() throws Exception {
    JwtVerifier v = JwtVerifier.create(hmacConfig(), CLOCK);
    assertEquals(SVC, v.verify(Jwts.hs256(SECRET, claims())));
    Map<String, Object> listAud = claims();
    listAud.put("aud", List.of("other", "aud-1"));
    assertEquals(SVC, v.verify(Jwts.hs256(SECRET, listAud)));
    // RFC 7518 3.2: HS512 needs a 64-byte key; this 38-byte secret accepts HS256 only.
    assertEquals("algorithm 'HS512' is not accepted; allowed: HS256",
        reason(v, Jwts.hmac("HS512", "HmacSHA512", SECRET, claims())));
    String longSecret = SECRET + "-".repeat(64 - SECRET.length());
    JwtVerifier v512 = JwtVerifier.create(new ServerConfig.Jwt(
        Optional.of(Secret.of(longSecret)), Optional.empty(), "iss-1", "aud-1", "sub",
        Duration.ofSeconds(30)), CLOCK);
    assertEquals(SVC, v512.verify(Jwts.hmac("HS512", "HmacSHA512", longSecret, claims())));
    assertEquals(SVC, v512.verify(Jwts.hmac("HS384", "HmacSHA384", longSecret, claims())));
    assertEquals(SVC, v512.verify(Jwts.hs256(longSecret, claims())));
  }

  @Test void claimsAreChecked() throws Exception {
    JwtVerifier v = JwtVerifier.create(hmacConfig(), CLOCK);
    Map<String, Object> c = claims();
    c.put("exp", NOW.getEpochSecond() - 31);
    assertEquals("expired", reason(v, Jwts.hs256(SECRET, c)));
    c.put("exp", NOW.getEpochSecond() - 29);
    assertEquals(SVC, v.verify(Jwts.hs256(SECRET, c)), "within the clock skew");
    c = claims();
    c.remove("exp");
    assertTrue(reason(v, Jwts.hs256(SECRET, c)).contains("no exp"));
    c = claims();
    c.put("nbf", NOW.getEpochSecond() + 120);
    assertTrue(reason(v, Jwts.hs256(SECRET, c)).contains("nbf"));
    c = claims();
    c.put("iss", "iss-2");
    assertEquals("wrong issuer", reason(v, Jwts.hs256(SECRET, c)));
    c = claims();
    c.put("aud", "aud-2");
    assertEquals("wrong audience", reason(v, Jwts.hs256(SECRET, c)));
    c = claims();
    c.remove("sub");
    assertTrue(reason(v, Jwts.hs256(SECRET, c)).contains("'sub'"));
  }

  @Test void forgeriesAreRefused() throws Exception {
    JwtVerifier v = JwtVerifier.create(hmacConfig(), CLOCK);
    assertTrue(reason(v, Jwts.none(claims())).contains("'none' is not accepted"));
    assertEquals("bad signature", reason(v, Jwts.hs256(SECRET + "x", claims())));
    String token = Jwts.hs256(SECRET, claims());
    String[] parts = token.split("\\.");
    Map<String, Object> admin = claims();
    admin.put("sub", "admin");
    String tampered = Jwts.hs256("whatever-key-whatever-key-whatever", admin).split("\\.")[1];
    assertEquals("bad signature", reason(v, parts[0] + "." + tampered + "." + parts[2]));
    assertTrue(reason(v, "not-a-token").contains("compact JWS"));
  }

  @Test void rs256AndAlgorithmConfusion() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair keys = g.generateKeyPair();
    Path pem = dir.resolve("rsa.pem");
    Files.writeString(pem, Jwts.pem(keys.getPublic()), StandardCharsets.US_ASCII);
    JwtVerifier v = JwtVerifier.create(new ServerConfig.Jwt(Optional.empty(), Optional.of(pem),
        "iss-1", "aud-1", "sub", Duration.ofSeconds(30)), CLOCK);
    assertEquals(SVC, v.verify(Jwts.signed("RS256", keys.getPrivate(), claims())));
    // HS256 "signed" with the public key (known to everyone) must not pass.
    assertTrue(reason(v, Jwts.confused(keys.getPublic(), claims()))
        .contains("'HS256' is not accepted"));
  }

  @Test void es256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = g.generateKeyPair();
    Path pem = dir.resolve("ec.pem");
    Files.writeString(pem, Jwts.pem(keys.getPublic()), StandardCharsets.US_ASCII);
    JwtVerifier v = JwtVerifier.create(new ServerConfig.Jwt(Optional.empty(), Optional.of(pem),
        "iss-1", "aud-1", "sub", Duration.ofSeconds(30)), CLOCK);
    assertEquals(SVC, v.verify(Jwts.signed("ES256", keys.getPrivate(), claims())));
    assertTrue(reason(v, Jwts.signed("RS256", rsaKey(), claims())).contains("not accepted"));
  }

  /** Groups from {@code groups}; attributes from five claims, one of them read twice. */
  private static JwtVerifier identityVerifier() throws Exception {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("region", "region");
    attributes.put("tenant_id", "https://example.com/tenant");
    attributes.put("level", "level");
    attributes.put("admin", "admin");
    attributes.put("ratio", "ratio");
    attributes.put("home", "region");
    return JwtVerifier.create(new ServerConfig.Jwt(Optional.of(Secret.of(SECRET)),
        Optional.empty(), "iss-1", "aud-1", "sub", Duration.ofSeconds(30),
        Optional.of("groups"), attributes), CLOCK);
  }

  @Test void groupsAndAttributesTravelWithThePrincipal() throws Exception {
    Map<String, Object> c = claims();
    c.put("groups", List.of("analysts", "eu", "analysts"));
    c.put("region", "eu-west");
    c.put("https://example.com/tenant", "t-42");
    c.put("level", 3);
    c.put("admin", false);
    c.put("ratio", 0.25);
    AuthResult.Ok ok = identityVerifier().verify(Jwts.hs256(SECRET, c));
    assertEquals("svc", ok.principal());
    assertEquals(List.of("analysts", "eu"), ok.groups(), "in token order, once each");
    assertEquals(Map.of("region", "eu-west", "home", "eu-west", "tenant_id", "t-42",
        "level", "3", "admin", "false", "ratio", "0.25"), ok.attributes());
    assertEquals(List.of(), ok.ignoredClaims());
  }

  @Test void absentClaimsGiveNothingAndOneStringIsOneGroup() throws Exception {
    JwtVerifier v = identityVerifier();
    assertEquals(SVC, v.verify(Jwts.hs256(SECRET, claims())));
    Map<String, Object> c = claims();
    c.put("groups", "eu analysts");
    assertEquals(List.of("eu analysts"), v.verify(Jwts.hs256(SECRET, c)).groups(),
        "a string is one group, never split");
    c.put("groups", List.of());
    assertEquals(List.of(), v.verify(Jwts.hs256(SECRET, c)).groups());
    c.put("groups", null);
    c.put("region", null);
    assertEquals(SVC, v.verify(Jwts.hs256(SECRET, c)), "JSON null is absent");
  }

  @Test void groupsAreReadOnlyFromTheConfiguredClaim() throws Exception {
    Map<String, Object> c = claims();
    c.put("groups", List.of("admins"));
    c.put("region", "eu-west");
    assertEquals(SVC, JwtVerifier.create(hmacConfig(), CLOCK).verify(Jwts.hs256(SECRET, c)));
  }

  @Test void aMalformedGroupsClaimRefusesTheToken() throws Exception {
    JwtVerifier v = identityVerifier();
    for (Object bad : Arrays.asList(42, true, Map.of("name", "admins"),
        List.of("admins", 7), Arrays.asList("admins", null), List.of(List.of("admins")))) {
      Map<String, Object> c = claims();
      c.put("groups", bad);
      assertEquals("claim 'groups' must be a string or a list of strings",
          reason(v, Jwts.hs256(SECRET, c)), String.valueOf(bad));
    }
    for (Object bad : List.of("admins,auditors", List.of("eu", "admins,auditors"), "",
        List.of(" admins"), List.of("admins\n"))) {
      Map<String, Object> c = claims();
      c.put("groups", bad);
      String reason = reason(v, Jwts.hs256(SECRET, c));
      assertEquals("claim 'groups' holds a group name that is empty, holds a comma or starts"
          + " or ends with white space", reason, String.valueOf(bad));
      assertFalse(reason.contains("admins"), "never the value");
    }
  }

  @Test void attributeClaimsOfTheWrongTypeAreLeftOutAndNamed() throws Exception {
    Map<String, Object> c = claims();
    c.put("region", List.of("eu-west", "us-east"));
    c.put("https://example.com/tenant", Map.of("id", "t-42"));
    c.put("level", 3);
    AuthResult.Ok ok = identityVerifier().verify(Jwts.hs256(SECRET, c));
    assertEquals(Map.of("level", "3"), ok.attributes(), "the others are absent");
    assertEquals(List.of("region", "https://example.com/tenant"), ok.ignoredClaims(),
        "each claim once, by name");
  }

  private static java.security.PrivateKey rsaKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair().getPrivate();
  }
}
