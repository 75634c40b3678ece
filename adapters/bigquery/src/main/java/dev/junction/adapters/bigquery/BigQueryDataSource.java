package dev.junction.adapters.bigquery;

import com.google.cloud.bigquery.BigQuery;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@link DataSource} a BigQuery source is read through: Junction's pushdown sends one
 * SQL statement per pushed subtree through JDBC ({@code SourceDataSource}), and this hands
 * it connections of a small JDBC facade ({@link BigQueryConnection}) over Google's client
 * library. There is no pool: a connection is a view of the one thread-safe client, and
 * opening one makes no request.
 */
final class BigQueryDataSource implements DataSource {
  private final String source;
  private final BigQuery client;
  private final Settings settings;

  /**
   * What a source's statements run with.
   *
   * @param project the project jobs run in and datasets are listed from
   * @param location where jobs run, or null for BigQuery's choice
   * @param pageSize rows per page read from a job's result
   * @param maximumBytesBilled the job's own cap (BigQuery fails a job over it), 0 for none
   * @param poll how long one wait for a job's completion may block, so a cancel or a
   *     timeout is seen between waits
   */
  record Settings(String project, String location, int pageSize, long maximumBytesBilled,
      Duration poll) {
  }

  BigQueryDataSource(String source, BigQuery client, Settings settings) {
    this.source = source;
    this.client = client;
    this.settings = settings;
  }

  String source() {
    return source;
  }

  BigQuery client() {
    return client;
  }

  Settings settings() {
    return settings;
  }

  @Override public Connection getConnection() {
    return BigQueryConnection.open(this);
  }

  @Override public Connection getConnection(String user, String password)
      throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from the catalog");
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
    throw new SQLFeatureNotSupportedException("no java.util.logging here");
  }

  @Override public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override public String toString() {
    return "BigQueryDataSource{" + source + ", project " + settings.project() + "}";
  }
}
