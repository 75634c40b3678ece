package dev.junction.server.auth;

import dev.junction.server.ServerConfig;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies JWT bearer tokens (compact JWS) with nimbus-jose-jwt: HS256/384/512 with a
 * shared secret (HS384 and HS512 only when the secret is at least 48 or 64 bytes, as
 * RFC 7518 requires), or RS256 / ES256 with a PEM public key.
 *
 * <p>The accepted algorithms follow from the configured key, never from the token, so
 * {@code alg: none} and algorithm confusion (an RSA public key used as an HMAC secret)
 * are refused before the library is asked to check a signature. Checked: signature,
 * {@code exp} (required), {@code nbf}, {@code iss} and {@code aud} (a string or a list),
 * with a small clock skew from the injected clock; the principal is the configured claim
 * ({@code sub} by default). The claim checks are ours rather than nimbus's
 * {@code DefaultJWTClaimsVerifier} so that each refusal keeps its documented reason.
 *
 * <p>Groups and attributes ({@code groups-claim}, {@code attribute-claims}) travel with the
 * principal. A claim that is absent or JSON {@code null} gives nothing. Claims of the
 * wrong type are treated differently, each choice failing closed:
 *
 * <ul>
 * <li>A malformed groups claim refuses the token: not a string or a list of strings, or a
 * group name that the connection's comma-separated {@code groups} property cannot carry
 * unchanged (empty, holding a comma, or with leading or trailing white space). Groups do
 * not only grant: policy rules match first, so an {@code allow: none} rule for a group
 * restricts its members, and dropping that group would let them fall through to a later,
 * wider rule. Only refusing is safe whatever the policy says.</li>
 * <li>An attribute claim that is an object or an array is left out, as if the token did
 * not carry it, and its name (never its value) is reported in
 * {@link AuthResult.Ok#ignoredClaims()} for the server to log. An absent attribute is a
 * state every policy must already handle: {@code ATTRIBUTE('x')} is NULL, so a row filter
 * comparing with it matches no row, and an attribute the policy file gives the user still
 * applies (the file wins over the token anyway). Strings are taken as they are, numbers
 * and booleans as their JSON text.</li>
 * </ul>
 */
public final class JwtVerifier {
  /** HMAC algorithms and the shortest secret each accepts, in bytes (the hash size). */
  private static final Map<JWSAlgorithm, Integer> HMAC =
      Map.of(JWSAlgorithm.HS256, 32, JWSAlgorithm.HS384, 48, JWSAlgorithm.HS512, 64);
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private final JWSVerifier verifier;
  private final Set<JWSAlgorithm> algorithms;
  private final String issuer;
  private final String audience;
  private final String principalClaim;
  private final String groupsClaim;
  private final Map<String, String> attributeClaims;
  private final Duration skew;
  private final Clock clock;

  private JwtVerifier(JWSVerifier verifier, Set<JWSAlgorithm> algorithms,
      ServerConfig.Jwt config, Clock clock) {
    this.verifier = verifier;
    this.algorithms = algorithms;
    this.issuer = config.issuer();
    this.audience = config.audience();
    this.principalClaim = config.principalClaim();
    this.groupsClaim = config.groupsClaim().orElse(null);
    this.attributeClaims = config.attributeClaims();
    this.skew = config.clockSkew();
    this.clock = clock;
  }

  /** Creates a verifier; reads the public key file if one is configured. */
  public static JwtVerifier create(ServerConfig.Jwt config, Clock clock) throws IOException {
    try {
      if (config.secret().isPresent()) {
        byte[] secret = config.secret().get().reveal().getBytes(StandardCharsets.UTF_8);
        // RFC 7518 section 3.2: an HMAC key at least as long as the hash (HS384 48 bytes,
        // HS512 64); a shorter secret accepts only the algorithms it is long enough for.
        Set<JWSAlgorithm> accepted = HMAC.keySet().stream()
            .filter(a -> HMAC.get(a) <= secret.length).collect(Collectors.toUnmodifiableSet());
        return new JwtVerifier(new MACVerifier(secret), accepted, config, clock);
      }
      PublicKey key = readPublicKey(config.publicKey().orElseThrow());
      if (key instanceof RSAPublicKey rsa) {
        return new JwtVerifier(new RSASSAVerifier(rsa), Set.of(JWSAlgorithm.RS256), config,
            clock);
      }
      return new JwtVerifier(new ECDSAVerifier((ECPublicKey) key),
          Set.of(JWSAlgorithm.ES256), config, clock);
    } catch (JOSEException e) {
      throw new IOException("the JWT key cannot be used: " + e.getMessage(), e);
    }
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
   * Verifies a token and returns its principal with the groups and attributes it gives.
   *
   * @throws InvalidTokenException saying what failed
   */
  public AuthResult.Ok verify(String token) throws InvalidTokenException {
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException("token too long");
    }
    if (token.split("\\.", -1).length != 3) {
      throw new InvalidTokenException("not a compact JWS (header.payload.signature)");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException("not a compact JWS: the header is not valid");
    }
    String alg = jwt.getHeader().getAlgorithm() == null ? ""
        : jwt.getHeader().getAlgorithm().getName();
    if (!(jwt instanceof SignedJWT signed) || !algorithms.contains(JWSAlgorithm.parse(alg))) {
      throw new InvalidTokenException("algorithm '" + alg + "' is not accepted; allowed: "
          + String.join(", ", algorithms.stream().map(JWSAlgorithm::getName).sorted()
              .toList()));
    }
    try {
      if (!signed.verify(verifier)) {
        throw new InvalidTokenException("bad signature");
      }
    } catch (JOSEException e) {
      throw new InvalidTokenException("signature cannot be checked: "
          + e.getClass().getSimpleName());
    }
    JWTClaimsSet claims;
    try {
      claims = signed.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("payload is not a JSON object of valid claims");
    }
    long now = clock.instant().getEpochSecond();
    long skewSeconds = skew.toSeconds();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new InvalidTokenException("no exp claim; tokens must expire");
    }
    if (now > exp.toInstant().getEpochSecond() + skewSeconds) {
      throw new InvalidTokenException("expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now + skewSeconds < nbf.toInstant().getEpochSecond()) {
      throw new InvalidTokenException("not valid yet (nbf)");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw new InvalidTokenException("wrong issuer");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(audience)) {
      throw new InvalidTokenException("wrong audience");
    }
    if (!(claims.getClaim(principalClaim) instanceof String principal)
        || principal.isBlank()) {
      throw new InvalidTokenException("no '" + principalClaim + "' claim naming the caller");
    }
    List<String> ignored = new ArrayList<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : attributeClaims.entrySet()) {
      Object raw = claims.getClaim(e.getValue());
      String value = attribute(raw);
      if (value != null) {
        attributes.put(e.getKey(), value);
      } else if (raw != null && !ignored.contains(e.getValue())) {
        ignored.add(e.getValue());
      }
    }
    return new AuthResult.Ok(principal, groups(claims), attributes, ignored);
  }

  /** The groups claim's groups; refuses the token when the claim is malformed. */
  private List<String> groups(JWTClaimsSet claims) throws InvalidTokenException {
    Object value = groupsClaim == null ? null : claims.getClaim(groupsClaim);
    if (value == null) {
      return List.of();
    }
    List<?> list = value instanceof String s ? List.of(s)
        : value instanceof List<?> l ? l : null;
    if (list == null || !list.stream().allMatch(String.class::isInstance)) {
      throw new InvalidTokenException("claim '" + groupsClaim + "' must be a string or a"
          + " list of strings");
    }
    Set<String> groups = new LinkedHashSet<>();
    for (Object o : list) {
      String g = (String) o;
      if (g.isEmpty() || g.indexOf(',') >= 0 || !g.strip().equals(g)) {
        throw new InvalidTokenException("claim '" + groupsClaim + "' holds a group name that"
            + " is empty, holds a comma or starts or ends with white space");
      }
      groups.add(g);
    }
    return List.copyOf(groups);
  }

  /** An attribute claim's value as text; null when absent or an object or array. */
  private static String attribute(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    if (value instanceof Double d) {
      return d.isInfinite() || d.isNaN() ? null : BigDecimal.valueOf(d).toPlainString();
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    return null;
  }
}
