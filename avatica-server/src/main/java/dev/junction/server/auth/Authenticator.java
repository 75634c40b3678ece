package dev.junction.server.auth;

import dev.junction.server.ServerConfig;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns an HTTP {@code Authorization} header into a principal: {@code Basic} against the
 * users, {@code Bearer} against the JWT verifier, then the {@code allow} list. Only a token
 * gives groups and attributes (see {@link JwtVerifier}); a password login and the
 * anonymous user have none.
 *
 * <p>Checking a PBKDF2 hash costs tens of milliseconds by design, and Avatica clients send
 * BASIC credentials with every request, so a verified name and password are remembered for
 * a while as an HMAC under a random per-process key (never the password itself).
 */
public final class Authenticator {
  private final boolean enabled;
  private final String anonymousUser;
  private final UserStore users;
  private final JwtVerifier jwt;
  private final LoginThrottle throttle;
  private final List<Pattern> allow;
  private final Cache<String, String> verified;
  private final byte[] cacheKey = new byte[32];

  private Authenticator(ServerConfig.Auth config, UserStore users, JwtVerifier jwt,
      Ticker ticker) {
    this.enabled = config.enabled();
    this.anonymousUser = config.anonymousUser();
    this.users = users;
    this.jwt = jwt;
    this.throttle = new LoginThrottle(config.maxFailedLogins(), config.failedLoginWindow(),
        ticker);
    List<Pattern> patterns = new ArrayList<>();
    for (String glob : config.allow()) {
      patterns.add(glob(glob));
    }
    this.allow = List.copyOf(patterns);
    this.verified = Caffeine.newBuilder().expireAfterWrite(config.credentialCacheTtl())
        .maximumSize(10_000).ticker(ticker).build();
    new SecureRandom().nextBytes(cacheKey);
  }

  /** Creates an authenticator, reading the users file and JWT key. */
  public static Authenticator create(ServerConfig.Auth config, Clock clock, Ticker ticker)
      throws IOException {
    UserStore users = config.usersFile().isPresent() || !config.users().isEmpty()
        ? UserStore.load(config.usersFile().orElse(null), config.users()) : null;
    JwtVerifier jwt = config.jwt().isPresent() ? JwtVerifier.create(config.jwt().get(), clock)
        : null;
    return new Authenticator(config, users, jwt, ticker);
  }

  /** Whether credentials are checked at all. */
  public boolean enabled() {
    return enabled;
  }

  /** Whether BASIC credentials are accepted (there are users). */
  public boolean basic() {
    return users != null;
  }

  /** Whether bearer tokens are accepted. */
  public boolean bearer() {
    return jwt != null;
  }

  /** Authenticates one request from {@code address}. */
  public AuthResult authenticate(String authorization, String address) {
    if (!enabled) {
      return allowed(new AuthResult.Ok(anonymousUser));
    }
    if (throttle.blocked(address)) {
      return new AuthResult.Throttled();
    }
    if (authorization == null || authorization.isBlank()) {
      return new AuthResult.Missing();
    }
    AuthResult r = check(authorization.strip());
    if (r instanceof AuthResult.Failed) {
      throttle.failed(address);
      return r;
    }
    return r instanceof AuthResult.Ok ok ? allowed(ok) : r;
  }

  private AuthResult check(String authorization) {
    int space = authorization.indexOf(' ');
    String scheme = (space < 0 ? authorization : authorization.substring(0, space))
        .toLowerCase(Locale.ROOT);
    String value = space < 0 ? "" : authorization.substring(space + 1).strip();
    if (scheme.equals("basic")) {
      return basic(value);
    }
    if (scheme.equals("bearer")) {
      if (jwt == null) {
        return new AuthResult.Failed(null, "bearer", "bearer tokens are not enabled");
      }
      try {
        return jwt.verify(value);
      } catch (InvalidTokenException e) {
        return new AuthResult.Failed(null, "bearer", e.getMessage());
      }
    }
    return new AuthResult.Failed(null, scheme, "unsupported scheme; allowed: Basic, Bearer");
  }

  private AuthResult basic(String value) {
    char[] decoded;
    try {
      decoded = utf8(Base64.getDecoder().decode(value));
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return new AuthResult.Failed(null, "basic", "malformed credentials");
    }
    try {
      int colon = indexOf(decoded, ':');
      if (colon < 0) {
        return new AuthResult.Failed(null, "basic", "malformed credentials");
      }
      String user = new String(decoded, 0, colon);
      if (users == null) {
        return new AuthResult.Failed(user, "basic", "password logins are not enabled");
      }
      char[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
      try {
        if (PasswordHasher.firstControlCharacter(password) >= 0) {
          // PBKDF2 would take "pw\0" for "pw"; no stored password has one (hash refuses them).
          return new AuthResult.Failed(user, "basic", "control character in password");
        }
        String key = cacheKey(decoded);
        String principal = verified.getIfPresent(key);
        if (principal != null) {
          return new AuthResult.Ok(principal);
        }
        Optional<String> ok = users.verify(user, password);
        if (ok.isEmpty()) {
          return new AuthResult.Failed(user, "basic", "unknown user or wrong password");
        }
        verified.put(key, ok.get());
        return new AuthResult.Ok(ok.get());
      } finally {
        Arrays.fill(password, '\0');
      }
    } finally {
      Arrays.fill(decoded, '\0');
    }
  }

  private AuthResult allowed(AuthResult.Ok ok) {
    for (Pattern p : allow) {
      if (p.matcher(ok.principal()).matches()) {
        return ok;
      }
    }
    return new AuthResult.Forbidden(ok.principal());
  }

  private String cacheKey(char[] credentials) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(credentials));
      mac.update(bytes);
      if (bytes.hasArray()) {
        Arrays.fill(bytes.array(), (byte) 0);
      }
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static char[] utf8(byte[] bytes) throws CharacterCodingException {
    CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
    char[] out = new char[cb.remaining()];
    cb.get(out);
    Arrays.fill(bytes, (byte) 0);
    return out;
  }

  private static int indexOf(char[] chars, char c) {
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** A glob ({@code *}, {@code ?}) as a case-sensitive regular expression. */
  static Pattern glob(String glob) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> b.append(".*");
        case '?' -> b.append('.');
        default -> b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(b.toString());
  }
}
