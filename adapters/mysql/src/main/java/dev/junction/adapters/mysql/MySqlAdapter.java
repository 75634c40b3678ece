package dev.junction.adapters.mysql;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.JdbcSourceAdapter;
import dev.junction.adapters.jdbc.RemoteScope;
import dev.junction.adapters.jdbc.TypeMapping;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MySQL and MariaDB sources (type {@code mysql}, or {@code mariadb} as an alias is not
 * offered: one type, one behaviour). MySQL calls its databases catalogs; Junction shows
 * them as schemas, so a table is {@code source.database.table}. Row counts come from
 * {@code information_schema.tables}, distinct counts from MariaDB's engine-independent
 * statistics or the indexes' cardinalities. Each connection is pinned to the SQL mode and
 * character set {@link MySqlDialect}'s string literals rely on, and is read-only.
 */
public final class MySqlAdapter extends JdbcSourceAdapter {
  /**
   * Driver options Junction's safety relies on, over the catalog's URL and properties.
   * Connector/J asks the server for multi-statement strings when either
   * {@code allowMultiQueries} or {@code rewriteBatchedStatements} is on.
   */
  private static final Map<String, String> FORCED = Map.of("allowMultiQueries", "false",
      "rewriteBatchedStatements", "false", "allowLocalInfile", "false");
  private static final Set<String> SYSTEM =
      Set.of("information_schema", "mysql", "performance_schema", "sys");

  /**
   * The SQL mode every session runs in: MariaDB 10.11's default without
   * {@code NO_AUTO_CREATE_USER}, which MySQL 8 no longer has. It leaves out what would
   * change how the generated SQL reads: {@code NO_BACKSLASH_ESCAPES} (the dialect escapes
   * {@code \} in strings), {@code ANSI_QUOTES}, {@code PIPES_AS_CONCAT},
   * {@code HIGH_NOT_PRECEDENCE}, {@code EMPTY_STRING_IS_NULL}, {@code ORACLE} and the like.
   */
  static final String SQL_MODE = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
      + "NO_ENGINE_SUBSTITUTION";

  @Override public String type() {
    return "mysql";
  }

