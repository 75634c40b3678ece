package dev.junction.server;

import dev.junction.driver.JunctionConnection;
import dev.junction.driver.JunctionDriver;
import dev.junction.planner.catalog.Catalog;
import dev.junction.planner.config.CatalogConfigLoader;
import dev.junction.server.auth.Authenticator;
import dev.junction.server.http.JunctionHandler;
import dev.junction.server.http.Tls;
import dev.junction.server.metrics.ServerMetrics;
import dev.junction.server.session.ServerMeta;
import dev.junction.server.session.Sessions;
import dev.junction.spi.SourceStatus;

import com.github.benmanes.caffeine.cache.Ticker;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.Service;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The Junction server: an Avatica HTTP endpoint over the Junction driver.
 *
 * <pre>
 * JunctionServer server = JunctionServer.builder(config).build();
 * server.start();          // binds, logs "server_started"
 * ...
 * server.stop();           // drains for up to shutdown-grace, then closes everything
 * </pre>
 *
 * <p>Start refuses unsafe settings: a non-loopback address needs authentication, and TLS
 * unless {@code insecure-plaintext} is set (which is logged loudly). It reads the catalog
 * file (which connects to nothing), refusing an invalid one, and warns loudly when the
 * catalog has no access policy: then every user who can connect reads every table.
 */
