package dev.junction.driver;

import dev.junction.testing.CatalogFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Snowflake adapter with the real snowflake-jdbc, offline: a source whose URL points
 * at a local port nothing listens on. The driver class loads, takes the adapter's
 * properties (application, timeouts, database, and for key-pair login the key file, which
 * it reads before it connects), tries to reach the host, and the query fails as an
 * unreachable source ({@code 08001}) naming the source, never the password. Nothing here
 * talks to Snowflake.
 */
class SnowflakeUnreachableIT {
  private static final String PASSWORD = "sn0wflake-secret-never-shown";

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static SQLException failure(Path dir, Map<String, Object> login) throws Exception {
    Map<String, Object> settings = new HashMap<>(login);
    settings.put("type", "snowflake");
    settings.put("url", "jdbc:snowflake://127.0.0.1:" + closedPort() + "/?ssl=off");
    settings.put("user", "JUNCTION");
    settings.put("database", "ANALYTICS");
    settings.put("connect-timeout", "2s");
    settings.put("network-timeout", "2s");
    try (Connection c = CatalogFile.connect(new CatalogFile().source("sf", settings)
        .write(dir)); Statement st = c.createStatement()) {
      return assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT * FROM sf.PUBLIC.ORDERS").close());
    }
  }

  private static void assertUnreachable(SQLException e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    assertTrue(e.getSQLState() != null && e.getSQLState().startsWith("08"), all.toString());
    assertTrue(e.getMessage().contains("'sf'"), e.getMessage());
    assertFalse(all.toString().contains(PASSWORD), all.toString());
  }

  @Test
  void passwordLoginToNowhereFailsAsUnreachable(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pw"), PASSWORD);
    assertUnreachable(failure(dir, Map.of("password", "${file:pw}")));
  }

  @Test
  void keyPairLoginReadsTheKeyThenFailsAsUnreachable(@TempDir Path dir) throws Exception {
    Path key = pem(dir.resolve("key.p8"), "PRIVATE KEY", rsaKey());
    assertUnreachable(failure(dir, Map.of("private-key-file", key.toString())));
  }

  /**
   * An encrypted key (PKCS#8, PBES2 with AES-256) is decrypted with the passphrase before
   * the driver connects; with a wrong passphrase the login fails there, as a login refused
   * ({@code 08004}), and neither message shows the passphrase.
   */
  @Test
  void anEncryptedKeyIsOpenedWithItsPassphrase(@TempDir Path dir) throws Exception {
    String algorithm = "PBEWithHmacSHA256AndAES_256";
    byte[] salt = new byte[16];
    byte[] iv = new byte[16];
    new SecureRandom().nextBytes(salt);
    new SecureRandom().nextBytes(iv);
    Cipher cipher = Cipher.getInstance(algorithm);
    cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(algorithm)
        .generateSecret(new PBEKeySpec(PASSWORD.toCharArray())),
        new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
    // EncryptedPrivateKeyInfo ::= SEQUENCE { SEQUENCE { id-PBES2, PBES2-params }, OCTET
    // STRING }, written by hand: Java 17's EncryptedPrivateKeyInfo cannot name PBES2.
    byte[] pbes2 = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
        0x05, 0x0d};
    byte[] algorithmId = der(0x30, concat(pbes2, cipher.getParameters().getEncoded()));
    byte[] encrypted = der(0x30, concat(algorithmId, der(0x04, cipher.doFinal(rsaKey()))));
    Path key = pem(dir.resolve("encrypted.p8"), "ENCRYPTED PRIVATE KEY", encrypted);
    Files.writeString(dir.resolve("pass"), PASSWORD);
    assertUnreachable(failure(dir, Map.of("private-key-file", key.toString(),
        "private-key-passphrase", "${file:pass}")));
    Files.writeString(dir.resolve("wrong"), "not-" + PASSWORD);
    SQLException wrong = failure(dir, Map.of("private-key-file", key.toString(),
        "private-key-passphrase", "${file:wrong}"));
    StringBuilder all = new StringBuilder();
    for (Throwable t = wrong; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    assertTrue(wrong.getMessage().contains("'sf'"), all.toString());
    assertEquals("08004", wrong.getSQLState(), all.toString());
    assertFalse(all.toString().contains(PASSWORD), all.toString());
    assertFalse(all.toString().contains("connection refused"), all.toString());
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] length = n < 128 ? new byte[] {(byte) n}
        : n < 256 ? new byte[] {(byte) 0x81, (byte) n}
        : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    return concat(concat(new byte[] {(byte) tag}, length), content);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static byte[] rsaKey() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    return rsa.generateKeyPair().getPrivate().getEncoded();
  }

  private static Path pem(Path file, String armour, byte[] der) throws Exception {
    Files.writeString(file, "-----BEGIN " + armour + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der)
        + "\n-----END " + armour + "-----\n", StandardCharsets.US_ASCII);
    return file;
  }
}