  /**
   * Pins, over the server's defaults and whatever the catalog's {@code properties} (say
   * {@code sessionVariables}) or URL set: {@link #SQL_MODE}; utf8mb4 as the client
   * character set, the one the driver encodes in (in a multi-byte set such as GBK or SJIS
   * a byte before the dialect's escaping {@code \} can swallow it); and read-only
   * transactions, which {@code COMMIT} does not end.
   */
  @Override protected void prepareSession(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      if (!"utf8mb4".equals(sessionValue(st, "character_set_client"))
          || !"utf8mb4".equals(sessionValue(st, "character_set_connection"))) {
        st.execute("SET NAMES utf8mb4");
      }
      st.execute("SET SESSION sql_mode = '" + SQL_MODE + "'");
      st.execute("SET SESSION TRANSACTION READ ONLY");
      String mode = sessionValue(st, "sql_mode");
      String charset = sessionValue(st, "character_set_client");
      if (!SQL_MODE.equals(mode) || !"utf8mb4".equals(charset)) {
        throw new SQLException("the session did not take sql_mode '" + SQL_MODE
            + "' and character set utf8mb4 (it has '" + mode + "', " + charset + ")", "HY000");
      }
    }
  }

  private static String sessionValue(Statement st, String variable) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT @@SESSION." + variable)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override public SqlDialect dialect() {
    return MySqlDialect.INSTANCE;
  }

  @Override protected String driverClassName() {
    return "org.mariadb.jdbc.Driver";
  }

  /** The catalog's URL for MariaDB Connector/J, which also reads {@code jdbc:mysql:}. */
  @Override protected String jdbcUrl(dev.junction.spi.SourceSpec spec) {
    String url = spec.requiredString("url");
    return url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length())
        : url;
  }

  @Override protected Map<String, String> defaultConnectionProperties() {
    return Map.of("connectionAttributes", "program_name:junction");
  }

  /** The MariaDB driver's {@code connectTimeout} bounds the connect and the handshake. */
  @Override protected Map<String, String> connectTimeoutProperties(Duration timeout) {
    return Map.of("connectTimeout", Long.toString(timeout.toMillis()));
  }

  @Override protected int defaultPort() {
    return 3306;
  }

  /**
   * One statement per string and no client file reads, whatever the URL says: a string
   * Junction sends can never carry a second statement or read the server's local files.
   */
  @Override protected Map<String, String> forcedConnectionProperties() {
    return FORCED;
  }

  @Override public List<String> validate(dev.junction.spi.SourceSpec spec) {
    List<String> problems = new ArrayList<>();
    String url = spec.string("url").orElse("");
    if (!url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:")) {
      problems.add("key 'url': expected a jdbc:mariadb: or jdbc:mysql: URL");
    }
    problems.addAll(super.validate(spec));
    return problems;
  }

  @Override protected List<String> listSchemas(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getCatalogs()) {
      while (rs.next()) {
        String s = rs.getString("TABLE_CAT");
        if (!isSystemSchema(s)) {
          names.add(s);
        }
      }
    }
    return names;
  }

  @Override protected boolean isSystemSchema(String schema) {
    return SYSTEM.contains(schema.toLowerCase(Locale.ROOT));
  }

  @Override protected RemoteScope scope(String schema) {
    return new RemoteScope(schema, null);
  }

  @Override protected String exposedSchema(String catalog, String schema) {
    return catalog;
  }

  /**
   * FLOAT is 4 bytes (JDBC's FLOAT is a double) and the BLOB types are binary. CHAR
   * columns map to VARCHAR: MySQL and MariaDB return CHAR values without their
   * trailing spaces, so treating them as padded CHAR would make comparisons evaluated
   * by Junction (rather than pushed down) miss rows that MySQL itself matches.
   */
  @Override protected RelDataType mapType(RelDataTypeFactory typeFactory, ColumnSpec column) {
    RelDataType own = switch (TypeMapping.typeName(column)) {
      case "float", "float4" -> typeFactory.createSqlType(SqlTypeName.REAL);
      case "blob", "longblob", "mediumblob", "tinyblob" ->
          typeFactory.createSqlType(SqlTypeName.VARBINARY);
      default -> null;
    };
    if (own != null) {
      return typeFactory.createTypeWithNullability(own, column.nullable());
    }
    RelDataType type = super.mapType(typeFactory, column);
    if (type.getSqlTypeName() == SqlTypeName.CHAR) {
      return typeFactory.createTypeWithNullability(
          typeFactory.createSqlType(SqlTypeName.VARCHAR, type.getPrecision()), type.isNullable());
    }
    return type;
  }

  /**
   * MariaDB's engine-independent statistics ({@code mysql.column_stats}, filled by
   * {@code ANALYZE TABLE ... PERSISTENT FOR ALL}): the rows over {@code avg_frequency},
   * the average rows per value. A column without them (MySQL has no such table; a user
   * may not read it) takes the cardinality of an index it leads, which InnoDB estimates
   * from a sample of pages (within 2x at TPC-H SF 0.1: 50 supplier nations for 25).
   */
  @Override protected Map<String, Double> distinctValues(Connection c, String schema,
      String table, double rows) throws SQLException {
    Map<String, Double> values = new HashMap<>();
    if (rows > 0) {
      try {
        forEachRow(c, "SELECT column_name, avg_frequency FROM mysql.column_stats"
            + " WHERE db_name = ? AND table_name = ?", rs -> {
              double perValue = rs.getDouble(2);
              if (!rs.wasNull() && perValue >= 1) {
                values.put(rs.getString(1), Math.max(1, rows / perValue));
              }
            }, schema, table);
      } catch (SQLException absent) {
        // MySQL, or no grant on the mysql schema: the indexes below are what is known.
      }
    }
    forEachRow(c, "SELECT column_name, MAX(cardinality) FROM information_schema.statistics"
        + " WHERE table_schema = ? AND table_name = ? AND seq_in_index = 1"
        + " GROUP BY column_name", rs -> {
          double cardinality = rs.getDouble(2);
          if (!rs.wasNull() && cardinality >= 1) {
            values.putIfAbsent(rs.getString(1),
                rows > 0 ? Math.min(rows, cardinality) : cardinality);
          }
        }, schema, table);
    return values;
  }

  @Override protected Map<String, Long> rowCounts(Connection c, String schema)
      throws SQLException {
    return rowCountsByQuery(c, "SELECT table_name, table_rows"
        + " FROM information_schema.tables WHERE table_schema = ?",
        schema);
  }
}
