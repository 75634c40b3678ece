package dev.junction.server;

import dev.junction.planner.config.References;
import dev.junction.spi.Secret;

import dev.junction.server.ServerConfig.Auth;
import dev.junction.server.ServerConfig.Frames;
import dev.junction.server.ServerConfig.Jwt;
import dev.junction.server.ServerConfig.Limits;
import dev.junction.server.ServerConfig.LogFormat;
import dev.junction.server.ServerConfig.Serialization;
import dev.junction.server.ServerConfig.Tls;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server settings YAML into a {@link ServerConfig}. Every key is checked; every
 * problem is reported at once, naming the key, the bad value and what is allowed. Values
 * of secret keys ({@code keystore-password}, {@code jwt.secret}) are never quoted, and may
 * be written as {@code ${env:NAME}} or {@code ${file:/path}}.
 *
 * <pre>
 * catalog: junction.yaml
 * listen: {host: 0.0.0.0, port: 8765}
 * serialization: protobuf            # or json
 * tls: {keystore: server.p12, keystore-password: "${env:KS_PASSWORD}"}
 * insecure-plaintext: false
 * auth:
 *   users-file: users.txt
 *   jwt: {secret: "${env:JWT_SECRET}", issuer: https://idp, audience: junction}
 *   allow: ["*"]
 *   failed-logins: {max: 10, window: 1m}
 * limits: {max-connections-per-user: 16, max-statements-per-user: 256, idle-timeout: 30m}
 * frames: {rows: 10000, max-rows: 100000}
 * shutdown-grace: 30s
 * log-format: text                   # or json
 * </pre>
 */
public final class ServerConfigLoader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  private static final String DURATION_ALLOWED =
      "a duration such as 500ms, 30s, 5m, 1h or a whole number of seconds";

  private final Path baseDir;
  private final References references;
  private final List<String> problems = new ArrayList<>();

  private ServerConfigLoader(Path baseDir, Function<String, String> env) {
    this.baseDir = baseDir;
    this.references = new References(env, baseDir == null ? Path.of("") : baseDir);
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
    return new ServerConfigLoader(dir, System::getenv).parse(text, file.toString());
  }

  /** Parses settings text; for tests and for files already read. */
  public static ServerConfig parse(String yaml, Path baseDir, Function<String, String> env) {
    return new ServerConfigLoader(baseDir, env).parse(yaml, "(text)");
  }

  private ServerConfig parse(String yaml, String where) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (YAMLException e) {
      throw new ServerConfigException(where, List.of("not valid YAML: "
          + firstLine(e.getMessage())));
    }
    Map<String, Object> top = root == null ? Map.of() : map(root, "(top level)");
    if (top == null) {
      throw new ServerConfigException(where, problems);
    }
    ServerConfig d = ServerConfig.defaults();
    known(top, "", "catalog", "listen", "serialization", "tls", "insecure-plaintext", "auth",
        "limits", "frames", "shutdown-grace", "log-format");

    Optional<Path> catalog = Optional.ofNullable(path(top, "", "catalog", true));
    String host = d.host();
    int port = d.port();
    Map<String, Object> listen = section(top, "", "listen");
    if (listen != null) {
      known(listen, "listen.", "host", "port");
      String h = string(listen, "listen.", "host", false);
      host = h == null ? host : h;
      Integer p = integer(listen, "listen.", "port", 0, 65535);
      port = p == null ? port : p;
    }
    Serialization serialization = enumValue(top, "", "serialization", Serialization.class,
        d.serialization());
    Optional<Tls> tls = Optional.ofNullable(tls(section(top, "", "tls")));
    boolean insecure = bool(top, "", "insecure-plaintext", false);
    Auth auth = auth(section(top, "", "auth"));
    Limits limits = limits(section(top, "", "limits"));
    Frames frames = frames(section(top, "", "frames"));
    Duration grace = duration(top, "", "shutdown-grace", d.shutdownGrace());
    LogFormat logFormat = enumValue(top, "", "log-format", LogFormat.class, d.logFormat());
    if (!problems.isEmpty()) {
      throw new ServerConfigException(where, problems);
    }
    return new ServerConfig(catalog, host, port, serialization, tls, insecure, auth, limits,
        frames, grace, logFormat);
  }

  private Tls tls(Map<String, Object> m) {
    if (m == null) {
      return null;
    }
    known(m, "tls.", "keystore", "keystore-type", "keystore-password", "certificate",
        "private-key");
    Path keystore = path(m, "tls.", "keystore", true);
    Path cert = path(m, "tls.", "certificate", true);
    Path key = path(m, "tls.", "private-key", true);
    String type = string(m, "tls.", "keystore-type", false);
    Secret password = secret(m, "tls.", "keystore-password");
    if (type != null && !List.of("PKCS12", "JKS").contains(type.toUpperCase(Locale.ROOT))) {
      problems.add("key 'tls.keystore-type': '" + type + "' is not a key store type;"
          + " allowed: PKCS12, JKS");
    }
    if (keystore == null && cert == null) {
      problems.add("key 'tls': give either keystore (with keystore-password) or"
          + " certificate and private-key (PEM)");
    } else if (keystore != null && (cert != null || key != null)) {
      problems.add("key 'tls': give either keystore or certificate/private-key, not both");
    } else if (keystore != null && password == null) {
      problems.add("key 'tls.keystore-password': missing; a key store needs its password");
    } else if (cert != null && key == null) {
      problems.add("key 'tls.private-key': missing; a PEM certificate needs its private key");
    }
    return new Tls(Optional.ofNullable(keystore),
        type == null ? "PKCS12" : type.toUpperCase(Locale.ROOT), Optional.ofNullable(password),
        Optional.ofNullable(cert), Optional.ofNullable(key));
  }

  private Auth auth(Map<String, Object> m) {
    Auth d = Auth.none();
    if (m == null) {
      return d;
    }
    known(m, "auth.", "users-file", "users", "jwt", "allow", "anonymous-user",
        "failed-logins", "credential-cache");
    Path usersFile = path(m, "auth.", "users-file", true);
    Map<String, String> users = new LinkedHashMap<>();
    Map<String, Object> inline = section(m, "auth.", "users");
    if (inline != null) {
      inline.forEach((name, hash) -> {
        if (hash instanceof String s) {
          users.put(name, s);
        } else {
          problems.add("key 'auth.users." + name + "': must be a password hash string"
              + " (from junction hash-password)");
        }
      });
    }
    Jwt jwt = jwt(section(m, "auth.", "jwt"));
    List<String> allow = stringList(m, "auth.", "allow", d.allow());
    String anonymous = string(m, "auth.", "anonymous-user", false);
    int maxFailed = d.maxFailedLogins();
    Duration window = d.failedLoginWindow();
    Map<String, Object> failed = section(m, "auth.", "failed-logins");
    if (failed != null) {
      known(failed, "auth.failed-logins.", "max", "window");
      Integer max = integer(failed, "auth.failed-logins.", "max", 1, 1_000_000);
      maxFailed = max == null ? maxFailed : max;
      window = duration(failed, "auth.failed-logins.", "window", window);
    }
    Duration cacheTtl = duration(m, "auth.", "credential-cache", d.credentialCacheTtl());
    return new Auth(Optional.ofNullable(usersFile), users, Optional.ofNullable(jwt), allow,
        anonymous == null ? d.anonymousUser() : anonymous, maxFailed, window, cacheTtl);
  }

  private Jwt jwt(Map<String, Object> m) {
    if (m == null) {
      return null;
    }
    known(m, "auth.jwt.", "secret", "public-key", "issuer", "audience", "principal-claim",
        "clock-skew");
    Secret secret = secret(m, "auth.jwt.", "secret");
    Path publicKey = path(m, "auth.jwt.", "public-key", true);
    String issuer = string(m, "auth.jwt.", "issuer", true);
    String audience = string(m, "auth.jwt.", "audience", true);
    String claim = string(m, "auth.jwt.", "principal-claim", false);
    Duration skew = duration(m, "auth.jwt.", "clock-skew", Duration.ofSeconds(30));
    if ((secret == null) == (publicKey == null)) {
      problems.add("key 'auth.jwt': give exactly one of secret (HS256) or public-key"
          + " (RS256/ES256 PEM)");
    }
    if (secret != null && secret.reveal().getBytes(StandardCharsets.UTF_8).length < 32) {
      problems.add("key 'auth.jwt.secret': too short (" + secret.reveal().length()
          + " characters); HS256 needs at least 32 bytes");
    }
    return new Jwt(Optional.ofNullable(secret), Optional.ofNullable(publicKey),
        issuer == null ? "" : issuer, audience == null ? "" : audience,
        claim == null ? "sub" : claim, skew);
  }

  private Limits limits(Map<String, Object> m) {
    Limits d = Limits.defaults();
    if (m == null) {
      return d;
    }
    known(m, "limits.", "max-connections-per-user", "max-statements-per-user",
        "idle-timeout");
    Integer c = integer(m, "limits.", "max-connections-per-user", 1, 100_000);
    Integer s = integer(m, "limits.", "max-statements-per-user", 1, 1_000_000);
    Duration idle = duration(m, "limits.", "idle-timeout", d.idleTimeout());
    if (idle.isZero()) {
      problems.add("key 'limits.idle-timeout': '0' is not allowed; a connection must expire"
          + " eventually (" + DURATION_ALLOWED + ", more than 0)");
    }
    return new Limits(c == null ? d.maxConnectionsPerUser() : c,
        s == null ? d.maxStatementsPerUser() : s, idle);
  }

  private Frames frames(Map<String, Object> m) {
    Frames d = Frames.defaults();
    if (m == null) {
      return d;
    }
    known(m, "frames.", "rows", "max-rows");
    Integer rows = integer(m, "frames.", "rows", 1, 10_000_000);
    Integer max = integer(m, "frames.", "max-rows", 1, 10_000_000);
    Frames f = new Frames(rows == null ? d.rows() : rows, max == null ? d.maxRows() : max);
    if (f.rows() > f.maxRows()) {
      problems.add("key 'frames.rows': " + f.rows() + " is more than frames.max-rows ("
          + f.maxRows() + "); allowed: at most max-rows");
    }
    return f;
  }

  // ---- typed readers: each records a problem and returns null (or the default) ----

  private void known(Map<String, Object> m, String prefix, String... keys) {
    List<String> allowed = List.of(keys);
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        problems.add("key '" + prefix + k + "': unknown key; allowed: "
            + String.join(", ", allowed));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(Object v, String key) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), e.getValue());
      }
      return out;
    }
    problems.add("key '" + key + "': must be a mapping (key: value), not "
        + describe(v));
    return null;
  }

  private Map<String, Object> section(Map<String, Object> m, String prefix, String key) {
    Object v = m.get(key);
    return v == null ? null : map(v, prefix + key);
  }

  private String string(Map<String, Object> m, String prefix, String key, boolean required) {
    Object v = m.get(key);
    if (v == null) {
      if (required) {
        problems.add("key '" + prefix + key + "': missing; it is required");
      }
      return null;
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      String s = String.valueOf(v).trim();
      if (s.isEmpty()) {
        problems.add("key '" + prefix + key + "': empty; give a value");
        return null;
      }
      return resolve(s, prefix + key, false);
    }
    problems.add("key '" + prefix + key + "': must be a string, not " + describe(v));
    return null;
  }

  private Secret secret(Map<String, Object> m, String prefix, String key) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty()) {
      problems.add("key '" + prefix + key + "': must be a non-empty string (value not shown:"
          + " it is a secret)");
      return null;
    }
    String resolved = resolve(s, prefix + key, true);
    return resolved == null ? null : Secret.of(resolved);
  }

  private Path path(Map<String, Object> m, String prefix, String key, boolean mustExist) {
    String s = string(m, prefix, key, false);
    if (s == null) {
      return null;
    }
    Path p = baseDir == null ? Path.of(s) : baseDir.resolve(s);
    if (mustExist && !Files.isReadable(p)) {
      problems.add("key '" + prefix + key + "': file " + p + " does not exist or is not"
          + " readable");
      return null;
    }
    return p.normalize();
  }

  private Integer integer(Map<String, Object> m, String prefix, String key, int min, int max) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer i && i >= min && i <= max) {
      return i;
    }
    problems.add("key '" + prefix + key + "': '" + v + "' is not allowed; allowed: a whole"
        + " number from " + min + " to " + max);
    return null;
  }

  private boolean bool(Map<String, Object> m, String prefix, String key, boolean dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    problems.add("key '" + prefix + key + "': '" + v + "' is not allowed; allowed: true,"
        + " false");
    return dflt;
  }

  private Duration duration(Map<String, Object> m, String prefix, String key, Duration dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return parseDuration(String.valueOf(v));
    } catch (IllegalArgumentException e) {
      problems.add("key '" + prefix + key + "': '" + v + "' is not a duration; allowed: "
          + DURATION_ALLOWED);
      return dflt;
    }
  }

  private <E extends Enum<E>> E enumValue(Map<String, Object> m, String prefix, String key,
      Class<E> type, E dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, String.valueOf(v).trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        allowed.add(c.name().toLowerCase(Locale.ROOT));
      }
      problems.add("key '" + prefix + key + "': '" + v + "' is not allowed; allowed: "
          + String.join(", ", allowed));
      return dflt;
    }
  }

  private List<String> stringList(Map<String, Object> m, String prefix, String key,
      List<String> dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      List<String> out = new ArrayList<>();
      l.forEach(x -> out.add((String) x));
      return out;
    }
    problems.add("key '" + prefix + key + "': must be a list of strings, not " + describe(v));
    return dflt;
  }

  /** Expands {@code ${env:X}} and {@code ${file:P}}; a problem never quotes a secret. */
  private String resolve(String s, String key, boolean secret) {
    return references.expand(s, secret, p -> problems.add("key '" + key + "': " + p), v -> { });
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or whole seconds. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(text);
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  private static String describe(Object v) {
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "'" + v + "'";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