public final class JunctionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JunctionServer.class);
  private static final String READINESS_USER = "junction-readiness";
  private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration LINGER = Duration.ofSeconds(1);

  private final ServerConfig config;
  private final Clock clock;
  private final Ticker ticker;
  private final EventLog log;
  private final ServerMetrics metrics = new ServerMetrics();
  private final Sessions sessions;
  private final ExecutorService readinessPool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "junction-readiness");
    t.setDaemon(true);
    return t;
  });
  private ScheduledExecutorService reaper;
  private Server jetty;
  private ServerConnector connector;
  private ServerMeta meta;
  private JunctionHandler handler;
  private Connection readinessConnection;
  private boolean stopped;

  private JunctionServer(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.log = b.sink == null ? EventLog.slf4j() : new EventLog(config.logFormat(), b.sink,
        clock);
    this.sessions = new Sessions(config.limits(), ticker);
  }

  /** A builder over validated settings. */
  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /** Options beyond the settings: time sources (for tests) and where event lines go. */
  public static final class Builder {
    private final ServerConfig config;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.systemTicker();
    private Consumer<String> sink;

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config);
    }

    /** Wall-clock time, for JWT expiry. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    /** Elapsed time, for idle expiry, login throttling and credential caching. */
    public Builder ticker(Ticker t) {
      this.ticker = Objects.requireNonNull(t);
      return this;
    }

    /** Where event lines go (default: SLF4J, as text). */
    public Builder eventSink(Consumer<String> s) {
      this.sink = Objects.requireNonNull(s);
      return this;
    }

    /** The server, not started. */
    public JunctionServer build() {
      return new JunctionServer(this);
    }
  }

  /**
   * Checks the settings, reads the catalog and starts listening.
   *
   * @throws dev.junction.spi.JunctionException when the catalog file is not valid
   */
  public synchronized void start() throws Exception {
    checkSafe();
    Path policy = policy();
    if (config.auth().enabled()) {
      log.event("authentication", "basic", config.auth().usersFile().isPresent()
          || !config.auth().users().isEmpty(), "jwt", config.auth().jwt().isPresent());
    } else {
      log.event("authentication_disabled", "user", config.auth().anonymousUser(),
          "note", "every connection runs as this user; loopback only");
    }
    Authenticator authenticator = Authenticator.create(config.auth(), clock, ticker);
    JunctionDriver.class.getName();
    String url = junctionUrl();
    meta = new ServerMeta(url, sessions, metrics, config.frames(), log);
    Service service = new LocalService(meta);
    handler = new JunctionHandler(service, meta,
        config.serialization() == ServerConfig.Serialization.JSON, authenticator, sessions,
        metrics, log, this::checkSources);
    metrics.gauge("active_connections", sessions::connections);
    metrics.gauge("open_statements", sessions::statementCount);
    metrics.sources(this::sourceStatus);
    Path catalogFile = config.catalog()
        .orElseGet(dev.junction.driver.demo.DemoCatalog::ensure);
    metrics.resultCache(() -> JunctionDriver.resultCacheStats(catalogFile));

    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    pool.setName("junction-http");
    jetty = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    if (config.tls().isPresent()) {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      SslContextFactory.Server tls = Tls.contextFactory(config.tls().get());
      connector = new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
          new HttpConnectionFactory(http));
    } else {
      connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    }
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.limits().idleTimeout().toMillis());
    jetty.addConnector(connector);
    StatisticsHandler stats = new StatisticsHandler();
    stats.setHandler(handler);
    jetty.setHandler(stats);
    ErrorHandler errorPages = new ErrorHandler();
    errorPages.setShowStacks(false);
    errorPages.setShowServlet(false);
    jetty.setErrorHandler(errorPages);
    jetty.setStopTimeout(1000);
    jetty.start();
    handler.setRpcMetadata(new Service.RpcMetadataResponse(config.host() + ":" + port()));

    long period = Math.max(100, Math.min(config.limits().idleTimeout().toMillis() / 4, 30_000));
    reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "junction-idle-reaper");
      t.setDaemon(true);
      return t;
    });
    reaper.scheduleWithFixedDelay(this::expireIdle, period, period, TimeUnit.MILLISECONDS);
    log.event("server_started", "url", url(), "catalog", config.catalog().map(Object::toString)
        .orElse("demo"), "serialization",
        config.serialization().name().toLowerCase(Locale.ROOT), "tls", config.tls().isPresent(),
        "policy", policy == null ? "none" : policy.toString());
  }

  /**
   * The served catalog's policy file, or null after warning (in the log at WARN, and as an
   * {@code open_catalog} event) that without one every user who can connect may read every
   * table of every source. Reading the catalog validates it but connects to nothing.
   */
  private Path policy() {
    String fix;
    if (config.catalog().isPresent()) {
      Path file = config.catalog().get();
      Path policy = CatalogConfigLoader.load(file, Catalog.adapters()).policy();
      if (policy != null) {
        return policy;
      }
      fix = "add 'policy: policy.yaml' to " + file + " and write the rules in policy.yaml";
    } else {
      fix = "serve your own catalog (--config) with 'policy: policy.yaml' in it";
    }
    String warning = "the catalog has no access policy: every user who can connect may read"
        + " every table of every source";
    LOG.warn("{}; {}", warning, fix);
    log.event("open_catalog", "catalog", config.catalog().map(Object::toString).orElse("demo"),
        "warning", warning, "fix", fix);
    return null;
  }

  private void checkSafe() {
    boolean loopback = config.loopback();
    if (!loopback && !config.auth().enabled()) {
      throw new ServerConfigException("(listen.host)", List.of("key 'listen.host': '"
          + config.host() + "' is not a loopback address, and no authentication is"
          + " configured; allowed: a loopback address (127.0.0.1, localhost), or set"
          + " auth.users-file / auth.users / auth.jwt"));
    }
    if (!loopback && config.tls().isEmpty()) {
      if (!config.insecurePlaintext()) {
        throw new ServerConfigException("(listen.host)", List.of("key 'listen.host': '"
            + config.host() + "' is not a loopback address, and TLS is not configured;"
            + " allowed: a loopback address, or set tls (or insecure-plaintext: true /"
            + " --insecure-plaintext, which sends passwords in clear text)"));
      }
      log.event("INSECURE_PLAINTEXT", "host", config.host(), "warning",
          "listening without TLS on a non-loopback address: passwords and tokens cross the"
          + " network in clear text");
    }
  }

  private String junctionUrl() {
    return config.catalog().map(p -> "jdbc:junction:config=" + p.toAbsolutePath())
        .orElse("jdbc:junction:demo");
  }

  /** The bound port (useful when the settings said 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The URL clients connect to. */
  public URI url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create((config.tls().isPresent() ? "https" : "http") + "://" + host + ":"
        + port() + "/");
  }

  /** The metrics, as served on {@code /metrics}. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** Open Avatica connections. */
  public int openConnections() {
    return sessions.connections();
  }

  /** Closes connections idle past the timeout now; returns how many (the reaper calls it). */
  public int expireIdle() {
    ServerMeta m = meta;
    return m == null ? 0 : m.expireIdle();
  }

  /**
   * Every source's pool and reachability, for {@code /metrics}: read on a connection of
   * the readiness user opened for the scrape, so a catalog file changed on disk is seen
   * (and the old one released); it connects to no source.
   */
  private Map<String, SourceStatus> sourceStatus() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", READINESS_USER);
    try (Connection c = DriverManager.getConnection(junctionUrl(), p)) {
      return c.unwrap(JunctionConnection.class).sourceStatus();
    }
  }

  private synchronized Map<String, Optional<String>> checkSources() {
    Future<Map<String, Optional<String>>> f = readinessPool.submit(() -> {
      if (readinessConnection == null || readinessConnection.isClosed()) {
        Properties p = new Properties();
        p.setProperty("user", READINESS_USER);
        readinessConnection = DriverManager.getConnection(junctionUrl(), p);
      }
      return readinessConnection.unwrap(JunctionConnection.class).checkSources();
    });
    try {
      return f.get(READINESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IllegalStateException("source checks took longer than "
          + READINESS_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /**
   * Stops gracefully: new connections and queries are refused at once (an Avatica error
   * with SQLState 57P01, and {@code /ready} answers 503), while running requests and open
   * result sets get up to {@code shutdown-grace} to finish, including the client's fetches
   * and closes; then running statements are cancelled, connections closed and the listener
   * stopped. The listener stays open while draining so that those fetches and closes
   * reach the server.
   */
  public synchronized void stop() {
    if (stopped || jetty == null) {
      return;
    }
    stopped = true;
    long start = System.nanoTime();
    log.event("server_draining", "busy", sessions.busy(), "grace_seconds",
        config.shutdownGrace().toSeconds());
    handler.drain();
    long deadline = start + config.shutdownGrace().toNanos();
    while (sessions.busy() > 0 && System.nanoTime() < deadline) {
      pause();
    }
    // Linger briefly so a client's connection close, sent right after its last statement
    // close, still reaches the server.
    long linger = Math.min(deadline, System.nanoTime() + LINGER.toNanos());
    while (sessions.connections() > 0 && System.nanoTime() < linger) {
      pause();
    }
    int left = sessions.busy();
    if (left > 0) {
      log.event("grace_period_expired", "cancelling", left);
    }
    meta.closeAll();
    try {
      jetty.stop();
    } catch (Exception e) {
      log.event("stop_failed", "error", String.valueOf(e.getMessage()));
    }
    reaper.shutdownNow();
    readinessPool.shutdownNow();
    if (readinessConnection != null) {
      try {
        readinessConnection.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
    metrics.close();
    log.event("server_stopped", "drain_ms", (System.nanoTime() - start) / 1_000_000);
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override public void close() {
    stop();
  }
}
