package dev.junction.adapters.postgresql;

import dev.junction.adapters.jdbc.JdbcSourceAdapter;

import org.apache.calcite.sql.SqlDialect;

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
