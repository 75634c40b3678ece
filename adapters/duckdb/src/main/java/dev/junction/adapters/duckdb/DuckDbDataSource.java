package dev.junction.adapters.duckdb;

import dev.junction.adapters.jdbc.BoundedPool;
import dev.junction.adapters.jdbc.SessionPool;

import org.duckdb.DuckDBConnection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One embedded DuckDB database shared by every query of a source. DuckDB is in-process:
 * its connections are cheap duplicates of one root connection to the same database
 * instance, which also keeps an in-memory database (and the views over files created in
 * it) alive for the life of the source.
 *
 * <p>Duplicates are still pooled (HikariCP, one pool per session setting): a new
 * duplicate plus the {@code SET} of a {@link SessionPool session} cost about a
 * millisecond, as much as a small query itself, and a pooled connection keeps its
 * session setting, so a statement that needs results computed whole
 * ({@code jdbc_stream_results = false}) borrows from the pool of connections already set
 * so, and a streaming statement never gets one of them.
 */
final class DuckDbDataSource extends EmbeddedDataSource
    implements SessionPool, BoundedPool, AutoCloseable {
  /**
   * Connections per pool: more than any sensible concurrency on one embedded database, so
   * queries holding several connections each cannot starve one another.
   */
  static final int POOL_SIZE = 64;

  private final String sourceName;
  private final String path;
  private final String filesDir;
  private final boolean readOnly;
  private final Properties properties;
  private final ConcurrentMap<String, HikariDataSource> pools = new ConcurrentHashMap<>();
  private DuckDBConnection root;
  private boolean closed;

  DuckDbDataSource(String sourceName, String path, String filesDir, boolean readOnly,
      Properties properties) {
    this.sourceName = sourceName;
    this.path = path;
    this.filesDir = filesDir;
    this.readOnly = readOnly;
    this.properties = properties;
  }

  /** Each session's pool lends up to {@link #POOL_SIZE} duplicates. */
  @Override public int maximumPoolSize() {
    return POOL_SIZE;
  }

  @Override public Connection getConnection() throws SQLException {
    return pool("").getConnection();
  }

  @Override public Connection getConnection(String session) throws SQLException {
    return pool(session).getConnection();
  }

  private HikariDataSource pool(String session) throws SQLException {
    HikariDataSource pool = pools.get(session);
    if (pool != null) {
      return pool;
    }
    synchronized (this) {
      // Opened here, on the caller's thread, so a file that is not a database fails this
      // query at once with DuckDB's message, not after the pool's wait for a connection.
      root();
      return pools.computeIfAbsent(session, this::createPool);
    }
  }

  private HikariDataSource createPool(String session) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("junction-" + sourceName + (session.isEmpty() ? "" : "-whole-results"));
    c.setDataSource(new Duplicates());
    if (!session.isEmpty()) {
      c.setConnectionInitSql(session);
    }
    c.setMaximumPoolSize(POOL_SIZE);
    c.setMinimumIdle(0);
    c.setIdleTimeout(60_000);
    c.setConnectionTimeout(10_000);
    // Opening the database can fail (a missing file, a lock held by another process):
    // that surfaces on the first query, with DuckDB's own message.
    c.setInitializationFailTimeout(-1);
    c.setAutoCommit(true);
    // Hikari sets it on every new connection; DuckDB refuses a value other than the
    // database's own.
    c.setReadOnly(readOnlyDatabase());
    return new HikariDataSource(c);
  }

  private boolean readOnlyDatabase() {
    return readOnly && !":memory:".equals(path);
  }

  /** A duplicate of the root connection. */
  private synchronized DuckDBConnection duplicate() throws SQLException {
    return (DuckDBConnection) root().duplicate();
  }

  /** The root connection, opening the database on first use. */
  private synchronized DuckDBConnection root() throws SQLException {
    if (closed) {
      throw new SQLException("source '" + sourceName + "' is closed", "08003");
    }
    if (root == null) {
      root = open();
    }
    return root;
  }

  private DuckDBConnection open() throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    if (readOnlyDatabase()) {
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

  @Override public void close() throws SQLException {
    synchronized (this) {
      closed = true;
    }
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
    synchronized (this) {
      if (root != null) {
        root.close();
        root = null;
      }
    }
  }

  @Override public String toString() {
    return "DuckDbDataSource{" + sourceName + "}";
  }

  /** What the pools open connections from: duplicates of the root connection. */
  private final class Duplicates extends EmbeddedDataSource {
    @Override public Connection getConnection() throws SQLException {
      return duplicate();
    }
  }
}
