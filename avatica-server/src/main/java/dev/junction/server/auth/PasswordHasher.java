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
 *
 * <p>Passwords may not hold control characters: HMAC pads its key with zero bytes, so a
 * password and the same password followed by NULs give the same hash, and a NUL, newline
 * or escape in a password is more likely a client's mistake or an attack than a choice.
 * {@link #checkPassword} refuses them before hashing.
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

  /**
   * Hashes a password with a fresh salt and the given number of iterations.
   *
   * @throws IllegalArgumentException if the password holds a control character
   */
  public static String hash(char[] password, int iterations) {
    checkPassword(password);
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

  /**
   * Refuses a password holding a control character (U+0000-U+001F, U+007F-U+009F),
   * naming the first one's code point and never echoing the password.
   *
   * @throws IllegalArgumentException if there is one
   */
  public static void checkPassword(char[] password) {
    int bad = firstControlCharacter(password);
    if (bad >= 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the password contains"
          + " a control character (U+%04X); allowed: printable characters only, no NUL,"
          + " tab, newline or carriage return", (int) password[bad]));
    }
  }

  /** The index of the first control character in a password, or -1. */
  static int firstControlCharacter(char[] password) {
    for (int i = 0; i < password.length; i++) {
      if (Character.isISOControl(password[i])) {
        return i;
      }
    }
    return -1;
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
