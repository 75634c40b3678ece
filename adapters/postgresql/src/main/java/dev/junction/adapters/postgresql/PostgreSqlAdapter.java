package dev.junction.adapters.postgresql;

import dev.junction.adapters.jdbc.JdbcSourceAdapter;
import dev.junction.spi.QueryScope;

import org.apache.calcite.sql.SqlDialect;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL sources. Row counts come from {@code pg_class.reltuples}, falling back to
 * the live-tuple counter for tables never analyzed.
 */
public final class PostgreSqlAdapter extends JdbcSourceAdapter {

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

  @Override protected boolean streamingNeedsTransaction() {
    return true;
  }

  @Override protected boolean isSystemSchema(String schema) {
    String s = schema.toLowerCase(Locale.ROOT);
    return s.equals("information_schema") || s.equals("pg_catalog")
        || s.startsWith("pg_toast") || s.startsWith("pg_temp");
  }

  @Override protected Map<String, Long> rowCounts(Connection c, String schema)
      throws SQLException {
    String sql = "SELECT c.relname, CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint"
        + " ELSE COALESCE(s.n_live_tup, -1) END"
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
        + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm', 'f')";
    Map<String, Long> counts = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return counts;
  }
}
