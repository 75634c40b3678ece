package dev.junction.server;

import dev.junction.spi.Secret;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's settings, immutable and validated by {@link ServerConfigLoader} (which
 * reports every problem at once). {@link #defaults()} is the demo: loopback only, no
 * authentication, plain HTTP.
 *
 * @param catalog the catalog file; empty for the bundled demo
 * @param host the address to bind
 * @param port the TCP port (0 picks a free one)
 * @param serialization the Avatica wire format
 * @param tls TLS settings; empty for plain HTTP
 * @param insecurePlaintext allow plain HTTP on a non-loopback address
 * @param auth who may connect
 * @param limits per-user bounds and idle expiry
 * @param frames result frame sizes
 * @param shutdownGrace how long SIGTERM waits for running queries
 * @param logFormat text or JSON log lines
 */
public record ServerConfig(Optional<Path> catalog, String host, int port,
    Serialization serialization, Optional<Tls> tls, boolean insecurePlaintext, Auth auth,
    Limits limits, Frames frames, Duration shutdownGrace, LogFormat logFormat) {

  /** The port Avatica servers conventionally use. */
  public static final int DEFAULT_PORT = 8765;

  /** Avatica's wire formats. */
  public enum Serialization { PROTOBUF, JSON }

  /** How log lines are written. */
  public enum LogFormat { TEXT, JSON }

  public ServerConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(serialization, "serialization");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(logFormat, "logFormat");
  }

  /** The demo settings: loopback, port 8765, protobuf, no authentication. */
  public static ServerConfig defaults() {
    return new ServerConfig(Optional.empty(), "127.0.0.1", DEFAULT_PORT,
        Serialization.PROTOBUF, Optional.empty(), false, Auth.none(), Limits.defaults(false),
        Frames.defaults(), Duration.ofSeconds(30), LogFormat.TEXT);
  }

  /** A copy listening on another port. */
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(catalog, host, newPort, serialization, tls, insecurePlaintext,
        auth, limits, frames, shutdownGrace, logFormat);
  }

  /** A copy bound to another address. */
  public ServerConfig withHost(String newHost) {
    return new ServerConfig(catalog, newHost, port, serialization, tls, insecurePlaintext,
        auth, limits, frames, shutdownGrace, logFormat);
  }

  /** A copy over another catalog file. */
  public ServerConfig withCatalog(Path file) {
    return new ServerConfig(Optional.of(file), host, port, serialization, tls,
        insecurePlaintext, auth, limits, frames, shutdownGrace, logFormat);
  }

  /** A copy with another log format. */
  public ServerConfig withLogFormat(LogFormat format) {
    return new ServerConfig(catalog, host, port, serialization, tls, insecurePlaintext, auth,
        limits, frames, shutdownGrace, format);
  }

  /** A copy with another wire format. */
  public ServerConfig withSerialization(Serialization s) {
    return new ServerConfig(catalog, host, port, s, tls, insecurePlaintext, auth, limits,
        frames, shutdownGrace, logFormat);
  }

  /** A copy that allows (or not) plain HTTP on a non-loopback address. */
  public ServerConfig withInsecurePlaintext(boolean insecure) {
    return new ServerConfig(catalog, host, port, serialization, tls, insecure, auth, limits,
        frames, shutdownGrace, logFormat);
  }

  /** Whether {@link #host()} is a loopback address (resolving the name). */
  public boolean loopback() {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * TLS material: a key store (PKCS12 or JKS) or a PEM certificate chain and PKCS#8
   * private key.
   */
  public record Tls(Optional<Path> keystore, String keystoreType, Optional<Secret> password,
      Optional<Path> certificate, Optional<Path> privateKey) {
    public Tls {
      Objects.requireNonNull(keystore);
      Objects.requireNonNull(keystoreType);
      Objects.requireNonNull(password);
      Objects.requireNonNull(certificate);
      Objects.requireNonNull(privateKey);
    }

    /** A PKCS12 key store. */
    public static Tls pkcs12(Path keystore, String password) {
      return new Tls(Optional.of(keystore), "PKCS12", Optional.of(Secret.of(password)),
          Optional.empty(), Optional.empty());
    }
  }

  /**
   * Authentication and authorization.
   *
   * @param usersFile a users file ({@code name:hash} lines), if any
   * @param users users given inline, name to hash
   * @param jwt bearer-token settings, if tokens are accepted
   * @param allow principals allowed to connect (globs; others get 403)
   * @param anonymousUser the principal of every connection when no authentication is set
   * @param maxFailedLogins failed logins per client address before it is throttled
   * @param failedLoginWindow how long failed logins are counted, and the throttle lasts
   * @param credentialCacheTtl how long a verified password is remembered (as an HMAC)
   */
  public record Auth(Optional<Path> usersFile, Map<String, String> users, Optional<Jwt> jwt,
      List<String> allow, String anonymousUser, int maxFailedLogins,
      Duration failedLoginWindow, Duration credentialCacheTtl) {
    public Auth {
      Objects.requireNonNull(usersFile);
      users = Map.copyOf(users);
      Objects.requireNonNull(jwt);
      allow = List.copyOf(allow);
      Objects.requireNonNull(anonymousUser);
      Objects.requireNonNull(failedLoginWindow);
      Objects.requireNonNull(credentialCacheTtl);
    }

    /** No authentication: every connection runs as {@code anonymous}. */
    public static Auth none() {
      return new Auth(Optional.empty(), Map.of(), Optional.empty(), List.of("*"), "anonymous",
          10, Duration.ofMinutes(1), Duration.ofMinutes(5));
    }

    /** Whether any credential is checked; if not, the server only listens on loopback. */
    public boolean enabled() {
      return usersFile.isPresent() || !users.isEmpty() || jwt.isPresent();
    }
  }

  /**
   * JWT bearer tokens: exactly one of a shared secret (HS256/384/512) or a public key
   * (RS256 or ES256, PEM).
   *
   * @param principalClaim the claim naming the principal ({@code sub} by default)
   * @param clockSkew tolerance on {@code exp} and {@code nbf}
   * @param groupsClaim the claim holding the caller's groups (a string or a list of
   *     strings), if groups are taken from tokens
   * @param attributeClaims attribute name to the claim holding its value, in file order
   */
  public record Jwt(Optional<Secret> secret, Optional<Path> publicKey, String issuer,
      String audience, String principalClaim, Duration clockSkew,
      Optional<String> groupsClaim, Map<String, String> attributeClaims) {
    public Jwt {
      Objects.requireNonNull(secret);
      Objects.requireNonNull(publicKey);
      Objects.requireNonNull(issuer);
      Objects.requireNonNull(audience);
      Objects.requireNonNull(principalClaim);
      Objects.requireNonNull(clockSkew);
      Objects.requireNonNull(groupsClaim);
      attributeClaims = Collections.unmodifiableMap(new LinkedHashMap<>(attributeClaims));
    }

    /** Tokens that give the principal only: no groups, no attributes. */
    public Jwt(Optional<Secret> secret, Optional<Path> publicKey, String issuer,
        String audience, String principalClaim, Duration clockSkew) {
      this(secret, publicKey, issuer, audience, principalClaim, clockSkew, Optional.empty(),
          Map.of());
    }
  }

  /**
   * Per-principal bounds.
   *
   * @param maxConnectionsPerUser open Avatica connections per principal
   * @param maxStatementsPerUser open statements per principal, over all its connections
   * @param idleTimeout a connection unused this long is closed
   */
  public record Limits(int maxConnectionsPerUser, int maxStatementsPerUser,
      Duration idleTimeout) {
    /** 16 connections, 256 statements, 30 minutes: per authenticated user. */
    public static Limits defaults() {
      return new Limits(16, 256, Duration.ofMinutes(30));
    }

    /**
     * 256 connections, 4096 statements, 30 minutes: without authentication every client is
     * the one anonymous user, and the server listens on loopback only, so the per-user
     * limit bounds the whole machine's clients rather than one person's.
     */
    public static Limits anonymousDefaults() {
      return new Limits(256, 4096, Duration.ofMinutes(30));
    }

    /** The defaults for a server with or without authentication. */
    public static Limits defaults(boolean authenticated) {
      return authenticated ? defaults() : anonymousDefaults();
    }
  }

  /**
   * Result frames.
   *
   * @param rows rows per frame when the client left the fetch size at Avatica's default
   *     (100), and in every first frame
   * @param maxRows the most rows per frame, whatever the client asks
   */
  public record Frames(int rows, int maxRows) {
    /** 10,000 rows per frame, at most 100,000. */
    public static Frames defaults() {
      return new Frames(10_000, 100_000);
    }
  }
}
