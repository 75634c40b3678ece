package dev.junction.testing;

import org.testcontainers.postgresql.PostgreSQLContainer;

import java.sql.SQLException;

/**
 * PostgreSQL for tests: a container when Docker runs, else 127.0.0.1:5432 database
 * {@code test} as user {@code postgres} (override with JUNCTION_TEST_PG_URL,
 * JUNCTION_TEST_PG_USER, JUNCTION_TEST_PG_PASSWORD). Each instance owns a fresh schema.
 */
public final class TestingPostgreSqlServer extends TestingServer {
  private final PostgreSQLContainer container;
  private final String url;
  private final String user;
  private final String password;

  public TestingPostgreSqlServer() {
    super("jt");
    if (dockerAvailable()) {
      container = new PostgreSQLContainer("postgres:15-alpine");
      container.start();
      url = container.getJdbcUrl();
      user = container.getUsername();
      password = container.getPassword();
    } else {
      container = null;
      url = env("JUNCTION_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
      user = env("JUNCTION_TEST_PG_USER", "postgres");
      password = env("JUNCTION_TEST_PG_PASSWORD", "");
    }
    try {
      execute("CREATE SCHEMA " + namespace());
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + url + " is not usable: "
          + e.getMessage(), e);
    }
  }

  @Override public String jdbcUrl() {
    return url;
  }

  @Override public String user() {
    return user;
  }

  @Override public String password() {
    return password;
  }

  @Override public void close() throws SQLException {
    try {
      execute("DROP SCHEMA IF EXISTS " + namespace() + " CASCADE");
    } finally {
      if (container != null) {
        container.stop();
      }
    }
  }
}
