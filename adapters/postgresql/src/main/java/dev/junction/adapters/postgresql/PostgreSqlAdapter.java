package dev.junction.adapters.postgresql;

import dev.junction.adapters.jdbc.ColumnHistogram;
import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.JdbcSourceAdapter;
import dev.junction.adapters.jdbc.TableStatistics;
import dev.junction.adapters.jdbc.TypeMapping;
import dev.junction.spi.QueryScope;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.postgresql.PGConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * PostgreSQL sources. Row counts come from {@code pg_class.reltuples}, falling back to
 * the live-tuple counter for tables never analyzed. Each connection is pinned to
 * {@code standard_conforming_strings = on}, which {@link PostgreSqlDialect}'s string
 * literals rely on, and to read-only transactions.
 */
public final class PostgreSqlAdapter extends JdbcSourceAdapter {
  /** The estimated rows in a line of PostgreSQL's text EXPLAIN. */
  private static final Pattern EXPLAIN_ROWS = Pattern.compile(" rows=(\\d+) ");

  @Override public String type() {
    return "postgresql";
  }

  @Override public SqlDialect dialect() {
    return PostgreSqlDialect.INSTANCE;
  }

  @Override protected String driverClassName() {
    return "org.postgresql.Driver";
  }

  @Override protected Map<String, String> defaultConnectionProperties() {
    return Map.of("ApplicationName", "junction");
  }

  /**
   * pgjdbc's {@code connectTimeout} bounds the socket connect and {@code loginTimeout} the
   * whole login (TLS negotiation and authentication included), both in whole seconds.
   */
  @Override protected Map<String, String> connectTimeoutProperties(Duration timeout) {
    String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
    return Map.of("connectTimeout", seconds, "loginTimeout", seconds);
  }

  @Override protected int defaultPort() {
    return 5432;
  }

  /**
   * Sends PostgreSQL's cancel request on every call. pgjdbc's {@code Statement.cancel()}
   * sends one per execution, and PostgreSQL drops a cancel that arrives while the
   * backend reads the next message of an extended-protocol statement (between Parse and
   * Execute), although {@code pg_stat_activity} already shows it active: that one lost
   * cancel left queries running for good. The connection-level request can be repeated
   * until the statement ends; {@link dev.junction.spi.QueryScope} sends it only while
   * the statement is open, so it cannot reach the connection's next query.
   */
  @Override protected QueryScope.Canceller canceller() {
    return statement -> statement.getConnection().unwrap(PGConnection.class).cancelQuery();
  }

