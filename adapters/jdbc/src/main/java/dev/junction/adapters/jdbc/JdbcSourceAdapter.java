package dev.junction.adapters.jdbc;

import dev.junction.spi.QueryScope;
import dev.junction.spi.Secret;
import dev.junction.spi.Source;
import dev.junction.spi.SourceAdapter;
import dev.junction.spi.SourceProperty;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlDialect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The base of every JDBC source adapter. A subclass names its type, its settings and its
 * dialect, and overrides the few catalog queries its database answers differently;
 * pooling, metadata caching, statistics and type mapping are shared
 * (the Trino BaseJdbcClient idea).
 */
public abstract class JdbcSourceAdapter implements SourceAdapter {

  /** The {@code url} setting of server databases. */
  protected static final SourceProperty URL =
      SourceProperty.required("url", SourceProperty.Type.STRING, "JDBC URL of the database");
  /** The {@code user} setting of server databases. */
  protected static final SourceProperty USER =
      SourceProperty.optional("user", SourceProperty.Type.STRING, "user to log in as");
  /** The {@code password} setting of server databases. */
  protected static final SourceProperty PASSWORD =
      SourceProperty.optional("password", SourceProperty.Type.SECRET, "password of user");
  /** The {@code pool-size} setting of pooled sources. */
  protected static final SourceProperty POOL_SIZE =
      SourceProperty.optional("pool-size", SourceProperty.Type.INTEGER, "8",
          "maximum pooled connections to the source");

  /** How long connecting to a server database may take before it counts as unreachable. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The {@code connect-timeout} setting of server databases. */
  protected static final SourceProperty CONNECT_TIMEOUT =
      SourceProperty.optional("connect-timeout", SourceProperty.Type.DURATION,
          DEFAULT_CONNECT_TIMEOUT.toSeconds() + "s",
          "how long opening a connection (network, TLS and login) may take");

  /**
   * How long a query waits at least for a pooled connection when all of the source's
   * connections are busy and {@code pool-connection-timeout} is not set; a source that
   * cannot be connected to fails sooner (after {@code connect-timeout}, or at once when
   * the failure cannot pass).
   */
  private static final Duration POOL_WAIT = Duration.ofSeconds(10);

  /** The {@code pool-connection-timeout} setting. */
  protected static final SourceProperty POOL_CONNECTION_TIMEOUT =
      SourceProperty.optional("pool-connection-timeout", SourceProperty.Type.DURATION,
          "how long a query waits for a free pooled connection (default: 10s, or"
              + " connect-timeout if longer; at least 250ms)");
  /** The {@code pool-idle-timeout} setting. */
  protected static final SourceProperty POOL_IDLE_TIMEOUT =
      SourceProperty.optional("pool-idle-timeout", SourceProperty.Type.DURATION, "2m",
          "an idle pooled connection is closed after this long (at least 10s, below"
              + " pool-max-lifetime)");
  /** The {@code pool-max-lifetime} setting. */
  protected static final SourceProperty POOL_MAX_LIFETIME =
      SourceProperty.optional("pool-max-lifetime", SourceProperty.Type.DURATION, "30m",
          "a pooled connection is replaced once it is this old, when not in use (at least"
              + " 30s)");

