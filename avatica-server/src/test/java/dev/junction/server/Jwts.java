package dev.junction.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints JWTs for tests, the way an identity provider would. */
public final class Jwts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwts() {
  }

  /** Standard claims: subject, issuer, audience, expiring in an hour from {@code now}. */
  public static Map<String, Object> claims(String subject, String issuer, String audience,
      Instant now) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("sub", subject);
    c.put("iss", issuer);
    c.put("aud", audience);
    c.put("iat", now.getEpochSecond());
    c.put("exp", now.getEpochSecond() + 3600);
    return c;
  }

  /** An HS256 token. */
  public static String hs256(String secret, Map<String, Object> claims) throws Exception {
    return hmac("HS256", "HmacSHA256", secret, claims);
  }

  /** An HMAC token with any algorithm name in the header (for confusion tests). */
  public static String hmac(String alg, String macAlg, String secret, Map<String, Object> claims)
      throws Exception {
    String signing = part(Map.of("alg", alg, "typ", "JWT")) + "." + part(claims);
    Mac mac = Mac.getInstance(macAlg);
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlg));
    return signing + "." + B64.encodeToString(mac.doFinal(
        signing.getBytes(StandardCharsets.US_ASCII)));
  }

  /** An HS256 token signed with a public key's encoding: the algorithm-confusion attack. */
  public static String confused(PublicKey key, Map<String, Object> claims) throws Exception {
    String signing = part(Map.of("alg", "HS256", "typ", "JWT")) + "." + part(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
    return signing + "." + B64.encodeToString(mac.doFinal(
        signing.getBytes(StandardCharsets.US_ASCII)));
  }

  /** An RS256 or ES256 token. */
  public static String signed(String alg, PrivateKey key, Map<String, Object> claims)
      throws GeneralSecurityException {
    String signing = part(Map.of("alg", alg, "typ", "JWT")) + "." + part(claims);
    Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA"
        : "SHA256withECDSAinP1363Format");
    s.initSign(key);
    s.update(signing.getBytes(StandardCharsets.US_ASCII));
    return signing + "." + B64.encodeToString(s.sign());
  }

  /** An unsigned token ({@code alg: none}). */
  public static String none(Map<String, Object> claims) {
    return part(Map.of("alg", "none", "typ", "JWT")) + "." + part(claims) + ".";
  }

  /** A public key as PEM. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  private static String part(Map<String, Object> m) {
    try {
      return B64.encodeToString(JSON.writeValueAsBytes(m));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
