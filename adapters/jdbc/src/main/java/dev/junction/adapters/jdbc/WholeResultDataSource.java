package dev.junction.adapters.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A source's data source for one statement whose result the source computes whole before
 * its first row: each connection it hands out has run the dialect's
 * {@link PushdownDialect#wholeResultSession} statement, on the driver's own connection
 * (so it is neither recorded nor audited as a query); a {@link SessionPool} keeps such
 * connections apart so the statement runs once per connection, not once per query. A
 * result estimated small is also fetched in one piece (see
 * {@code SourceStatement#fetchedWhole}). Called from generated code.
 */
public final class WholeResultDataSource implements DataSource {
  private final SourceDataSource delegate;
  private final String session;
  private final boolean fetchAll;

  private WholeResultDataSource(SourceDataSource delegate, String session, boolean fetchAll) {
    this.delegate = delegate;
    this.session = session;
    this.fetchAll = fetchAll;
  }

  /**
   * {@code delegate} (a source's {@link SourceDataSource}), with {@code session} (or null)
   * run on each connection before it is used, and, if {@code fetchAll}, statements that
   * read their result in one piece rather than with the source's fetch size.
   */
  public static DataSource of(DataSource delegate, String session, boolean fetchAll) {
    if (!(delegate instanceof SourceDataSource source)) {
      throw new IllegalArgumentException("not a source's data source: " + delegate);
    }
    return new WholeResultDataSource(source, session, fetchAll);
  }

  @Override public Connection getConnection() throws SQLException {
    return delegate.getConnection(session, fetchAll);
  }

  @Override public Connection getConnection(String username, String password)
      throws SQLException {
    throw new SQLFeatureNotSupportedException("connections come from the source's pool");
  }

  @Override public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
