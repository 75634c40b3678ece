package dev.junction.adapters.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The physical-connection factory under a source's pool: each new connection has the
 * adapter's session settings applied ({@link JdbcSourceAdapter#prepareSession}) before
 * the pool sees it. They run after the driver applied the catalog's {@code properties}
 * (and whatever the URL says), in auto-commit mode, so they override those and a pool's
 * rollback cannot undo them; a connection they fail on is closed and never handed out.
 */
final class SessionDataSource implements DataSource {
  /** Prepares a new physical connection. */
  @FunctionalInterface
  interface Preparer {
    void prepare(Connection c) throws SQLException;
  }

  private final DataSource driver;
  private final Preparer preparer;

  SessionDataSource(DataSource driver, Preparer preparer) {
    this.driver = driver;
    this.preparer = preparer;
  }

  @Override public Connection getConnection() throws SQLException {
    return prepared(driver.getConnection());
  }

  @Override public Connection getConnection(String user, String password)
      throws SQLException {
    return prepared(driver.getConnection(user, password));
  }

  private Connection prepared(Connection c) throws SQLException {
    try {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      preparer.prepare(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override public PrintWriter getLogWriter() throws SQLException {
    return driver.getLogWriter();
  }

  @Override public void setLogWriter(PrintWriter out) throws SQLException {
    driver.setLogWriter(out);
  }

  @Override public void setLoginTimeout(int seconds) throws SQLException {
    driver.setLoginTimeout(seconds);
  }

  @Override public int getLoginTimeout() throws SQLException {
    return driver.getLoginTimeout();
  }

  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return driver.getParentLogger();
  }

  @Override public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : driver.unwrap(iface);
  }

  @Override public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || driver.isWrapperFor(iface);
  }
}