  /** Defaults of the pool settings, and HikariCP's floors (below which it would override). */
  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
  static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);
  private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
  private static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MIN_MAX_LIFETIME = Duration.ofSeconds(30);
  /** How long checking that a pooled connection is alive may take, at most. */
  private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(5);

  @Override public List<SourceProperty> properties() {
    return List.of(URL, USER, PASSWORD, POOL_SIZE, CONNECT_TIMEOUT, POOL_CONNECTION_TIMEOUT,
        POOL_IDLE_TIMEOUT, POOL_MAX_LIFETIME);
  }

  /**
   * Checks the pool settings against each other and against the bounds HikariCP would
   * otherwise silently replace: {@code pool-size} at least 1, {@code pool-connection-timeout}
   * at least 250ms, {@code pool-idle-timeout} at least 10s and below
   * {@code pool-max-lifetime}, which is at least 30s. A subclass adds its own checks to
   * these.
   */
  @Override public List<String> validate(SourceSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.values().get("pool-size") instanceof Number n
        && (n.longValue() < 1 || n.longValue() > 10_000)) {
      problems.add("key 'pool-size': expected a whole number from 1 to 10000, found " + n);
    }
    atLeast(spec, "pool-connection-timeout", MIN_CONNECTION_TIMEOUT, problems);
    atLeast(spec, "pool-idle-timeout", MIN_IDLE_TIMEOUT, problems);
    atLeast(spec, "pool-max-lifetime", MIN_MAX_LIFETIME, problems);
    Duration idle = spec.duration("pool-idle-timeout", DEFAULT_IDLE_TIMEOUT);
    Duration lifetime = spec.duration("pool-max-lifetime", DEFAULT_MAX_LIFETIME);
    if ((spec.values().containsKey("pool-idle-timeout")
        || spec.values().containsKey("pool-max-lifetime"))
        && idle.plusSeconds(1).compareTo(lifetime) > 0) {
      problems.add("key 'pool-idle-timeout': " + JdbcSource.readable(idle)
          + " must be at least 1 s below pool-max-lifetime (" + JdbcSource.readable(lifetime)
          + ")");
    }
    return problems;
  }

  private static void atLeast(SourceSpec spec, String key, Duration min,
      List<String> problems) {
    if (spec.values().get(key) instanceof Duration d && d.compareTo(min) < 0) {
      problems.add("key '" + key + "': expected at least " + JdbcSource.readable(min)
          + ", found " + JdbcSource.readable(d));
    }
  }

  @Override public final Source open(SourceSpec spec) {
    return new JdbcSource(this, spec);
  }

  /** The dialect Calcite generates this source's SQL in. */
  public abstract SqlDialect dialect();

  /** The JDBC driver class, loaded explicitly so a shaded jar needs no service file. */
  protected abstract String driverClassName();

  /** The JDBC URL to connect to. */
  protected String jdbcUrl(SourceSpec spec) {
    return spec.requiredString("url");
  }

  /**
   * Creates the pool. The default is a HikariCP pool that connects lazily; embedded
   * databases override it to share one database instance.
   */
  protected DataSource createDataSource(SourceSpec spec) {
    Duration connectTimeout = spec.duration("connect-timeout", DEFAULT_CONNECT_TIMEOUT);
    HikariConfig c = poolConfig(spec);
    Properties props = new Properties();
    props.putAll(defaultConnectionProperties());
    props.putAll(connectTimeoutProperties(connectTimeout));
    props.putAll(spec.connectionProperties());
    props.putAll(settingProperties(spec));
    props.putAll(forcedConnectionProperties());
    c.setDataSource(new SessionDataSource(new DriverDataSource(
        withoutOptions(jdbcUrl(spec), forcedConnectionProperties().keySet()),
        driverClassName(), props, spec.string("user").orElse(null),
        spec.secret("password").map(Secret::reveal).orElse(null)), this::prepareSession));
    c.setReadOnly(poolReadOnly());
    c.setAutoCommit(!streamingNeedsTransaction());
    return new HikariDataSource(c);
  }

  /**
   * The pool settings of a source, from its catalog keys: size, how long a query waits
   * for a connection, idle timeout, maximum lifetime and validation. The pool opens no
   * connection by itself and keeps none idle, so a source no query uses is never
   * connected to.
   */
  static HikariConfig poolConfig(SourceSpec spec) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("junction-" + spec.name());
    Duration connectTimeout = spec.duration("connect-timeout", DEFAULT_CONNECT_TIMEOUT);
    Object size = spec.values().get("pool-size");
    c.setMaximumPoolSize(size == null ? 8 : ((Number) size).intValue());
    c.setMinimumIdle(0);
    // The pool is created on first use and never connects by itself: JdbcSource opens the
    // first connection of an empty pool directly, so a failure is reported at once.
    c.setInitializationFailTimeout(-1);
    Duration wait = spec.duration("pool-connection-timeout",
        connectTimeout.compareTo(POOL_WAIT) > 0 ? connectTimeout : POOL_WAIT);
    c.setConnectionTimeout(wait.toMillis());
    // A connection idle for more than half a second is checked (Connection.isValid) before
    // it is lent, so one the database dropped (a restart) is replaced, not handed out.
    c.setValidationTimeout(Math.max(MIN_CONNECTION_TIMEOUT.toMillis(),
        Math.min(VALIDATION_TIMEOUT.toMillis(), wait.toMillis())));
    c.setIdleTimeout(spec.duration("pool-idle-timeout", DEFAULT_IDLE_TIMEOUT).toMillis());
    c.setMaxLifetime(spec.duration("pool-max-lifetime", DEFAULT_MAX_LIFETIME).toMillis());
    return c;
  }

  /**
   * Prepares each new connection to the source, before the pool hands it out and after
   * the driver applied the catalog's {@code properties}, so what it sets wins over them.
   * An adapter pins here the session settings its dialect's SQL relies on (how string
   * literals are read) and makes the session read-only, so that neither a catalog setting
   * nor a {@code COMMIT} inside a statement can change them; throwing refuses the
   * connection. Runs in auto-commit mode. Does nothing by default.
   */
  protected void prepareSession(Connection c) throws SQLException {
  }

  /**
   * {@code dataSource} with {@link #prepareSession} run on each connection it opens, for
   * adapters that override {@link #createDataSource} without a pool.
   */
  protected final DataSource preparingSessions(DataSource dataSource) {
    return new SessionDataSource(dataSource, this::prepareSession);
  }

  /**
   * Whether pooled connections are marked read-only through JDBC. Junction is read-only;
   * drivers that cannot switch an open connection (SQLite) enforce it when opening.
   */
  protected boolean poolReadOnly() {
    return true;
  }

  /**
   * Rows fetched per round trip. Statements are given this fetch size so large results
   * stream instead of being buffered whole in memory by the driver.
   */
  protected int fetchSize() {
    return 1_000;
  }

  /**
   * The size in bytes of each batch of a streamed result after the first, or 0 to fetch
   * {@link #fetchSize()} rows throughout. With a size, the first row's estimated width sets
   * the fetch size of the later batches (at least {@link #fetchSize()} rows), for drivers
   * that honour {@link java.sql.ResultSet#setFetchSize} while a result is read and hold
   * each batch whole in memory, which this bounds.
   */
  protected long fetchBytes() {
    return 0;
  }

  /**
   * How a running statement of this source is stopped. The JDBC way,
   * {@link java.sql.Statement#cancel()}, by default; a driver that sends only one cancel
   * per execution, which the database can lose, overrides it with a way that re-sends.
   */
  protected QueryScope.Canceller canceller() {
    return QueryScope.Canceller.JDBC;
  }

  /**
   * Sets a timeout of {@code seconds} in the source's own session for the statement about
   * to run on {@code c}, so the database ends it by itself even when a cancel is lost.
   * Called before every remote statement that has a query timeout (the caller's
   * {@code setQueryTimeout} or the {@code query-timeout} limit). Nothing by default: the
   * driver's own {@code setQueryTimeout} stands (MariaDB Connector/J already sends
   * {@code SET STATEMENT max_statement_time=N FOR ...}). What is set must not outlive
   * the statement's transaction or be reset here, since the connection is pooled.
   */
  protected void statementTimeout(Connection c, int seconds) throws SQLException {
  }

  /**
   * Runs just before a remote statement is sent, on the driver's own statement, with the
   * id of the Junction query it serves ({@link QueryScope#queryId}, null when the driver
   * gave none); called only for
   * statements that run inside a query's scope, after {@link #statementTimeout}. A source
   * that keeps a label with each query in its history (Snowflake's QUERY_TAG) sets it here,
   * for this statement only, so an operator can find the remote queries of one Junction
   * query. What is set must not outlive the statement: the connection is pooled. Nothing
   * by default.
   */
  protected void beforeExecute(Statement statement, String queryId) throws SQLException {
  }

  /**
   * Whether the driver streams only inside a transaction (PostgreSQL: a fetch size is
   * ignored in auto-commit mode). Such pools hand out connections with auto-commit off;
   * the pool rolls back on return, which for read-only work ends the transaction.
   */
  protected boolean streamingNeedsTransaction() {
    return false;
  }

  /**
   * The vendor driver's properties that bound opening a connection (socket connect, TLS
   * handshake and login) by {@code timeout}; applied before the user's {@code properties}
   * and the URL's options, which win. Nothing by default (embedded databases).
   */
  protected Map<String, String> connectTimeoutProperties(Duration timeout) {
    return Map.of();
  }

  /**
   * Where the source's database is, for messages: {@code host:port} of a server (read
   * from the URL, never with the credentials a URL may carry), or the file of an
   * embedded database.
   */
  protected String location(SourceSpec spec) {
    return hostAndPort(jdbcUrl(spec), defaultPort());
  }

  /** The port a server database listens on when its URL names none; -1 if none. */
  protected int defaultPort() {
    return -1;
  }

  /** Whether the database is a file opened in this process (no host, no login). */
  protected boolean embedded() {
    return false;
  }

  /**
   * The {@code host:port} part of a JDBC URL such as {@code jdbc:postgresql://h:5432/db}:
   * the text between {@code //} and the next {@code /}, {@code ?} or {@code ;}, without
   * any {@code user:password@}, and with {@code defaultPort} added to a host that has
   * none. A URL without {@code //} ({@code jdbc:postgresql:db}) means the local host.
   */
  static String hostAndPort(String url, int defaultPort) {
    int slashes = url.indexOf("//");
    String hosts;
    if (slashes < 0) {
      hosts = "localhost";
    } else {
      int end = url.length();
      for (char stop : new char[] {'/', '?', ';'}) {
        int i = url.indexOf(stop, slashes + 2);
        if (i >= 0 && i < end) {
          end = i;
        }
      }
      hosts = url.substring(slashes + 2, end);
      int at = hosts.lastIndexOf('@');
      if (at >= 0) {
        hosts = hosts.substring(at + 1);
      }
      if (hosts.isEmpty()) {
        hosts = "localhost";
      }
    }
    if (defaultPort < 0) {
      return hosts;
    }
    List<String> withPorts = new ArrayList<>();
    for (String host : hosts.split(",")) {
      boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
      withPorts.add(hasPort ? host : host + ":" + defaultPort);
    }
    return String.join(",", withPorts);
  }

  /**
   * Vendor driver properties that carry the source's own catalog settings (Snowflake's
   * warehouse, role and key file), applied after the user's {@code properties}, so a typed
   * setting wins over a free-form one. Nothing by default.
   */
  protected Map<String, String> settingProperties(SourceSpec spec) {
    return Map.of();
  }

  /** Vendor driver properties applied before the user's {@code properties}. */
  protected Map<String, String> defaultConnectionProperties() {
    return Map.of();
  }

  /**
   * Vendor driver properties applied after the user's {@code properties} and taken out of
   * the URL ({@link #withoutOptions}), so they override both: driver features Junction's
   * safety relies on being off (several statements in one string, reading client files).
   */
  protected Map<String, String> forcedConnectionProperties() {
    return Map.of();
  }

  /**
   * {@code url} without the query-string options named in {@code keys} (compared without
   * case). Drivers let an option in the URL win over the same property (MariaDB
   * Connector/J does), so a forced property is only forced once the URL no longer
   * names it.
   */
  static String withoutOptions(String url, Set<String> keys) {
    int q = url.indexOf('?');
    if (q < 0 || keys.isEmpty()) {
      return url;
    }
    Set<String> banned = new HashSet<>();
    keys.forEach(k -> banned.add(k.toLowerCase(Locale.ROOT)));
    List<String> kept = new ArrayList<>();
    for (String option : url.substring(q + 1).split("&")) {
      if (!option.isEmpty()
          && !banned.contains(option.split("=", 2)[0].toLowerCase(Locale.ROOT))) {
        kept.add(option);
      }
    }
    return url.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  /**
   * What EXPLAIN shows besides a statement's SQL: the source's own estimate of what running
   * it costs (BigQuery: the bytes a dry run says it scans), or null for nothing, the
   * default. Called only while printing EXPLAIN; must not throw.
   *
   * @param pool the source's data source ({@link #createDataSource})
   * @param sql the statement, on one line, correlated keys as {@code ?}
   */
  protected String explainEstimate(DataSource pool, String sql) {
    return null;
  }

  /**
   * The rows the source's own planner expects {@code sql} to return, or null when it cannot
   * say, the default. Asked, once per plan, only for a statement that ends in a sort or
   * aggregate and that Junction estimates too large to fetch in one piece, and only when
   * it has no parameters: Junction's estimate of a whole query with subqueries (a filter
   * over a cross join) is often far off (TPC-H Q15: 337,821 rows for 1). Must not throw.
   *
   * @param pool the source's data source ({@link #createDataSource})
   * @param sql the statement as the source receives it
   */
  protected Double estimatedRows(DataSource pool, String sql) {
    return null;
  }

  /** Closes a pool created by {@link #createDataSource}. */
  protected void closeDataSource(DataSource dataSource) {
    if (dataSource instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing pool", e);
      }
    }
  }

  /** The remote schemas to expose, before include/exclude patterns. */
  protected List<String> listSchemas(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getSchemas()) {
      while (rs.next()) {
        String s = rs.getString("TABLE_SCHEM");
        if (!isSystemSchema(s)) {
          names.add(s);
        }
      }
    }
    return names;
  }

  /** Whether a schema holds the database's own catalog and is hidden by default. */
  protected boolean isSystemSchema(String schema) {
    return schema.equalsIgnoreCase("information_schema");
  }

  /** A cheap statement that proves the source answers. */
  protected String checkQuery() {
    return "SELECT 1";
  }

  /**
   * The exposed schema name of a catalog/schema pair found in key metadata; the inverse
   * of {@link #scope}.
   */
  protected String exposedSchema(String catalog, String schema) {
    return schema;
  }

  /** Where an exposed schema lives for metadata calls and generated SQL. */
  protected RemoteScope scope(String schema) {
    return new RemoteScope(null, schema);
  }

  /** Table types listed; views are included. */
  protected String[] tableTypes() {
    return new String[] {"TABLE", "VIEW", "BASE TABLE", "MATERIALIZED VIEW", "FOREIGN TABLE",
        "PARTITIONED TABLE"};
  }

  /**
   * Row-count estimates for all tables of a schema from the source's own statistics,
   * keyed by table name. Missing tables fall back to {@link #rowCount}.
   */
  protected Map<String, Long> rowCounts(Connection c, String schema) throws SQLException {
    return Map.of();
  }

  /** What a catalog query does with each row of its result ({@link #forEachRow}). */
  @FunctionalInterface
  protected interface RowReader {
    /** Reads the current row of {@code rs}. */
    void read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs a catalog query on {@code c} with {@code params} bound as strings, in order, and
   * hands each row of its result to {@code reader}: the statistics queries of the
   * adapters ({@link #columnStatistics}, {@link #distinctValues}).
   */
  protected static void forEachRow(Connection c, String sql, RowReader reader,
      String... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    }
  }

  /**
   * The row counts a catalog query gives, for {@link #rowCounts}: {@code sql} takes the
   * schema as its one parameter and returns table names and counts; a NULL count is -1
   * (no estimate).
   */
  protected static Map<String, Long> rowCountsByQuery(Connection c, String sql, String schema)
      throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long n = rs.getLong(2);
          counts.put(rs.getString(1), rs.wasNull() ? -1L : n);
        }
      }
    }
    return counts;
  }

  /** A row-count estimate of one table when {@link #rowCounts} had none. */
  protected OptionalLong rowCount(Connection c, String schema, String table)
      throws SQLException {
    return OptionalLong.empty();
  }

  /**
   * The statistics the source keeps on the columns of {@code schema.table} ({@code rows} is
   * the table's estimated row count, or -1 when unknown), cached for the metadata TTL. Only
   * {@link #distinctValues} by default; a source whose catalog also keeps histograms
   * overrides this to read both with one query.
   */
  protected TableStatistics columnStatistics(Connection c, String schema, String table,
      double rows) throws SQLException {
    return new TableStatistics(distinctValues(c, schema, table, rows), Map.of());
  }

  /**
   * The estimated distinct values of the columns of {@code schema.table} the source keeps
   * statistics for, by column name ({@code rows} is the table's estimated row count, or -1
   * when unknown), for the default {@link #columnStatistics}. Empty by default: the planner
   * then guesses, as Calcite does.
   */
  protected Map<String, Double> distinctValues(Connection c, String schema, String table,
      double rows) throws SQLException {
    return Map.of();
  }

  /** The Calcite type of a column; override to refine {@link TypeMapping} for a type. */
  protected RelDataType mapType(RelDataTypeFactory typeFactory, ColumnSpec column) {
    return TypeMapping.map(typeFactory, column);
  }

  /** Reads the column list of a table. */
  protected List<ColumnSpec> columns(DatabaseMetaData md, RemoteScope scope, String table)
      throws SQLException {
    List<ColumnSpec> columns = new ArrayList<>();
    try (ResultSet rs = md.getColumns(scope.catalog(), escape(md, scope.schema()),
        escape(md, table), null)) {
      while (rs.next()) {
        String def = optional(rs, "COLUMN_DEF");
        columns.add(new ColumnSpec(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
            rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"),
            rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
            rs.getString("REMARKS"), def,
            "YES".equalsIgnoreCase(optional(rs, "IS_AUTOINCREMENT")) || isSequence(def),
            "YES".equalsIgnoreCase(optional(rs, "IS_GENERATEDCOLUMN"))));
      }
    }
    return columns;
  }

  /** A getColumns column that JDBC 4 added and an older driver may not return. */
  private static String optional(ResultSet rs, String column) {
    try {
      return rs.getString(column);
    } catch (SQLException e) {
      return null;
    }
  }

  /** A default that draws from a sequence, as DuckDB reports numbered columns. */
  private static boolean isSequence(String defaultValue) {
    return defaultValue != null
        && defaultValue.strip().toLowerCase(java.util.Locale.ROOT).startsWith("nextval(");
  }

  /** Escapes LIKE wildcards so a metadata pattern matches exactly one name. */
  protected static String escape(DatabaseMetaData md, String name) throws SQLException {
    if (name == null) {
      return null;
    }
    String esc = md.getSearchStringEscape();
    if (esc == null || esc.isEmpty()) {
      return name;
    }
    return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
  }
}
