package dev.junction.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real database server for a test: a Testcontainers container when Docker is
 * available, otherwise the local service (overridable by environment variables). Each
 * instance works in its own freshly created schema or database, dropped on close, so
 * tests never see each other's tables or a previous run's leftovers.
 */
public abstract class TestingServer implements AutoCloseable {
  private final String namespace;

  protected TestingServer(String prefix) {
    this.namespace = (prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong()))
        .toLowerCase(Locale.ROOT).replace("-", "");
  }

  /** The schema (PostgreSQL) or database (MariaDB) this test owns. */
  public String namespace() {
    return namespace;
  }

  /** JDBC URL of the server. */
  public abstract String jdbcUrl();

  /** User to connect as. */
  public abstract String user();

  /** Password, possibly empty. */
  public abstract String password();

  /**
   * Opens a direct connection (not through Junction) for loading test data and checking
   * the server. It carries statement and lock timeouts ({@link #directUrl}), so a test
   * that goes wrong fails instead of waiting forever on a leftover lock.
   */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(directUrl(), user(), password());
  }

  /** The URL of {@link #connect}: {@link #jdbcUrl} plus statement and lock timeouts. */
  protected abstract String directUrl();

  /** Longest a direct test statement may run, in seconds. */
  protected static final int STATEMENT_TIMEOUT_SECONDS = 300;
  /** Longest a direct test statement may wait for a lock, in seconds. */
  protected static final int LOCK_TIMEOUT_SECONDS = 30;
  /** Connect timeout of every test connection, Junction's source pools included. */
  protected static final int CONNECT_TIMEOUT_SECONDS = 10;
  /**
   * Socket read timeout of every test connection, Junction's source pools included: no
   * test reads for longer, so a server that stops answering fails the test.
   */
  protected static final int SOCKET_TIMEOUT_SECONDS = 600;

  /** Runs statements directly on the server. */
  public void execute(String... sql) throws SQLException {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** Appends URL parameters with the right separator. */
  static String withParameters(String url, String parameters) {
    return url + (url.contains("?") ? "&" : "?") + parameters;
  }

  static String env(String name, String defaultValue) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? defaultValue : v;
  }

  static boolean dockerAvailable() {
    if ("false".equalsIgnoreCase(System.getenv("JUNCTION_TEST_DOCKER"))) {
      return false;
    }
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }
}