  /**
   * Pins what the dialect's SQL relies on, over the server's, role's or database's
   * defaults and the catalog's {@code options}: with {@code standard_conforming_strings}
   * off PostgreSQL reads {@code \'} inside {@code '...'} as a quote, and a literal ending
   * in a backslash would end later than Junction wrote it. Every transaction of the session
   * is read-only ({@code default_transaction_read_only}), so a smuggled {@code COMMIT}
   * would only start another read-only one.
   *
   * <p>Every statement with parameters is planned for the values bound
   * ({@code plan_cache_mode = force_custom_plan}). pgjdbc turns a statement used five times
   * on a connection into a named one, and PostgreSQL may then switch to a generic plan
   * made without the values. For a key-set join's {@code column = ANY(?)} that plan assumes
   * 10 keys: over a column without an index it compares each row with every key in turn
   * (1,000 keys against TPC-H SF 1 orders: 12.5 s, against 0.49 s planned for the array,
   * which PostgreSQL hashes). Statements without parameters are planned once either way.
   * (The setting exists from PostgreSQL 12.)
   */
  @Override protected void prepareSession(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET standard_conforming_strings = on");
      if (c.getMetaData().getDatabaseMajorVersion() >= 12) {
        st.execute("SET plan_cache_mode = force_custom_plan");
      }
      st.execute("SET default_transaction_read_only = on");
      st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
      try (ResultSet rs = st.executeQuery("SELECT current_setting('standard_conforming_strings'),"
          + " current_setting('default_transaction_read_only')")) {
        rs.next();
        if (!"on".equals(rs.getString(1)) || !"on".equals(rs.getString(2))) {
          throw new SQLException("the session did not take standard_conforming_strings = on"
              + " and default_transaction_read_only = on (it has " + rs.getString(1) + ", "
              + rs.getString(2) + ")", "55000");
        }
      }
    }
  }

  /**
   * {@code SET LOCAL statement_timeout}: PostgreSQL ends the statement by itself at the
   * deadline, even when pgjdbc's timer cancel is lost (see {@link #canceller()}). It lasts
   * until the transaction ends, which the pool's rollback does when the connection goes
   * back, so the next query on the connection never inherits it. Connections here run
   * with auto-commit off ({@link #streamingNeedsTransaction()}); one in auto-commit mode
   * (where {@code SET LOCAL} would do nothing) is left to pgjdbc's timer.
   */
  @Override protected void statementTimeout(Connection c, int seconds) throws SQLException {
    if (c.getAutoCommit()) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL statement_timeout = " + (seconds * 1000L));
    }
  }

  /**
   * Batches of about 4 MB after the first 1,000 rows: pgjdbc sends for the next batch only
   * when the last is read, and PostgreSQL waits idle in between, so TPC-H orders (150,000
   * rows of about 250 bytes) read 1,000 rows at a time spent a third of the time waiting for
   * batches to start. pgjdbc honours a result set's new fetch size from its next batch on.
   */
  @Override protected long fetchBytes() {
    return 4L << 20;
  }

  /**
   * The rows of the top node of PostgreSQL's {@code EXPLAIN} (no execution): what its
   * planner, with its statistics, expects. Null when the statement cannot be explained.
   */
  @Override protected Double estimatedRows(DataSource pool, String sql) {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
      Matcher m = rs.next() ? EXPLAIN_ROWS.matcher(rs.getString(1)) : null;
      return m != null && m.find() ? Double.valueOf(m.group(1)) : null;
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  @Override protected boolean streamingNeedsTransaction() {
    return true;
  }

  @Override protected boolean isSystemSchema(String schema) {
    String s = schema.toLowerCase(Locale.ROOT);
    return s.equals("information_schema") || s.equals("pg_catalog")
        || s.startsWith("pg_toast") || s.startsWith("pg_temp");
  }

  /** PostgreSQL's {@code float4} is a 4-byte REAL and {@code bytea} is binary. */
  @Override protected RelDataType mapType(RelDataTypeFactory typeFactory, ColumnSpec column) {
    RelDataType type = switch (TypeMapping.typeName(column)) {
      case "float", "float4" -> typeFactory.createSqlType(SqlTypeName.REAL);
      case "bytea" -> typeFactory.createSqlType(SqlTypeName.VARBINARY);
      default -> null;
    };
    return type == null ? super.mapType(typeFactory, column)
        : typeFactory.createTypeWithNullability(type, column.nullable());
  }

  @Override protected Map<String, Long> rowCounts(Connection c, String schema)
      throws SQLException {
    return rowCountsByQuery(c, "SELECT c.relname, CASE WHEN c.reltuples >= 0"
        + " THEN c.reltuples::bigint ELSE COALESCE(s.n_live_tup, -1) END"
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
        + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm', 'f')",
        schema);
  }

  /**
   * From {@code pg_stats}, which {@code ANALYZE} (or autovacuum) fills, in one query for
   * both: {@code n_distinct} is a count when positive, and minus the share of the rows when
   * negative (a column whose values grow with the table). Each numeric or date column's
   * most common values and histogram bounds are read as text, so one query serves every
   * type; a column whose values are not numbers or ISO dates has no histogram here.
   */
  @Override protected TableStatistics columnStatistics(Connection c, String schema,
      String table, double rows) throws SQLException {
    Map<String, Double> values = new HashMap<>();
    Map<String, ColumnHistogram> histograms = new HashMap<>();
    forEachRow(c, "SELECT attname, n_distinct, null_frac, most_common_vals::text,"
        + " most_common_freqs, histogram_bounds::text FROM pg_stats"
        + " WHERE schemaname = ? AND tablename = ? AND NOT inherited", rs -> {
          String column = rs.getString(1);
          double n = rs.getDouble(2);
          if (n > 0) {
            values.put(column, n);
          } else if (n < 0 && rows > 0) {
            values.put(column, Math.max(1, -n * rows));
          }
          double[] common = numbers(rs.getString(4));
          Array freqs = rs.getArray(5);
          double[] shares = freqs == null ? new double[0] : toDoubles(freqs);
          double[] bounds = numbers(rs.getString(6));
          if (common != null && bounds != null && common.length == shares.length
              && (bounds.length >= 2 || common.length > 0)) {
            histograms.put(column, new ColumnHistogram(common, shares, bounds, rs.getDouble(3)));
          }
        }, schema, table);
    return new TableStatistics(values, histograms);
  }

  /** A {@code pg_stats} array's elements as numbers (dates as days), empty for NULL. */
  private static double[] numbers(String array) {
    if (array == null) {
      return new double[0];
    }
    String body = array.substring(1, array.length() - 1);
    if (body.isEmpty()) {
      return new double[0];
    }
    String[] items = body.split(",");
    double[] values = new double[items.length];
    for (int i = 0; i < items.length; i++) {
      String item = items[i];
      try {
        values[i] = item.length() == 10 && item.charAt(4) == '-'
            ? LocalDate.parse(item).toEpochDay() : Double.parseDouble(item);
      } catch (RuntimeException e) {
        return null;
      }
    }
    return values;
  }

  private static double[] toDoubles(Array array) throws SQLException {
    Object[] values = (Object[]) array.getArray();
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = ((Number) values[i]).doubleValue();
    }
    return doubles;
  }
}
