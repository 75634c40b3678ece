package dev.junction.server;

import dev.junction.server.auth.PasswordHasher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Junction server in the test JVM on a free loopback port, with users whose passwords the
 * test knows, and the event lines it logged. Clients are the stock Avatica remote driver.
 */
public final class TestingJunctionServer implements AutoCloseable {
  /** The shared secret JWT tests sign with. */
  public static final String JWT_SECRET = "test-secret-that-is-at-least-32-bytes-long!";
  /** The issuer JWT tests use. */
  public static final String ISSUER = "https://idp.test";
  /** The audience JWT tests use. */
  public static final String AUDIENCE = "junction";

  private final JunctionServer server;
  private final FakeTicker ticker;
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final String serialization;

  private TestingJunctionServer(ServerConfig config, FakeTicker ticker, Clock clock) {
    this.ticker = ticker;
    this.serialization = config.serialization().name().toLowerCase(java.util.Locale.ROOT);
    JunctionServer.Builder b = JunctionServer.builder(config).eventSink(events::add)
        .clock(clock);
    if (ticker != null) {
      b.ticker(ticker);
    }
    this.server = b.build();
  }

  /** A builder: users, extra settings YAML, catalog. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** Collects settings, writes the users file, starts the server. */
  public static final class Builder {
    private final Path dir;
    private final Map<String, String> users = new LinkedHashMap<>();
    private final StringBuilder yaml = new StringBuilder();
    private final StringBuilder auth = new StringBuilder();
    private Path catalog;
    private boolean jwt;
    private String jwtSettings = "";
    private FakeTicker ticker;
    private Clock clock = Clock.systemUTC();

    private Builder(Path dir) {
      this.dir = dir;
    }

    /** Adds a user with a password. */
    public Builder user(String name, String password) {
      users.put(name, password);
      return this;
    }

    /** Accepts HS256 tokens signed with {@link #JWT_SECRET}. */
    public Builder jwt() {
      this.jwt = true;
      return this;
    }

    /**
     * Accepts HS256 tokens with more {@code auth.jwt} settings, written as flow-map
     * entries, e.g. {@code "groups-claim: groups"}.
     */
    public Builder jwt(String settings) {
      this.jwt = true;
      this.jwtSettings = ", " + settings;
      return this;
    }

    /** Appends top-level settings YAML (not under auth). */
    public Builder settings(String text) {
      yaml.append(text).append('\n');
      return this;
    }

    /** Appends settings under {@code auth:}, e.g. {@code "allow: [ana]"}. */
    public Builder auth(String text) {
      auth.append("  ").append(text).append('\n');
      return this;
    }

    /** Serves this catalog instead of the demo. */
    public Builder catalog(Path file) {
      this.catalog = file;
      return this;
    }

    /** Uses a hand-moved ticker. */
    public Builder ticker(FakeTicker t) {
      this.ticker = t;
      return this;
    }

    /** Uses a fixed wall clock. */
    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    /** Starts the server. */
    public TestingJunctionServer start() throws Exception {
      StringBuilder text = new StringBuilder("listen: {host: 127.0.0.1, port: 0}\n");
      if (!users.isEmpty() || jwt || auth.length() > 0) {
        text.append("auth:\n").append(auth);
        if (!users.isEmpty()) {
          Path file = dir.resolve("users.txt");
          StringBuilder lines = new StringBuilder("# test users\n");
          users.forEach((n, p) -> lines.append(n).append(':')
              .append(PasswordHasher.hash(p.toCharArray())).append('\n'));
          Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
          text.append("  users-file: ").append(file).append('\n');
        }
        if (jwt) {
          text.append("  jwt: {secret: \"").append(JWT_SECRET).append("\", issuer: \"")
              .append(ISSUER).append("\", audience: ").append(AUDIENCE).append(jwtSettings)
              .append("}\n");
        }
      }
      text.append(yaml);
      ServerConfig config = ServerConfigLoader.parse(text.toString(), dir,
          System::getenv);
      if (catalog != null) {
        config = config.withCatalog(catalog);
      }
      TestingJunctionServer s = new TestingJunctionServer(config, ticker, clock);
      s.server.start();
      return s;
    }
  }

  /** The server. */
  public JunctionServer server() {
    return server;
  }

  /** The ticker, if the test gave one. */
  public FakeTicker ticker() {
    return ticker;
  }

  /** Event lines logged so far. */
  public List<String> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** The Avatica URL without authentication. */
  public String url() {
    return "jdbc:avatica:remote:url=" + server.url() + ";serialization=" + serialization;
  }

  /** The Avatica URL with BASIC credentials. */
  public String url(String user, String password) {
    return url() + ";authentication=BASIC;avatica_user=" + user + ";avatica_password="
        + password;
  }

  /** The Avatica URL with a bearer token. */
  public String bearerUrl(String token) {
    return url() + ";authentication=BEARER;avatica_user=service;bearer_token=" + token;
  }

  /** Connects with BASIC credentials. */
  public Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection(url(user, password));
  }

  /** GETs an operations path; returns status and body. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.url().toString()).resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of a metric line (exact series name, e.g. {@code junction_rows_returned_total}). */
  public double metric(String series) throws IOException, InterruptedException {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + series);
  }

  @Override public void close() {
    server.stop();
  }
}
