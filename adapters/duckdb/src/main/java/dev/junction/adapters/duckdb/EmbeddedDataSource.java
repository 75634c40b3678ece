package dev.junction.adapters.duckdb;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The parts of a {@link DataSource} an embedded database has nothing to say about: no
 * users, no login timeout, no log writer. Subclasses supply {@link #getConnection()}.
 */
abstract class EmbeddedDataSource implements DataSource {
  @Override public Connection getConnection(String username, String password)
      throws SQLException {
    throw new SQLFeatureNotSupportedException("DuckDB has no users");
  }

  @Override public PrintWriter getLogWriter() {
    return null;
  }

  @Override public void setLogWriter(PrintWriter out) {
  }

  @Override public void setLoginTimeout(int seconds) {
  }

  @Override public int getLoginTimeout() {
    return 0;
  }

  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a " + iface.getName());
  }

  @Override public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
