package dev.junction.adapters.jdbc;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Keys;
import dev.junction.spi.Secret;
import dev.junction.spi.Source;
import dev.junction.spi.SourceSpec;
import dev.junction.spi.SourceStatus;

import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Schemas;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An opened JDBC source. It owns the pool (created on first use, so opening a catalog
 * makes no connection), the one Calcite convention shared by all of its schemas (so
 * joins between two schemas of one database are pushed down whole) and the metadata
 * caches, which expire after the source's metadata TTL or on {@link #refresh()}.
 */
final class JdbcSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSource.class);
  private static final Object KEY = new Object();
  private static final java.util.regex.Pattern PASSWORD_PARAMETER =
      java.util.regex.Pattern.compile("(?i)(password|pwd|passwd)=[^&;\\s]*");

  private final JdbcSourceAdapter adapter;
  private final SourceSpec spec;
  private final NamePatterns patterns;
  private final JdbcConvention convention;
  private final SourceSchema schema;
  private final Map<String, RemoteSchema> remoteSchemas = new ConcurrentHashMap<>();
  private volatile Cache<Object, List<String>> schemaNames;
  private volatile SourceDataSource dataSource;
  private volatile boolean closed;
  /** What the last connection or statement found; see {@link #status()}. */
  private volatile SourceStatus.Reachability reachability = SourceStatus.Reachability.UNKNOWN;
  private volatile Failure lastFailure;
  private final Clock clock = Clock.systemUTC();

  /** A failure to reach the source, as the query saw it. */
  private record Failure(String message, Instant at) {
  }

  JdbcSource(JdbcSourceAdapter adapter, SourceSpec spec) {
    this.adapter = adapter;
    this.spec = spec;
    this.patterns = new NamePatterns(spec.include(), spec.exclude());
    this.convention = new SourceConvention(adapter.dialect(),
        Schemas.subSchemaExpression(CalciteSchema.createRootSchema(false).plus(),
            spec.name(), null),
        spec.name(), sql -> adapter.explainEstimate(dataSource().pool(), sql),
        sql -> adapter.estimatedRows(dataSource().pool(), sql));
    this.schemaNames = newCache();
    this.schema = new SourceSchema(this);
  }

  @Override public String name() {
    return spec.name();
  }

  @Override public String type() {
    return spec.type();
  }

  @Override public Schema schema() {
    return schema;
  }

  JdbcSourceAdapter adapter() {
    return adapter;
  }

  JdbcConvention convention() {
    return convention;
  }

  NamePatterns patterns() {
    return patterns;
  }

  <K, V> Cache<K, V> newCache() {
    return Caffeine.newBuilder().expireAfterWrite(spec.metadataTtl()).build();
  }

  SourceDataSource dataSource() {
    SourceDataSource ds = dataSource;
    if (ds == null) {
      synchronized (this) {
        if (closed) {
          throw new JunctionException(ErrorCode.SOURCE_UNAVAILABLE,
              "source '" + name() + "' is closed");
        }
        ds = dataSource;
        if (ds == null) {
          ds = new SourceDataSource(name(), adapter.createDataSource(spec), adapter.fetchSize(),
              adapter.fetchBytes(), adapter.canceller(), this, adapter::statementTimeout,
              adapter::beforeExecute);
          dataSource = ds;
        }
      }
    }
    return ds;
  }

  List<String> schemaNames() {
    return schemaNames.get(KEY, k -> withConnection(c -> adapter.listSchemas(c).stream()
        .filter(patterns::schemaVisible).toList()));
  }

  RemoteSchema remoteSchema(String remote) {
    return remoteSchemas.computeIfAbsent(remote, r -> new RemoteSchema(this, r));
  }

  /** Runs a metadata read on a pooled connection, turning failures into user errors. */
  <T> T withMetadata(SqlFunction<DatabaseMetaData, T> f) {
    return withConnection(c -> f.apply(c.getMetaData()));
  }

  <T> T withConnection(SqlFunction<Connection, T> f) {
    try (Connection c = dataSource().pooled()) {
      reached();
      return f.apply(c);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  /** A connection to the source was obtained: it is up. */
  void reached() {
    if (reachability != SourceStatus.Reachability.UP) {
      reachability = SourceStatus.Reachability.UP;
    }
  }

  /** Records a failure to reach the source (a refused connect, a broken connection). */
  private JunctionException down(JunctionException e) {
    reachability = SourceStatus.Reachability.DOWN;
    lastFailure = new Failure(e.getMessage(), clock.instant());
    return e;
  }

  /**
   * The pool's counters and whether the source answered when last used; never connects.
   * Only a HikariCP pool has counters (embedded sources share one database in process).
   */
  @Override public SourceStatus status() {
    SourceDataSource ds = dataSource;
    Optional<SourceStatus.Pool> pool = Optional.empty();
    if (ds != null && ds.pool() instanceof HikariDataSource h) {
      HikariPoolMXBean m = h.getHikariPoolMXBean();
      pool = Optional.of(m == null
          ? new SourceStatus.Pool(0, 0, 0, 0, h.getMaximumPoolSize())
          : new SourceStatus.Pool(m.getActiveConnections(), m.getIdleConnections(),
              m.getThreadsAwaitingConnection(), m.getTotalConnections(),
              h.getMaximumPoolSize()));
    }
    Failure f = lastFailure;
    return new SourceStatus(name(), type(), pool, reachability,
        Optional.ofNullable(f).map(Failure::message), Optional.ofNullable(f).map(Failure::at));
  }

  /**
   * A source that cannot be reached or refused the login, as the user sees it: what
   * happened in plain words, naming the source, where it is ({@code host:port} or its
   * file) and what to check, classified {@link ErrorCode#SOURCE_UNAVAILABLE} (08001) or,
   * for a login that cannot succeed until the catalog or the database changes,
   * {@link ErrorCode#SOURCE_LOGIN_REJECTED} (08004). The driver's message follows where
   * it says more than the network did, redacted, with its SQLState and vendor code;
   * never the pool's wrapper.
   */
  JunctionException unavailable(SQLException e) {
    return down(describeUnavailable(e));
  }

  private JunctionException describeUnavailable(SQLException e) {
    String where = redact(adapter.location(spec));
    if (adapter.embedded()) {
      return failure(ErrorCode.SOURCE_UNAVAILABLE, "cannot open " + where, e,
          ". Check that the file is a " + type() + " database this process may read");
    }
    SourceErrors.ConnectFailure kind = SourceErrors.classifyConnectFailure(e);
    ErrorCode code = kind.code();
    String hostAndPort = ". Check the host and port in the source's url";
    return switch (kind) {
      case REFUSED -> plain(code, "is unreachable: nothing accepts connections at " + where
          + " (connection refused)", e, hostAndPort + ", and that the database is running");
      case NO_ANSWER -> plain(code, "is unreachable: no answer from " + where
          + " within its connect-timeout of " + readable(connectTimeout()), e, hostAndPort
          + ", and that no firewall drops the traffic; on a slow network raise connect-timeout");
      case UNKNOWN_HOST -> plain(code, "is unreachable: the host name of " + where
          + " does not resolve", e, ". Check the host name in the source's url");
      case NOT_THE_DATABASE -> plain(code, "is unreachable: something answered at " + where
          + ", but not as a " + type() + " server (a proxy, a firewall or another service)",
          e, hostAndPort);
      case TLS -> failure(code, "could not set up TLS with " + where, e,
          ". Check the TLS settings (ssl options) in the source's url or properties");
      case LOGIN_REJECTED -> failure(code, "refused the login at " + where, e,
          ". Check the source's user and password in the catalog");
      case NO_DATABASE -> failure(code, "refused the login at " + where, e,
          ". Check the database name in the source's url");
      case OTHER -> failure(code, "is unreachable at " + where, e,
          ". Check that the database is running and reachable there, and the source's"
              + " credentials in the catalog");
    };
  }

  private Duration connectTimeout() {
    return spec.duration("connect-timeout", JdbcSourceAdapter.DEFAULT_CONNECT_TIMEOUT);
  }

  /** A duration as people write it: {@code 5 s}, {@code 500 ms}. */
  static String readable(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /**
   * The exception for a failure whose kind says all: the driver's words (which may blame
   * TLS for a peer that never spoke the protocol) are left to the cause, only its
   * SQLState is shown.
   */
  private JunctionException plain(ErrorCode code, String what, SQLException e,
      String advice) {
    SQLException driver = SourceErrors.driverError(e);
    String state = driver.getSQLState() == null ? ""
        : " [SQLState " + driver.getSQLState() + "]";
    return new JunctionException(code,
        "source '" + name() + "' (" + type() + ") " + what + state + advice, redacted(e));
  }

  /**
   * A statement that failed while it ran in the source: classified by the driver's
   * SQLState (cancel and timeout, lost connection, data errors, anything else), redacted.
   */
  JunctionException queryFailed(SQLException e) {
    ErrorCode code = SourceErrors.classifyQueryFailure(e);
    JunctionException failed = failure(code, SourceErrors.verb(code), e,
        SourceErrors.advice(code));
    return code == ErrorCode.SOURCE_CONNECTION_LOST ? down(failed) : failed;
  }

  /**
   * The exception for a driver error. Its cause is a copy of the driver's exception with
   * the redacted message and the original stack trace: driver messages may echo a URL
   * or user with a password, and a cause's text ends up in logs and stack traces.
   */
  private JunctionException failure(ErrorCode code, String what, SQLException e,
      String advice) {
    String message = redact(SourceErrors.describe(e));
    return new JunctionException(code,
        "source '" + name() + "' (" + type() + ") " + what + ": " + message + advice,
        redacted(e));
  }

  /** A copy of the driver's exception with its message redacted and its stack trace. */
  private SQLException redacted(SQLException e) {
    SQLException driver = SourceErrors.driverError(e);
    SQLException cause = new SQLException(redact(String.valueOf(driver.getMessage())),
        driver.getSQLState(), driver.getErrorCode());
    cause.setStackTrace(driver.getStackTrace());
    return cause;
  }

  /**
   * Removes any secret of this source from a driver message: declared secrets, and
   * password parameters some drivers echo back from a URL.
   */
  String redact(String message) {
    String m = PASSWORD_PARAMETER.matcher(message).replaceAll("$1=****");
    for (Object v : spec.values().values()) {
      if (v instanceof Secret s && !s.reveal().isEmpty()) {
        m = m.replace(s.reveal(), "****");
      }
    }
    return m;
  }

  @Override public void check() {
    withConnection(c -> {
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(adapter.checkQuery())) {
        rs.next();
      }
      return null;
    });
  }

  @Override public void refresh() {
    schemaNames = newCache();
    remoteSchemas.clear();
  }

  private String exposedSchema(String catalog, String schemaName) {
    return adapter.exposedSchema(catalog, schemaName);
  }

  @Override public List<Keys.KeyColumn> primaryKeys(String schemaName, String table) {
    RemoteScope scope = adapter.scope(schemaName);
    return withMetadata(md -> {
      List<Keys.KeyColumn> keys = new ArrayList<>();
      try (ResultSet rs = md.getPrimaryKeys(scope.catalog(), scope.schema(), table)) {
        while (rs.next()) {
          keys.add(new Keys.KeyColumn(schemaName, table, rs.getString("COLUMN_NAME"),
              rs.getInt("KEY_SEQ"), rs.getString("PK_NAME")));
        }
      }
      keys.sort(java.util.Comparator.comparingInt(Keys.KeyColumn::sequence));
      return keys;
    });
  }

  @Override public List<Keys.ForeignKeyColumn> importedKeys(String schemaName, String table) {
    RemoteScope scope = adapter.scope(schemaName);
    return withMetadata(md -> {
      try (ResultSet rs = md.getImportedKeys(scope.catalog(), scope.schema(), table)) {
        return foreignKeys(rs);
      }
    });
  }

  @Override public List<Keys.ForeignKeyColumn> exportedKeys(String schemaName, String table) {
    RemoteScope scope = adapter.scope(schemaName);
    return withMetadata(md -> {
      try (ResultSet rs = md.getExportedKeys(scope.catalog(), scope.schema(), table)) {
        return foreignKeys(rs);
      }
    });
  }

  private List<Keys.ForeignKeyColumn> foreignKeys(ResultSet rs) throws SQLException {
    List<Keys.ForeignKeyColumn> keys = new ArrayList<>();
    while (rs.next()) {
      keys.add(new Keys.ForeignKeyColumn(
          exposedSchema(rs.getString("PKTABLE_CAT"), rs.getString("PKTABLE_SCHEM")),
          rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME"),
          exposedSchema(rs.getString("FKTABLE_CAT"), rs.getString("FKTABLE_SCHEM")),
          rs.getString("FKTABLE_NAME"), rs.getString("FKCOLUMN_NAME"),
          rs.getInt("KEY_SEQ"), rs.getInt("UPDATE_RULE"), rs.getInt("DELETE_RULE"),
          rs.getString("FK_NAME"), rs.getString("PK_NAME")));
    }
    return keys;
  }

  @Override public List<Keys.IndexColumn> indexes(String schemaName, String table,
      boolean uniqueOnly) {
    RemoteScope scope = adapter.scope(schemaName);
    return withMetadata(md -> {
      List<Keys.IndexColumn> result = new ArrayList<>();
      try (ResultSet rs = md.getIndexInfo(scope.catalog(), scope.schema(), table, uniqueOnly,
          true)) {
        while (rs.next()) {
          if (rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
            continue;
          }
          String asc = rs.getString("ASC_OR_DESC");
          result.add(new Keys.IndexColumn(schemaName, table, rs.getBoolean("NON_UNIQUE"),
              rs.getString("INDEX_NAME"), rs.getShort("ORDINAL_POSITION"),
              rs.getString("COLUMN_NAME"), asc == null ? null : asc.equals("A")));
        }
      } catch (SQLException e) {
        LOG.debug("source {} has no index metadata: {}", name(), e.getMessage());
      }
      return result;
    });
  }

  @Override public String columnRemarks(String schemaName, String table, String column) {
    RemoteTable t = remoteSchema(schemaName).table(table);
    if (t == null) {
      return null;
    }
    return t.columns().stream().filter(c -> c.name().equals(column)).findFirst()
        .map(ColumnSpec::remarks).orElse(null);
  }

  @Override public Keys.ColumnDefault columnDefault(String schemaName, String table,
      String column) {
    RemoteTable t = remoteSchema(schemaName).table(table);
    if (t == null) {
      return null;
    }
    return t.columns().stream().filter(c -> c.name().equals(column)).findFirst()
        .map(c -> new Keys.ColumnDefault(c.defaultValue(), c.autoIncrement(), c.generated()))
        .orElse(null);
  }

  @Override public String tableRemarks(String schemaName, String table) {
    return remoteSchema(schemaName).remarks(table);
  }

  @Override public synchronized void close() {
    closed = true;
    if (dataSource != null) {
      adapter.closeDataSource(dataSource.pool());
      dataSource = null;
    }
  }

  @Override public String toString() {
    return "JdbcSource{" + name() + ", " + type() + "}";
  }

  /** A function that may throw {@link SQLException}. */
  @FunctionalInterface
  interface SqlFunction<A, R> {
    R apply(A a) throws SQLException;
  }
}
