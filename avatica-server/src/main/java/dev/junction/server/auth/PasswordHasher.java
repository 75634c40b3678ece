package dev.junction.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, slow password hashes: PBKDF2-HMAC-SHA256 with a 16-byte random salt per user
 * and at least {@value #MIN_ITERATIONS} iterations (OWASP's 2023 figure), written as
 * {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>}. Comparison is constant
 * time.
 */
public final class PasswordHasher {
  /** The scheme tag at the start of every hash. */
  public static final String SCHEME = "pbkdf2-sha256";
  /** The fewest iterations a hash may use. */
  public static final int MIN_ITERATIONS = 210_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHasher() {
  }

  /** Hashes a password with a fresh salt and {@link #MIN_ITERATIONS} iterations. */
  public static String hash(char[] password) {
    return hash(password, MIN_ITERATIONS);
  }

  /** Hashes a password with a fresh salt and the given number of iterations. */
  public static String hash(char[] password, int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations " + iterations + " is too few; allowed:"
          + " at least " + MIN_ITERATIONS);
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(derive(password, salt, iterations));
  }

  /** A parsed hash; {@link #parse} validates the text. */
  record Hash(int iterations, byte[] salt, byte[] hash) {
    /** Whether {@code password} produces this hash (constant-time comparison). */
    boolean matches(char[] password) {
      return MessageDigest.isEqual(derive(password, salt, iterations), hash);
    }
  }

  /**
   * Parses a stored hash.
   *
   * @throws IllegalArgumentException naming what is wrong (never echoing the hash)
   */
  static Hash parse(String text) {
    String[] parts = text.trim().split("\\$");
    if (parts.length != 4 || !parts[0].toLowerCase(Locale.ROOT).equals(SCHEME)) {
      throw new IllegalArgumentException("not a password hash; expected " + SCHEME
          + "$<iterations>$<salt>$<hash> as printed by 'junction hash-password'");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("iteration count '" + parts[1] + "' is not a number");
    }
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("iteration count " + iterations + " is too low;"
          + " allowed: at least " + MIN_ITERATIONS);
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] hash = Base64.getDecoder().decode(parts[3]);
      if (salt.length < 8 || hash.length != HASH_BITS / 8) {
        throw new IllegalArgumentException("salt or hash has the wrong length");
      }
      return new Hash(iterations, salt, hash);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("salt or hash is not valid base64 of the right"
          + " length");
    }
  }

  static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec)
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** UTF-8 bytes of a password, for HMAC cache keys. */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
