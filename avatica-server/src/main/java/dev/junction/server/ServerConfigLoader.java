package dev.junction.server;

import dev.junction.config.Problems;
import dev.junction.config.Settings;
import dev.junction.config.YamlDocument;
import dev.junction.spi.Secret;

import dev.junction.server.ServerConfig.Auth;
import dev.junction.server.ServerConfig.Frames;
import dev.junction.server.ServerConfig.Jwt;
import dev.junction.server.ServerConfig.Limits;
import dev.junction.server.ServerConfig.LogFormat;
import dev.junction.server.ServerConfig.Serialization;
import dev.junction.server.ServerConfig.Tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the server settings YAML into a {@link ServerConfig} through the shared
 * configuration layer ({@link Settings}): every plain scalar stays the text written until
 * its declared type converts it ({@code issuer: 0123} is "0123", not 83), every key is
 * checked, and every problem is reported at once with its line, naming the key, the bad
 * value and what is allowed. Values of secret keys ({@code keystore-password},
 * {@code jwt.secret}) are never quoted, and may be written as {@code ${env:NAME}} or
 * {@code ${file:/path}}.
 *
 * <pre>
 * catalog: junction.yaml
 * listen: {host: 0.0.0.0, port: 8765}
 * serialization: protobuf            # or json
 * tls: {keystore: server.p12, keystore-password: "${env:KS_PASSWORD}"}
 * insecure-plaintext: false
 * auth:
 *   users-file: users.txt
 *   jwt:
 *     secret: "${env:JWT_SECRET}"
 *     issuer: https://idp
 *     audience: junction
 *     groups-claim: groups           # a string or a list of strings; default: none
 *     attribute-claims: {region: region, tenant_id: "https://example.com/tenant"}
 *   allow: ["*"]
 *   failed-logins: {max: 10, window: 1m}
 * limits: {max-connections-per-user: 16, max-statements-per-user: 256, idle-timeout: 30m}
 * frames: {rows: 10000, max-rows: 100000}
 * shutdown-grace: 30s
 * log-format: text                   # or json
 * </pre>
 */
public final class ServerConfigLoader {
  private final Path baseDir;
  private final Function<String, String> env;

  private ServerConfigLoader(Path baseDir, Function<String, String> env) {
    this.baseDir = baseDir;
    this.env = env;
  }

