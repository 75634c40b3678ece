package dev.junction.adapters.duckdb;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.JdbcSourceAdapter;
import dev.junction.adapters.jdbc.TypeMapping;
import dev.junction.spi.Decimals;
import dev.junction.spi.SourceProperty;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * DuckDB sources: a database file, or {@code :memory:} with every Parquet, CSV and JSON
 * file of a directory exposed as a table. Files are opened read-only by default, so
 * other processes can read the same file. Row counts come from {@code duckdb_tables()};
 * distinct counts from one {@code approx_count_distinct} pass over each table the planner
 * asks about (DuckDB keeps its own distinct statistics but does not expose them).
 */
public final class DuckDbAdapter extends JdbcSourceAdapter {
  private static final SourceProperty PATH = SourceProperty.required("path",
      SourceProperty.Type.PATH, "database file, or :memory:");
  private static final SourceProperty FILES = SourceProperty.optional("files",
      SourceProperty.Type.PATH, "directory whose *.parquet, *.csv and *.json files become tables");
  private static final SourceProperty READ_ONLY = SourceProperty.optional("read-only",
      SourceProperty.Type.BOOLEAN, "true", "open the database file read-only");

  @Override public String type() {
    return "duckdb";
  }

  @Override public List<SourceProperty> properties() {
    return List.of(PATH, FILES, READ_ONLY);
  }

  @Override public List<String> validate(SourceSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.string("files").isPresent() && !":memory:".equals(spec.string("path").orElse(""))
        && spec.bool("read-only", true)) {
      problems.add("key 'files': needs path ':memory:' or read-only: false, because the"
          + " views over the files are created inside the database");
    }
    return problems;
  }

  @Override public SqlDialect dialect() {
    return DuckDbDialect.INSTANCE;
  }

  @Override protected String driverClassName() {
    return "org.duckdb.DuckDBDriver";
  }

  @Override protected String location(SourceSpec spec) {
    return spec.requiredString("path");
  }

  @Override protected boolean embedded() {
    return true;
  }

  @Override protected DataSource createDataSource(SourceSpec spec) {
    try {
      Class.forName(driverClassName());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("DuckDB driver missing from the classpath", e);
    }
    Properties props = new Properties();
    // Stream results instead of materializing them whole before the first row; statements
    // that end in a grouping or sort, or are estimated small, borrow connections set not to
    // (DuckDbDialect#wholeResultSession).
    props.setProperty("jdbc_stream_results", "true");
    props.putAll(spec.connectionProperties());
    return new DuckDbDataSource(spec.name(), spec.requiredString("path"),
        spec.string("files").orElse(null), spec.bool("read-only", true), props);
  }

  /**
   * DuckDB's own types, which its driver reports by a code that misleads: unsigned
   * integers widen to the next signed type (UBIGINT to DECIMAL(20)), HUGEINT and UHUGEINT
   * are DECIMAL as wide as Junction's, FLOAT is 4 bytes (JDBC's FLOAT is a double) and
   * BLOB is binary.
   */
  @Override protected RelDataType mapType(RelDataTypeFactory typeFactory, ColumnSpec column) {
    RelDataType type = switch (TypeMapping.typeName(column)) {
      case "hugeint", "uhugeint" ->
          typeFactory.createSqlType(SqlTypeName.DECIMAL, Decimals.MAX_PRECISION, 0);
      case "ubigint" -> typeFactory.createSqlType(SqlTypeName.DECIMAL, 20, 0);
      case "uinteger" -> typeFactory.createSqlType(SqlTypeName.BIGINT);
      case "usmallint" -> typeFactory.createSqlType(SqlTypeName.INTEGER);
      case "utinyint" -> typeFactory.createSqlType(SqlTypeName.SMALLINT);
      case "float", "float4" -> typeFactory.createSqlType(SqlTypeName.REAL);
      case "blob" -> typeFactory.createSqlType(SqlTypeName.VARBINARY);
      default -> null;
    };
    return type == null ? super.mapType(typeFactory, column)
        : typeFactory.createTypeWithNullability(type, column.nullable());
  }

  @Override protected List<String> listSchemas(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT schema_name FROM duckdb_schemas()"
        + " WHERE database_name = current_database() ORDER BY 1");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (!isSystemSchema(rs.getString(1))) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  @Override protected boolean isSystemSchema(String schema) {
    return schema.equals("information_schema") || schema.equals("pg_catalog");
  }

  /**
   * Tables above this many rows are counted on a system sample of about
   * {@link #SAMPLE_ROWS} rows rather than whole, so the pass stays well under a second.
   */
  static final double SAMPLE_ABOVE = 4_000_000;
  static final double SAMPLE_ROWS = 1_000_000;

  /** The column types whose values {@code approx_count_distinct} counts cheaply. */
  private static final Pattern COUNTED_TYPE = Pattern.compile(
      "(BOOLEAN|U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DECIMAL\\(.*\\)|DOUBLE|FLOAT|REAL|DATE"
      + "|TIME|TIMESTAMP( WITH TIME ZONE)?|VARCHAR|UUID)");

  /**
   * One {@code approx_count_distinct} (HyperLogLog) pass over the table's scalar columns:
   * 40 ms for the 16 columns of TPC-H lineitem at SF 0.1 (600,572 rows, within 7% of the
   * exact counts). A table estimated above {@link #SAMPLE_ABOVE} rows is read on a system
   * sample instead, and a column whose sample is mostly distinct values is scaled to the
   * table (a key), the others taken as seen (every value of a low-cardinality column
   * shows up in a million rows). Views and files, whose size is unknown, get none.
   */
  @Override protected Map<String, Double> distinctValues(Connection c, String schema,
      String table, double rows) throws SQLException {
    if (rows <= 0) {
      return Map.of();
    }
    List<String> columns = new ArrayList<>();
    forEachRow(c, "SELECT column_name, data_type FROM duckdb_columns()"
        + " WHERE database_name = current_database() AND schema_name = ? AND table_name = ?"
        + " ORDER BY column_index", rs -> {
          if (COUNTED_TYPE.matcher(rs.getString(2)).matches()) {
            columns.add(rs.getString(1));
          }
        }, schema, table);
    if (columns.isEmpty()) {
      return Map.of();
    }
    SqlDialect dialect = dialect();
    StringBuilder sql = new StringBuilder("SELECT COUNT(*)");
    for (String column : columns) {
      sql.append(", approx_count_distinct(");
      dialect.quoteIdentifier(sql, column);
      sql.append(')');
    }
    sql.append(" FROM ");
    dialect.quoteIdentifier(sql, List.of(schema, table));
    boolean sampled = rows > SAMPLE_ABOVE;
    if (sampled) {
      sql.append(String.format(Locale.ROOT, " USING SAMPLE %.4f PERCENT (system)",
          100 * SAMPLE_ROWS / rows));
    }
    Map<String, Double> values = new HashMap<>();
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql.toString())) {
      if (!rs.next()) {
        return Map.of();
      }
      double read = rs.getLong(1);
      for (int i = 0; i < columns.size(); i++) {
        double distinct = rs.getLong(i + 2);
        if (sampled && read > 0 && distinct > 0.1 * read) {
          distinct = Math.min(rows, distinct * rows / read);
        }
        if (distinct >= 1) {
          values.put(columns.get(i), distinct);
        }
      }
    }
    return values;
  }

  @Override protected Map<String, Long> rowCounts(Connection c, String schema)
      throws SQLException {
    return rowCountsByQuery(c, "SELECT table_name, estimated_size"
        + " FROM duckdb_tables() WHERE schema_name = ? AND database_name = current_database()",
        schema);
  }
}
