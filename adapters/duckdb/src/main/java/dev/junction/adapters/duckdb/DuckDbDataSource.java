package dev.junction.adapters.duckdb;

import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * One embedded DuckDB database shared by every query of a source. DuckDB is in-process,
 * so instead of a pool each caller gets a cheap duplicate connection to the same
 * database instance; this also keeps an in-memory database (and the views over files
 * created in it) alive for the life of the source.
 */
final class DuckDbDataSource implements DataSource, AutoCloseable {
  private final String sourceName;
  private final String path;
  private final String filesDir;
  private final boolean readOnly;
  private final Properties properties;
  private DuckDBConnection root;

  DuckDbDataSource(String sourceName, String path, String filesDir, boolean readOnly,
      Properties properties) {
    this.sourceName = sourceName;
    this.path = path;
    this.filesDir = filesDir;
    this.readOnly = readOnly;
    this.properties = properties;
  }

  @Override public synchronized Connection getConnection() throws SQLException {
    if (root == null) {
      root = open();
    }
    return root.duplicate();
  }

  private DuckDBConnection open() throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    if (readOnly && !":memory:".equals(path)) {
      p.setProperty("duckdb.read_only", "true");
    }
    String url = ":memory:".equals(path) ? "jdbc:duckdb:" : "jdbc:duckdb:" + path;
    DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection(url, p);
    if (filesDir != null) {
      try {
        createFileViews(c);
      } catch (SQLException | IOException e) {
        c.close();
        throw new SQLException("source '" + sourceName + "': cannot expose files in "
            + filesDir + ": " + e.getMessage(), e);
      }
    }
    return c;
  }

  /** Creates one view per data file, named after the file without its extension. */
  private void createFileViews(Connection c) throws SQLException, IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(filesDir));
         Statement st = c.createStatement()) {
      for (Path f : files) {
        String file = f.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        String reader;
        if (lower.endsWith(".parquet")) {
          reader = "read_parquet";
        } else if (lower.endsWith(".csv") || lower.endsWith(".tsv")) {
          reader = "read_csv_auto";
        } else if (lower.endsWith(".json") || lower.endsWith(".jsonl")
            || lower.endsWith(".ndjson")) {
          reader = "read_json_auto";
        } else {
          continue;
        }
        String table = file.substring(0, file.lastIndexOf('.'));
        st.execute("CREATE OR REPLACE VIEW \"" + table.replace("\"", "\"\"")
            + "\" AS SELECT * FROM " + reader
            + "('" + f.toAbsolutePath().toString().replace("'", "''") + "')");
      }
    }
  }

  @Override public synchronized void close() throws SQLException {
    if (root != null) {
      root.close();
      root = null;
    }
  }

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

  @Override public String toString() {
    return "DuckDbDataSource{" + sourceName + "}";
  }
}