  /** Reads a settings file; relative paths resolve against its directory. */
  public static ServerConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ServerConfigException(file.toString(),
          List.of("cannot read the file: " + e.getClass().getSimpleName()));
    }
    Path dir = file.toAbsolutePath().getParent();
    return new ServerConfigLoader(dir, System::getenv).parse(text, file.toString(), file);
  }

  /** Parses settings text; for tests and for files already read. */
  public static ServerConfig parse(String yaml, Path baseDir, Function<String, String> env) {
    return new ServerConfigLoader(baseDir, env).parse(yaml, "(text)", null);
  }

  private ServerConfig parse(String yaml, String where, Path file) {
    Problems problems = new Problems(file == null ? null : file.toString());
    YamlDocument doc = YamlDocument.parse(yaml, problems);
    Settings top = doc == null ? null
        : Settings.root(new Settings.Context(doc, problems, baseDir, env), "(top level)");
    if (top == null) {
      throw new ServerConfigException(problems.list(), where);
    }
    ServerConfig d = ServerConfig.defaults();
    top.known("catalog", "listen", "serialization", "tls", "insecure-plaintext", "auth",
        "limits", "frames", "shutdown-grace", "log-format");

    Optional<Path> catalog = Optional.ofNullable(top.file("catalog"));
    String host = d.host();
    int port = d.port();
    Settings listen = top.section("listen");
    if (listen != null) {
      listen.known("host", "port");
      String h = listen.string("host", false);
      host = h == null ? host : h;
      Integer p = listen.integer("port", 0, 65535);
      port = p == null ? port : p;
    }
    Serialization serialization = top.enumValue("serialization", Serialization.class,
        d.serialization());
    Optional<Tls> tls = Optional.ofNullable(tls(top.section("tls")));
    boolean insecure = top.bool("insecure-plaintext", false);
    Auth auth = auth(top.section("auth"));
    Limits limits = limits(top.section("limits"), auth.enabled());
    Frames frames = frames(top.section("frames"));
    Duration grace = top.duration("shutdown-grace", d.shutdownGrace());
    LogFormat logFormat = top.enumValue("log-format", LogFormat.class, d.logFormat());
    if (!problems.isEmpty()) {
      throw new ServerConfigException(problems.list(), where);
    }
    return new ServerConfig(catalog, host, port, serialization, tls, insecure, auth, limits,
        frames, grace, logFormat);
  }

  private static Tls tls(Settings m) {
    if (m == null) {
      return null;
    }
    m.known("keystore", "keystore-type", "keystore-password", "certificate", "private-key");
    Path keystore = m.file("keystore");
    Path cert = m.file("certificate");
    Path key = m.file("private-key");
    String type = m.string("keystore-type", false);
    String password = m.secret("keystore-password");
    if (type != null && !List.of("PKCS12", "JKS").contains(type.toUpperCase(Locale.ROOT))) {
      m.problem("keystore-type", "'" + type + "' is not a key store type; allowed: PKCS12,"
          + " JKS");
    }
    if (!m.has("keystore") && !m.has("certificate")) {
      m.problem(null, "give either keystore (with keystore-password) or certificate and"
          + " private-key (PEM)");
    } else if (m.has("keystore") && (m.has("certificate") || m.has("private-key"))) {
      m.problem(null, "give either keystore or certificate/private-key, not both");
    } else if (m.has("keystore") && !m.has("keystore-password")) {
      m.problem("keystore-password", "missing; a key store needs its password");
    } else if (m.has("certificate") && !m.has("private-key")) {
      m.problem("private-key", "missing; a PEM certificate needs its private key");
    }
    return new Tls(Optional.ofNullable(keystore),
        type == null ? "PKCS12" : type.toUpperCase(Locale.ROOT),
        Optional.ofNullable(password).map(Secret::of), Optional.ofNullable(cert),
        Optional.ofNullable(key));
  }

  private static Auth auth(Settings m) {
    Auth d = Auth.none();
    if (m == null) {
      return d;
    }
    m.known("users-file", "users", "jwt", "allow", "anonymous-user", "failed-logins",
        "credential-cache");
    Path usersFile = m.file("users-file");
    Map<String, String> users = m.stringMap("users",
        "a password hash string (from junction hash-password)");
    Jwt jwt = jwt(m.section("jwt"));
    List<String> allow = m.strings("allow", d.allow());
    String anonymous = m.string("anonymous-user", false);
    int maxFailed = d.maxFailedLogins();
    Duration window = d.failedLoginWindow();
    Settings failed = m.section("failed-logins");
    if (failed != null) {
      failed.known("max", "window");
      Integer max = failed.integer("max", 1, 1_000_000);
      maxFailed = max == null ? maxFailed : max;
      window = failed.duration("window", window);
    }
    Duration cacheTtl = m.duration("credential-cache", d.credentialCacheTtl());
    return new Auth(Optional.ofNullable(usersFile), users == null ? Map.of() : users,
        Optional.ofNullable(jwt), allow, anonymous == null ? d.anonymousUser() : anonymous,
        maxFailed, window, cacheTtl);
  }

  private static Jwt jwt(Settings m) {
    if (m == null) {
      return null;
    }
    m.known("secret", "public-key", "issuer", "audience", "principal-claim", "clock-skew",
        "groups-claim", "attribute-claims");
    String secret = m.secret("secret");
    Path publicKey = m.file("public-key");
    String issuer = m.string("issuer", true);
    String audience = m.string("audience", true);
    String claim = m.string("principal-claim", false);
    Duration skew = m.duration("clock-skew", Duration.ofSeconds(30));
    String groupsClaim = m.string("groups-claim", false);
    Map<String, String> attributeClaims = attributeClaims(m.section("attribute-claims"));
    if (m.has("secret") == m.has("public-key")) {
      m.problem(null, "give exactly one of secret (HS256) or public-key (RS256/ES256 PEM)");
    }
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      m.problem("secret", "too short (" + secret.length() + " characters); HS256 needs at"
          + " least 32 bytes");
    }
    return new Jwt(Optional.ofNullable(secret).map(Secret::of),
        Optional.ofNullable(publicKey), issuer == null ? "" : issuer,
        audience == null ? "" : audience, claim == null ? "sub" : claim, skew,
        Optional.ofNullable(groupsClaim), attributeClaims);
  }

  /** {@code attribute-claims}: attribute name to claim name, e.g. {@code {region: region}}. */
  private static Map<String, String> attributeClaims(Settings m) {
    if (m == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String attribute : m.keys()) {
      if (attribute.isBlank()) {
        m.problem(attribute, "an attribute name must not be empty; write attribute name:"
            + " claim name, e.g. region: region");
        continue;
      }
      if (!m.has(attribute)) {
        m.problem(attribute, "missing claim name; write attribute name: claim name, e.g. "
            + attribute + ": " + attribute);
        continue;
      }
      String claim = m.string(attribute, true);
      if (claim != null) {
        out.put(attribute, claim);
      }
    }
    return out;
  }

  private static Limits limits(Settings m, boolean authenticated) {
    Limits d = Limits.defaults(authenticated);
    if (m == null) {
      return d;
    }
    m.known("max-connections-per-user", "max-statements-per-user", "idle-timeout");
    Integer c = m.integer("max-connections-per-user", 1, 100_000);
    Integer s = m.integer("max-statements-per-user", 1, 1_000_000);
    Duration idle = m.duration("idle-timeout", d.idleTimeout());
    if (idle.isZero()) {
      m.problem("idle-timeout", "'0' is not allowed; a connection must expire eventually ("
          + dev.junction.config.Durations.ALLOWED + ", more than 0)");
    }
    return new Limits(c == null ? d.maxConnectionsPerUser() : c,
        s == null ? d.maxStatementsPerUser() : s, idle);
  }

  private static Frames frames(Settings m) {
    Frames d = Frames.defaults();
    if (m == null) {
      return d;
    }
    m.known("rows", "max-rows");
    Integer rows = m.integer("rows", 1, 10_000_000);
    Integer max = m.integer("max-rows", 1, 10_000_000);
    Frames f = new Frames(rows == null ? d.rows() : rows, max == null ? d.maxRows() : max);
    if (f.rows() > f.maxRows()) {
      m.problem("rows", f.rows() + " is more than frames.max-rows (" + f.maxRows()
          + "); allowed: at most max-rows");
    }
    return f;
  }
}
