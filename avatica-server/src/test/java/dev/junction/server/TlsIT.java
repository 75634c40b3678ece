package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * TLS end to end with a self-signed certificate made by the JDK's keytool at test time:
 * from a PKCS12 key store and from PEM files, the Avatica client trusting it through
 * {@code truststore}; and the refusal to listen on a non-loopback address without TLS.
 */
class TlsIT {
  private static final String STORE_PASSWORD = "keystore-pass-123";
  @TempDir static Path dir;
  private static Path keystore;
  private static Path truststore;
  private static Path certPem;
  private static Path keyPem;

  @BeforeAll static void certificates() throws Exception {
    keystore = dir.resolve("server.p12");
    truststore = dir.resolve("trust.p12");
    certPem = dir.resolve("server.crt");
    keyPem = dir.resolve("server.key");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
        "-keypass", STORE_PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
        "-storepass", STORE_PASSWORD, "-file", certPem.toString());
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", certPem.toString(),
        "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", "trust-pass");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, STORE_PASSWORD.toCharArray());
    }
    Key key = ks.getKey("server", STORE_PASSWORD.toCharArray());
    Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n",
        StandardCharsets.US_ASCII);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "keytool failed: " + out);
  }

  private static void queryOverTls(TestingJunctionServer s) throws Exception {
    assertTrue(s.server().url().toString().startsWith("https://"));
    String url = s.url("ana", "tls-pass-1") + ";truststore=" + truststore
        + ";truststore_password=trust-pass";
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM crm.main.customers")) {
        assertTrue(rs.next());
        assertEquals(20_000, rs.getLong(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT CURRENT_USER")) {
        assertTrue(rs.next());
        assertEquals("ana", rs.getString(1));
      }
    }
    // A client that does not trust the certificate cannot connect.
    Exception untrusted = assertThrows(Exception.class,
        () -> DriverManager.getConnection(s.url("ana", "tls-pass-1")).close());
    assertTrue(ServerIT.chain(untrusted).toLowerCase(java.util.Locale.ROOT)
        .matches(".*(ssl|certificat|pkix).*"), ServerIT.chain(untrusted));
  }

  @Test void pkcs12KeyStore() throws Exception {
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "tls-pass-1")
        .settings("tls: {keystore: " + keystore + ", keystore-password: " + STORE_PASSWORD + "}")
        .start()) {
      queryOverTls(s);
    }
  }

  @Test void pemCertificateAndKey() throws Exception {
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "tls-pass-1")
        .settings("tls: {certificate: " + certPem + ", private-key: " + keyPem + "}")
        .start()) {
      queryOverTls(s);
    }
  }

  @Test void nonLoopbackNeedsTlsAndAuthentication() throws Exception {
    ServerConfig open = ServerConfig.defaults().withHost("0.0.0.0").withPort(0);
    ServerConfigException noAuth = assertThrows(ServerConfigException.class,
        () -> JunctionServer.builder(open).build().start());
    assertTrue(noAuth.getMessage().contains("no authentication"), noAuth.getMessage());

    Path users = dir.resolve("users-nl.txt");
    Files.writeString(users, "ana:" + dev.junction.server.auth.PasswordHasher.hash(
        "pw-1".toCharArray()) + "\n", StandardCharsets.UTF_8);
    ServerConfig withAuth = ServerConfigLoader.parse("listen: {host: 0.0.0.0, port: 0}\n"
        + "auth: {users-file: " + users + "}\n", dir, System::getenv);
    ServerConfigException noTls = assertThrows(ServerConfigException.class,
        () -> JunctionServer.builder(withAuth).build().start());
    assertTrue(noTls.getMessage().contains("TLS is not configured"), noTls.getMessage());

    List<String> events = new ArrayList<>();
    JunctionServer insecure = JunctionServer.builder(withAuth.withInsecurePlaintext(true))
        .eventSink(events::add).build();
    insecure.start();
    try {
      assertTrue(events.stream().anyMatch(e -> e.startsWith("event=INSECURE_PLAINTEXT")),
          String.join("\n", events));
    } finally {
      insecure.stop();
    }
  }
}
