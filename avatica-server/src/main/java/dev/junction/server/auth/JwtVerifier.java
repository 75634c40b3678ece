package dev.junction.server.auth;

import dev.junction.server.ServerConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies JWT bearer tokens (compact JWS) with the JDK's crypto: HS256/384/512 with a
 * shared secret, or RS256 / ES256 with a PEM public key.
 *
 * <p>The accepted algorithms follow from the configured key, never from the token, so
 * {@code alg: none} and algorithm confusion (an RSA public key used as an HMAC secret)
 * are refused. Checked: signature, {@code exp} (required), {@code nbf}, {@code iss} and
 * {@code aud} (a string or a list), with a small clock skew; the principal is the
 * configured claim ({@code sub} by default).
 */
public final class JwtVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> HMAC = Map.of("HS256", "HmacSHA256",
      "HS384", "HmacSHA384", "HS512", "HmacSHA512");
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private final byte[] secret;
  private final PublicKey publicKey;
  private final Set<String> algorithms;
  private final String issuer;
  private final String audience;
  private final String principalClaim;
  private final Duration skew;
  private final Clock clock;

  private JwtVerifier(byte[] secret, PublicKey publicKey, Set<String> algorithms,
      ServerConfig.Jwt config, Clock clock) {
    this.secret = secret;
    this.publicKey = publicKey;
    this.algorithms = algorithms;
    this.issuer = config.issuer();
    this.audience = config.audience();
    this.principalClaim = config.principalClaim();
    this.skew = config.clockSkew();
    this.clock = clock;
  }

  /** Creates a verifier; reads the public key file if one is configured. */
  public static JwtVerifier create(ServerConfig.Jwt config, Clock clock) throws IOException {
    if (config.secret().isPresent()) {
      return new JwtVerifier(config.secret().get().reveal().getBytes(StandardCharsets.UTF_8),
          null, HMAC.keySet(), config, clock);
    }
    PublicKey key = readPublicKey(config.publicKey().orElseThrow());
    Set<String> algs = key instanceof RSAPublicKey ? Set.of("RS256") : Set.of("ES256");
    return new JwtVerifier(null, key, algs, config, clock);
  }

  /** Reads an X.509 SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}), RSA or EC. */
  static PublicKey readPublicKey(Path file) throws IOException {
    byte[] der = Pem.decode(Files.readString(file, StandardCharsets.US_ASCII), "PUBLIC KEY")
        .get(0);
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        PublicKey k = KeyFactory.getInstance(type).generatePublic(spec);
        if (k instanceof RSAPublicKey || k instanceof ECPublicKey) {
          return k;
        }
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new IOException(file + ": not an RSA or EC public key");
  }

  /**
   * Verifies a token and returns its principal.
   *
   * @throws InvalidTokenException saying what failed
   */
  public String verify(String token) throws InvalidTokenException {
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException("token too long");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("not a compact JWS (header.payload.signature)");
    }
    JsonNode header = json(parts[0], "header");
    String alg = header.path("alg").asText("");
    if (!algorithms.contains(alg)) {
      throw new InvalidTokenException("algorithm '" + alg + "' is not accepted; allowed: "
          + String.join(", ", algorithms.stream().sorted().toList()));
    }
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = base64(parts[2], "signature");
    if (!signatureValid(alg, signed, signature)) {
      throw new InvalidTokenException("bad signature");
    }
    JsonNode claims = json(parts[1], "payload");
    long now = clock.instant().getEpochSecond();
    long skewSeconds = skew.toSeconds();
    JsonNode exp = claims.get("exp");
    if (exp == null || !exp.isNumber()) {
      throw new InvalidTokenException("no exp claim; tokens must expire");
    }
    if (now > exp.asLong() + skewSeconds) {
      throw new InvalidTokenException("expired");
    }
    JsonNode nbf = claims.get("nbf");
    if (nbf != null && (!nbf.isNumber() || now + skewSeconds < nbf.asLong())) {
      throw new InvalidTokenException("not valid yet (nbf)");
    }
    if (!issuer.equals(claims.path("iss").asText(null))) {
      throw new InvalidTokenException("wrong issuer");
    }
    if (!audienceMatches(claims.get("aud"))) {
      throw new InvalidTokenException("wrong audience");
    }
    JsonNode principal = claims.get(principalClaim);
    if (principal == null || !principal.isTextual() || principal.asText().isBlank()) {
      throw new InvalidTokenException("no '" + principalClaim + "' claim naming the caller");
    }
    return principal.asText();
  }

  private boolean audienceMatches(JsonNode aud) {
    if (aud == null) {
      return false;
    }
    if (aud.isTextual()) {
      return audience.equals(aud.asText());
    }
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (a.isTextual() && audience.equals(a.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean signatureValid(String alg, byte[] signed, byte[] signature)
      throws InvalidTokenException {
    try {
      if (secret != null) {
        Mac mac = Mac.getInstance(HMAC.get(alg));
        mac.init(new SecretKeySpec(secret, HMAC.get(alg)));
        return MessageDigest.isEqual(mac.doFinal(signed), signature);
      }
      // ES256 signatures in JWS are raw r||s (IEEE P1363), which the JDK verifies directly.
      Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA"
          : "SHA256withECDSAinP1363Format");
      s.initVerify(publicKey);
      s.update(signed);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      throw new InvalidTokenException("signature cannot be checked: "
          + e.getClass().getSimpleName());
    }
  }

  private static JsonNode json(String part, String what) throws InvalidTokenException {
    try {
      JsonNode node = JSON.readTree(base64(part, what));
      if (node == null || !node.isObject()) {
        throw new InvalidTokenException(what + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidTokenException(what + " is not JSON");
    }
  }

  private static byte[] base64(String part, String what) throws InvalidTokenException {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(what + " is not base64url");
    }
  }
}
