package dev.junction.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.junction.server.FakeTicker;
import dev.junction.server.Jwts;
import dev.junction.server.ServerConfig;
import dev.junction.spi.Secret;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Header parsing, allow lists, throttling per address, the disabled mode, and what a
 * token's claims add to the principal.
 */
class AuthenticatorTest {
  private static final String ANA_HASH = PasswordHasher.hash("pw-ana".toCharArray());

  private static Authenticator auth(List<String> allow, FakeTicker ticker) throws Exception {
    return Authenticator.create(new ServerConfig.Auth(Optional.empty(), Map.of("ana", ANA_HASH,
        "eve", ANA_HASH), Optional.empty(), allow, "anonymous", 2, Duration.ofMinutes(1),
        Duration.ofMinutes(5)), Clock.systemUTC(), ticker);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test void basicAllowAndForbidden() throws Exception {
    Authenticator a = auth(List.of("an?"), new FakeTicker());
    assertEquals(new AuthResult.Ok("ana"), a.authenticate(basic("ana", "pw-ana"), "10.0.0.1"));
    assertEquals(new AuthResult.Ok("ana"), a.authenticate(basic("ana", "pw-ana"), "10.0.0.1"),
        "the cached verification gives the same answer");
    assertEquals(new AuthResult.Forbidden("eve"), a.authenticate(basic("eve", "pw-ana"),
        "10.0.0.1"));
    assertInstanceOf(AuthResult.Missing.class, a.authenticate(null, "10.0.0.1"));
    assertInstanceOf(AuthResult.Failed.class, a.authenticate("Basic !!!", "10.0.0.2"));
    assertInstanceOf(AuthResult.Failed.class, a.authenticate("Digest x", "10.0.0.3"));
    assertInstanceOf(AuthResult.Failed.class, a.authenticate("Bearer abc", "10.0.0.4"),
        "no JWT configured");
  }

  @Test void throttlePerAddressForAWindow() throws Exception {
    FakeTicker ticker = new FakeTicker();
    Authenticator a = auth(List.of("*"), ticker);
    assertInstanceOf(AuthResult.Failed.class, a.authenticate(basic("ana", "no"), "10.0.0.9"));
    assertInstanceOf(AuthResult.Failed.class, a.authenticate(basic("ana", "no"), "10.0.0.9"));
    assertInstanceOf(AuthResult.Throttled.class,
        a.authenticate(basic("ana", "pw-ana"), "10.0.0.9"), "even the right password");
    assertEquals(new AuthResult.Ok("ana"), a.authenticate(basic("ana", "pw-ana"), "10.0.0.8"),
        "other addresses are not affected");
    ticker.advance(Duration.ofSeconds(61));
    assertEquals(new AuthResult.Ok("ana"), a.authenticate(basic("ana", "pw-ana"), "10.0.0.9"));
  }

  @Test void passwordsWithControlCharactersFailAndCountAsFailedLogins() throws Exception {
    Authenticator a = auth(List.of("*"), new FakeTicker());
    assertEquals(new AuthResult.Ok("ana"), a.authenticate(basic("ana", "pw-ana"), "10.0.0.5"),
        "the real password, verified and cached");
    AuthResult nul = a.authenticate(basic("ana", "pw-ana\0"), "10.0.0.5");
    assertEquals(new AuthResult.Failed("ana", "basic", "control character in password"), nul,
        "trailing NULs are not the password without them, cache or no cache");
    assertInstanceOf(AuthResult.Failed.class, a.authenticate(basic("ana", "pw-ana\0\0"),
        "10.0.0.5"));
    assertInstanceOf(AuthResult.Throttled.class,
        a.authenticate(basic("ana", "pw-ana"), "10.0.0.5"), "both failures were counted");
    assertInstanceOf(AuthResult.Failed.class, a.authenticate(basic("ana", "pw-ana\n"),
        "10.0.0.6"));
  }

  @Test void aTokensGroupsAndAttributesPassTheAllowListAndPasswordsGiveNone()
      throws Exception {
    String secret = "0123456789abcdef0123456789abcdef-hs256";
    Instant now = Instant.now();
    ServerConfig.Jwt jwt = new ServerConfig.Jwt(Optional.of(Secret.of(secret)),
        Optional.empty(), "iss-1", "aud-1", "sub", Duration.ofSeconds(30),
        Optional.of("roles"), Map.of("region", "region"));
    Authenticator a = Authenticator.create(new ServerConfig.Auth(Optional.empty(),
        Map.of("ana", ANA_HASH), Optional.of(jwt), List.of("ana", "svc-*"), "anonymous", 2,
        Duration.ofMinutes(1), Duration.ofMinutes(5)), Clock.systemUTC(), new FakeTicker());
    Map<String, Object> claims = Jwts.claims("svc-etl", "iss-1", "aud-1", now);
    claims.put("roles", List.of("etl", "eu"));
    claims.put("region", "eu-west");
    assertEquals(new AuthResult.Ok("svc-etl", List.of("etl", "eu"), Map.of("region",
        "eu-west"), List.of()), a.authenticate("Bearer " + Jwts.hs256(secret, claims),
        "10.0.0.1"));
    assertEquals(new AuthResult.Ok("ana", List.of(), Map.of(), List.of()),
        a.authenticate(basic("ana", "pw-ana"), "10.0.0.1"));
    claims.put("roles", 7);
    assertEquals(new AuthResult.Failed(null, "bearer", "claim 'roles' must be a string or a"
        + " list of strings"), a.authenticate("Bearer " + Jwts.hs256(secret, claims),
        "10.0.0.2"), "a malformed groups claim is a failed login");
    claims.put("roles", "etl");
    claims.put("sub", "eve");
    assertEquals(new AuthResult.Forbidden("eve"), a.authenticate("Bearer "
        + Jwts.hs256(secret, claims), "10.0.0.3"));
  }

  @Test void disabledMeansEveryoneIsTheAnonymousUser() throws Exception {
    Authenticator a = Authenticator.create(ServerConfig.Auth.none(), Clock.systemUTC(),
        new FakeTicker());
    assertEquals(new AuthResult.Ok("anonymous"), a.authenticate(basic("root", "x"), "::1"));
    assertEquals(new AuthResult.Ok("anonymous"), a.authenticate(null, "::1"));
  }
}
