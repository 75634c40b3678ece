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
      url = withTimeouts(container.getJdbcUrl());
      user = container.getUsername();
      password = container.getPassword();
    } else {
      container = null;
      url = withTimeouts(env("JUNCTION_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
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

  private static String withTimeouts(String url) {
    return withParameters(url, "connectTimeout=" + CONNECT_TIMEOUT_SECONDS + "&socketTimeout="
        + SOCKET_TIMEOUT_SECONDS);
  }

  @Override public String jdbcUrl() {
    return url;
  }

  @Override protected String directUrl() {
    return withParameters(url, "options=" + java.net.URLEncoder.encode("-c statement_timeout="
        + STATEMENT_TIMEOUT_SECONDS + "s -c lock_timeout=" + LOCK_TIMEOUT_SECONDS + "s",
        java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
  }

  @Override public String user() {
    return user;
  }

  @Override public String password() {
    return password;
  }

  /**
   * Drops the test's schema. Backends still working in it (a test that failed midway,
   * a query a bug left running) are terminated first, so the drop never waits on their
   * locks; the drop itself waits at most the lock timeout.
   */
  @Override public void close() throws SQLException {
    try {
      execute("SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a"
          + " WHERE a.pid <> pg_backend_pid() AND (a.query LIKE '%" + namespace() + "%'"
          + " OR a.pid IN (SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + namespace()
          + "'))");
      execute("DROP SCHEMA IF EXISTS " + namespace() + " CASCADE");
    } finally {
      if (container != null) {
        container.stop();
      }
    }
  }
}
