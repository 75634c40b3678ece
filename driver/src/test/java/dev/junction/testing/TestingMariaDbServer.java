package dev.junction.testing;

import org.testcontainers.mariadb.MariaDBContainer;

import java.sql.SQLException;

/**
 * MariaDB for tests: a container when Docker runs, else 127.0.0.1:3306 as {@code root}
 * with an empty password (override with JUNCTION_TEST_MARIADB_URL,
 * JUNCTION_TEST_MARIADB_USER, JUNCTION_TEST_MARIADB_PASSWORD). Each instance owns a
 * fresh database, which the URL it hands out points at.
 */
public final class TestingMariaDbServer extends TestingServer {
  private final MariaDBContainer container;
  private final String baseUrl;
  private final String user;
  private final String password;

  public TestingMariaDbServer() {
    super("jt");
    if (dockerAvailable()) {
      container = new MariaDBContainer("mariadb:10.11");
      container.start();
      baseUrl = "jdbc:mariadb://" + container.getHost() + ":" + container.getMappedPort(3306)
          + "/";
      user = "root";
      password = container.getPassword();
    } else {
      container = null;
      baseUrl = env("JUNCTION_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
      user = env("JUNCTION_TEST_MARIADB_USER", "root");
      password = env("JUNCTION_TEST_MARIADB_PASSWORD", "");
    }
    try {
      executeOnServer("CREATE DATABASE " + namespace());
    } catch (SQLException e) {
      throw new IllegalStateException("MariaDB at " + baseUrl + " is not usable: "
          + e.getMessage(), e);
    }
  }

  private void executeOnServer(String sql) throws SQLException {
    try (var c = java.sql.DriverManager.getConnection(withParameters(baseUrl, timeouts()
            + "&" + sessionTimeouts()), user, password);
         var st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @Override public String jdbcUrl() {
    String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    return base + namespace() + "?allowMultiQueries=true&rewriteBatchedStatements=true&"
        + timeouts();
  }

  private static String timeouts() {
    return "connectTimeout=" + CONNECT_TIMEOUT_SECONDS * 1000 + "&socketTimeout="
        + SOCKET_TIMEOUT_SECONDS * 1000;
  }

  private static String sessionTimeouts() {
    return "sessionVariables=max_statement_time=" + STATEMENT_TIMEOUT_SECONDS
        + ",lock_wait_timeout=" + LOCK_TIMEOUT_SECONDS + ",innodb_lock_wait_timeout="
        + LOCK_TIMEOUT_SECONDS;
  }

  @Override protected String directUrl() {
    return withParameters(jdbcUrl(), sessionTimeouts());
  }

  @Override public String user() {
    return user;
  }

  @Override public String password() {
    return password;
  }

  /**
   * Drops the test's database. Connections still working in it are killed first, so
   * the drop never waits on their metadata locks; the drop itself waits at most the
   * lock timeout.
   */
  @Override public void close() throws SQLException {
    try (var c = java.sql.DriverManager.getConnection(withParameters(baseUrl, timeouts()
            + "&" + sessionTimeouts()), user, password);
         var st = c.createStatement();
         var rs = st.executeQuery("SELECT id FROM information_schema.processlist"
             + " WHERE id <> CONNECTION_ID() AND (db = '" + namespace() + "' OR info LIKE '%"
             + namespace() + "%')")) {
      java.util.List<Long> ids = new java.util.ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
      for (long id : ids) {
        try (var kill = c.createStatement()) {
          kill.execute("KILL " + id);
        } catch (SQLException e) {
          // Already gone.
        }
      }
    }
    try {
      executeOnServer("DROP DATABASE IF EXISTS " + namespace());
    } finally {
      if (container != null) {
        container.stop();
      }
    }
  }
}
