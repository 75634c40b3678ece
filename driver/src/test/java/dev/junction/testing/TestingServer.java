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

  /** Opens a direct connection (not through Junction) for loading test data. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user(), password());
  }

  /** Runs statements directly on the server. */
  public void execute(String... sql) throws SQLException {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
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
