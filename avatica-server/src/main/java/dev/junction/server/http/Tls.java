package dev.junction.server.http;

import dev.junction.server.ServerConfig;
import dev.junction.server.auth.Pem;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/** Builds Jetty's TLS context from a key store or from PEM files; TLS 1.2 and 1.3 only. */
public final class Tls {
  /** In-memory only: protects nothing, but a key store entry needs some password. */
  private static final String PEM_PASSWORD = randomPassword();

  private Tls() {
  }

  /** A server TLS context for the settings. */
  public static SslContextFactory.Server contextFactory(ServerConfig.Tls tls)
      throws IOException, GeneralSecurityException {
    SslContextFactory.Server f = new SslContextFactory.Server();
    f.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    if (tls.keystore().isPresent()) {
      KeyStore ks = KeyStore.getInstance(tls.keystoreType());
      char[] password = tls.password().orElseThrow().reveal().toCharArray();
      try (InputStream in = Files.newInputStream(tls.keystore().get())) {
        ks.load(in, password);
      }
      f.setKeyStore(ks);
      f.setKeyStorePassword(new String(password));
      return f;
    }
    KeyStore ks = pemKeyStore(Files.readString(tls.certificate().orElseThrow(),
        StandardCharsets.US_ASCII), Files.readString(tls.privateKey().orElseThrow(),
        StandardCharsets.US_ASCII));
    f.setKeyStore(ks);
    f.setKeyStorePassword(PEM_PASSWORD);
    return f;
  }

  private static String randomPassword() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** A PKCS12 key store holding a PEM certificate chain and its PKCS#8 private key. */
  static KeyStore pemKeyStore(String certificates, String privateKey)
      throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(
            certificates.getBytes(StandardCharsets.US_ASCII)));
    if (chain.isEmpty()) {
      throw new IOException("no certificate in the PEM certificate file");
    }
    byte[] der = Pem.decode(privateKey, "PRIVATE KEY").get(0);
    PrivateKey key = null;
    for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        key = KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
        break;
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    if (key == null) {
      throw new IOException("the private key is not an unencrypted PKCS#8 RSA or EC key"
          + " (-----BEGIN PRIVATE KEY-----; convert with openssl pkcs8 -topk8 -nocrypt)");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", key, PEM_PASSWORD.toCharArray(),
        chain.toArray(Certificate[]::new));
    return ks;
  }
}
