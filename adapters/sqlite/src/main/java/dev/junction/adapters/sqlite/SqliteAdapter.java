package dev.junction.adapters.sqlite;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.JdbcSourceAdapter;
import dev.junction.adapters.jdbc.RemoteScope;
import dev.junction.spi.SourceProperty;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlDialect;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;
import java.util.OptionalLong;

/**
 * SQLite sources. A SQLite file has one schema, shown as {@code main}. Files are opened
 * read-only by default. SQLite keeps no row-count statistics, so a table's count is read
 * with {@code COUNT(*)} the first time the planner needs it, then cached with the
 * metadata.
 */
public final class SqliteAdapter extends JdbcSourceAdapter {
  private static final SourceProperty PATH = SourceProperty.required("path",
      SourceProperty.Type.PATH, "database file");
  private static final SourceProperty READ_ONLY = SourceProperty.optional("read-only",
      SourceProperty.Type.BOOLEAN, "true", "open the database file read-only");

  @Override public String type() {
    return "sqlite";
  }

  @Override public List<SourceProperty> properties() {
    return List.of(PATH, READ_ONLY, POOL_SIZE);
  }

  @Override public SqlDialect dialect() {
    return SqliteDialect.INSTANCE;
  }

  @Override protected String driverClassName() {
    return "org.sqlite.JDBC";
  }

  @Override protected String location(SourceSpec spec) {
    return spec.requiredString("path");
  }

  @Override protected boolean embedded() {
    return true;
  }

  @Override protected String jdbcUrl(SourceSpec spec) {
    return "jdbc:sqlite:" + spec.requiredString("path");
  }

  /**
   * SQLite is an in-process file, so connections are cheap and not pooled; read-only
   * must be set when a connection opens (sqlite-jdbc refuses to change it later, which
   * a pool does on every checkout). The catalog's {@code properties} cannot reopen a
   * read-only file for writing nor enable extension loading: those two are applied last.
   */
  @Override protected DataSource createDataSource(SourceSpec spec) {
    SQLiteConfig config = new SQLiteConfig();
    config.setDateClass("TEXT");
    // SQLite's LIKE ignores the case of ASCII letters by default; Junction's is exact.
    config.enableCaseSensitiveLike(true);
    Properties props = config.toProperties();
    props.putAll(spec.connectionProperties());
    SQLiteConfig pinned = new SQLiteConfig(props);
    pinned.setReadOnly(spec.bool("read-only", true));
    pinned.enableLoadExtension(false);
    SQLiteDataSource ds = new SQLiteDataSource(pinned);
    ds.setUrl(jdbcUrl(spec));
    return preparingSessions(ds);
  }

  /**
   * Every connection is query-only ({@code PRAGMA query_only}), so even a file opened
   * read-write ({@code read-only: false}) takes no change through Junction.
   */
  @Override protected void prepareSession(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA query_only = ON");
    }
  }

  /**
   * SQLite has no BOOLEAN, DATE or TIMESTAMP storage class, and sqlite-jdbc reports such
   * columns as INTEGER and VARCHAR. Junction types them by their declared type instead,
   * so {@code WHERE active}, date comparisons and EXTRACT work as on other sources; the
   * values are 0/1 and ISO-8601 text ({@code 2024-03-01}, {@code 2024-03-01 12:00:00}),
   * which compare correctly as text, and {@link SqliteDialect} writes literals and date
   * functions in that form. sqlite-jdbc reports BLOB as VARCHAR: it is binary. A
   * declared FLOAT or FLOAT4 is REAL, as for the sources where it is 4 bytes (SQLite
   * stores 8).
   */
  @Override protected RelDataType mapType(RelDataTypeFactory typeFactory, ColumnSpec column) {
    String declared = column.typeName() == null ? ""
        : column.typeName().trim().toUpperCase(Locale.ROOT);
    int jdbcType = switch (declared) {
      case "BOOLEAN", "BOOL" -> Types.BOOLEAN;
      case "DATE" -> Types.DATE;
      case "DATETIME", "TIMESTAMP" -> Types.TIMESTAMP;
      case "BLOB" -> Types.BLOB;
      case "FLOAT", "FLOAT4" -> Types.REAL;
      default -> column.jdbcType();
    };
    return super.mapType(typeFactory, new ColumnSpec(column.name(), jdbcType,
        column.typeName(), column.size(), column.scale(), column.nullable(),
        column.remarks()));
  }

  @Override protected List<String> listSchemas(Connection c) {
    return List.of("main");
  }

  @Override protected RemoteScope scope(String schema) {
    return new RemoteScope(null, null);
  }

  @Override protected String exposedSchema(String catalog, String schema) {
    return "main";
  }

  @Override protected OptionalLong rowCount(Connection c, String schema, String table)
      throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \""
             + table.replace("\"", "\"\"") + "\"")) {
      return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
    }
  }
}
