package dev.junction.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** PBKDF2 hashes: format, salting, cost floor, and the users file. */
class PasswordHasherTest {
  @TempDir Path dir;

  @Test void hashesAreSaltedAndVerify() {
    String a = PasswordHasher.hash("correct horse".toCharArray());
    String b = PasswordHasher.hash("correct horse".toCharArray());
    assertNotEquals(a, b, "a fresh salt per hash");
    assertTrue(a.startsWith("pbkdf2-sha256$210000$"), a);
    PasswordHasher.Hash h = PasswordHasher.parse(a);
    assertTrue(h.matches("correct horse".toCharArray()));
    assertFalse(h.matches("correct horse ".toCharArray()));
    assertFalse(h.matches(new char[0]));
  }

  @Test void weakOrMalformedHashesAreRejected() {
    IllegalArgumentException cheap = assertThrows(IllegalArgumentException.class,
        () -> PasswordHasher.parse("pbkdf2-sha256$1000$c2FsdHNhbHQ$"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    assertTrue(cheap.getMessage().contains("at least 210000"), cheap.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PasswordHasher.parse("plaintext"));
    assertThrows(IllegalArgumentException.class,
        () -> PasswordHasher.hash("x".toCharArray(), 1000));
  }

  @Test void usersFileAndUnknownUsers() throws Exception {
    Path file = dir.resolve("users.txt");
    Files.writeString(file, "# comment\n\nana:" + PasswordHasher.hash("pw-a".toCharArray())
        + "\n", StandardCharsets.UTF_8);
    UserStore store = UserStore.load(file, Map.of("bo",
        PasswordHasher.hash("pw-b".toCharArray())));
    assertEquals(2, store.size());
    assertEquals(Optional.of("ana"), store.verify("ana", "pw-a".toCharArray()));
    assertEquals(Optional.of("bo"), store.verify("bo", "pw-b".toCharArray()));
    assertEquals(Optional.empty(), store.verify("ana", "pw-b".toCharArray()));
    assertEquals(Optional.empty(), store.verify("nobody", "pw-a".toCharArray()));
  }

  @Test void controlCharactersInPasswordsAreRefused() {
    for (String pw : new String[] {"pw\0", "pw\0\0\0", "\0", "p\tw", "pw\n", "pw\r",
        "pw\u001b[0m", "pw\u007f", "pw\u0085"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PasswordHasher.hash(pw.toCharArray()), pw);
      assertTrue(e.getMessage().contains("control character (U+"), e.getMessage());
      assertFalse(e.getMessage().contains("pw"), "never echo the password");
    }
    assertTrue(PasswordHasher.parse(PasswordHasher.hash("ünïcode pass wörd ✓".toCharArray()))
        .matches("ünïcode pass wörd ✓".toCharArray()), "printable non-ASCII is fine");
  }

  @Test void aStoredPasswordWithoutNulsDoesNotAcceptOneWithTrailingNuls() throws Exception {
    // PBKDF2's HMAC pads its key with zeros, so the hash alone cannot tell them apart:
    // the store itself must refuse the NULs (the Authenticator does, before verifying).
    PasswordHasher.Hash h = PasswordHasher.parse(PasswordHasher.hash("pw-a".toCharArray()));
    assertTrue(h.matches("pw-a\0".toCharArray()), "the HMAC weakness this guards against");
    UserStore store = UserStore.load(null, Map.of("ana", PasswordHasher.hash(
        "pw-a".toCharArray())));
    assertEquals(Optional.of("ana"), store.verify("ana", "pw-a".toCharArray()));
  }

  @Test void usersFileLinesWithControlCharactersAreRefused() throws Exception {
    Path file = dir.resolve("ctl.txt");
    Files.writeString(file, "ana:" + PasswordHasher.hash("pw-a".toCharArray()) + "\0\n"
        + "b\u0007o:" + PasswordHasher.hash("pw-b".toCharArray()) + "\n",
        StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UserStore.load(file, Map.of()));
    assertTrue(e.getMessage().contains("line 1: contains a control character (U+0000)")
        && e.getMessage().contains("line 2: contains a control character (U+0007)"),
        e.getMessage());
  }

  @Test void badUsersFileNamesEveryLine() throws Exception {
    Path file = dir.resolve("bad.txt");
    Files.writeString(file, "no-colon-here\nana:plaintext-password\nbad name:x\n",
        StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UserStore.load(file, Map.of()));
    assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("line 2")
        && e.getMessage().contains("line 3"), e.getMessage());
    assertFalse(e.getMessage().contains("plaintext-password"), "never echo a hash field");
  }
}
