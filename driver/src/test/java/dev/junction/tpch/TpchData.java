package dev.junction.tpch;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchColumnType;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * TPC-H tables made once in memory by the pure-Java generator, and loaded into
 * PostgreSQL, MariaDB or DuckDB with the TPC-H column types.
 *
 * <p>Types follow the TPC-H specification: identifiers are BIGINT, the few counts
 * (line number, size, available quantity, ship priority) INTEGER, every money,
 * quantity, discount and tax DECIMAL(15,2), dates DATE, and text CHAR(n) where the
 * specification says fixed length and VARCHAR(n) elsewhere. The generator hands out
 * money as a double of whole cents, so rounding to scale 2 gives the exact value.
 */
public final class TpchData {
  private static final Logger LOG = LoggerFactory.getLogger(TpchData.class);
  private static final int BATCH_SIZE = 5_000;

  /** Columns the TPC-H specification declares fixed-length text. */
  private static final Set<String> CHAR_COLUMNS = Set.of("c_phone", "c_mktsegment",
      "o_orderstatus", "o_orderpriority", "o_clerk", "l_returnflag", "l_linestatus",
      "l_shipinstruct", "l_shipmode", "p_mfgr", "p_brand", "p_container", "s_name",
      "s_phone", "n_name", "r_name");

  private static final Map<String, List<String>> PRIMARY_KEYS = Map.of(
      "region", List.of("r_regionkey"),
      "nation", List.of("n_nationkey"),
      "part", List.of("p_partkey"),
      "supplier", List.of("s_suppkey"),
      "partsupp", List.of("ps_partkey", "ps_suppkey"),
      "customer", List.of("c_custkey"),
      "orders", List.of("o_orderkey"),
      "lineitem", List.of("l_orderkey", "l_linenumber"));

  /** The database a table is loaded into; decides the load path and statistics call. */
  public enum Dialect { POSTGRESQL, MARIADB, DUCKDB }

  /** How a column's values are held in memory and bound. */
  private enum Kind { BIGINT, INTEGER, DECIMAL, DATE, TEXT }

  /** One column of a generated table: its name, SQL type and in-memory kind. */
  private record Column(String name, String sqlType, Kind kind) {
  }

  /** One generated table: columns in TPC-H order and every row. */
  private record Table(String name, List<Column> columns, List<Object[]> rows) {
  }

  private final double scaleFactor;
  private final Map<String, Table> tables;

  private TpchData(double scaleFactor, Map<String, Table> tables) {
    this.scaleFactor = scaleFactor;
    this.tables = tables;
  }

  /** Generates all eight tables at {@code scaleFactor}. */
  public static TpchData generate(double scaleFactor) {
    long start = System.nanoTime();
    Map<String, Table> tables = new LinkedHashMap<>();
    for (TpchTable<?> table : TpchTable.getTables()) {
      tables.put(table.getTableName(), generate(table, scaleFactor));
    }
    LOG.info("Generated TPC-H SF {} in {} ms: {}", scaleFactor, millisSince(start),
        tables.values().stream().map(t -> t.name() + "=" + t.rows().size())
            .collect(Collectors.joining(", ")));
    return new TpchData(scaleFactor, Collections.unmodifiableMap(tables));
  }

  private static <E extends TpchEntity> Table generate(TpchTable<E> table, double scaleFactor) {
    List<TpchColumn<E>> tpchColumns = table.getColumns();
    List<Column> columns = new ArrayList<>();
    for (TpchColumn<E> c : tpchColumns) {
      columns.add(column(c.getColumnName(), c.getType()));
    }
    List<Object[]> rows = new ArrayList<>();
    for (E entity : table.createGenerator(scaleFactor, 1, 1)) {
      Object[] row = new Object[columns.size()];
      for (int i = 0; i < row.length; i++) {
        TpchColumn<E> c = tpchColumns.get(i);
        row[i] = switch (columns.get(i).kind()) {
          case BIGINT -> c.getIdentifier(entity);
          case INTEGER -> c.getInteger(entity);
          case DECIMAL -> BigDecimal.valueOf(c.getDouble(entity)).setScale(2, RoundingMode.HALF_UP);
          case DATE -> LocalDate.parse(c.getString(entity));
          case TEXT -> c.getString(entity);
        };
      }
      rows.add(row);
    }
    return new Table(table.getTableName(), List.copyOf(columns), List.copyOf(rows));
  }

  private static Column column(String name, TpchColumnType type) {
    return switch (type.getBase()) {
      case IDENTIFIER -> new Column(name, "BIGINT", Kind.BIGINT);
      case INTEGER -> new Column(name, "INTEGER", Kind.INTEGER);
      case DOUBLE -> new Column(name, "DECIMAL(15,2)", Kind.DECIMAL);
      case DATE -> new Column(name, "DATE", Kind.DATE);
      case VARCHAR -> {
        long length = type.getPrecision().orElseThrow();
        String sqlType = (CHAR_COLUMNS.contains(name) ? "CHAR(" : "VARCHAR(") + length + ")";
        yield new Column(name, sqlType, Kind.TEXT);
      }
    };
  }

  /** The scale factor the data was generated at. */
  double scaleFactor() {
    return scaleFactor;
  }

  /** Table names in generator order. */
  public Set<String> tableNames() {
    return tables.keySet();
  }

  /** Number of generated rows of a table. */
  public int rowCount(String table) {
    return table(table).rows().size();
  }

  /** The CREATE TABLE statement, the same text for all three databases. */
  String createTable(String table, String qualifiedName) {
    Table t = table(table);
    StringBuilder b = new StringBuilder("CREATE TABLE ").append(qualifiedName).append(" (");
    for (Column c : t.columns()) {
      b.append(c.name()).append(' ').append(c.sqlType()).append(" NOT NULL, ");
    }
    b.append("PRIMARY KEY (").append(String.join(", ", PRIMARY_KEYS.get(table))).append("))");
    return b.toString();
  }

  /**
   * Creates {@code table} as {@code qualifiedName} and loads every row in one
   * transaction: DuckDB through its appender, the others through batched inserts.
   * The connection is left in auto-commit mode.
   */
  public void load(Connection c, Dialect dialect, String table, String qualifiedName)
      throws SQLException {
    long start = System.nanoTime();
    try (Statement st = c.createStatement()) {
      st.execute(createTable(table, qualifiedName));
    }
    if (dialect == Dialect.DUCKDB) {
      appendToDuckDb(c.unwrap(DuckDBConnection.class), table(table), qualifiedName);
    } else {
      insertBatched(c, table(table), qualifiedName);
    }
    LOG.info("Loaded {} rows into {} {} in {} ms", rowCount(table), dialect, qualifiedName,
        millisSince(start));
  }

  /** Refreshes the optimizer statistics of loaded tables. */
  public static void analyze(Connection c, Dialect dialect, List<String> qualifiedNames)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      switch (dialect) {
        case POSTGRESQL -> {
          for (String name : qualifiedNames) {
            st.execute("ANALYZE " + name);
          }
        }
        case MARIADB -> st.execute("ANALYZE TABLE " + String.join(", ", qualifiedNames)
            + " PERSISTENT FOR ALL");
        case DUCKDB -> st.execute("ANALYZE");
      }
    }
  }

  private static void insertBatched(Connection c, Table t, String qualifiedName)
      throws SQLException {
    String sql = "INSERT INTO " + qualifiedName + " VALUES ("
        + String.join(", ", Collections.nCopies(t.columns().size(), "?")) + ")";
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int pending = 0;
      for (Object[] row : t.rows()) {
        for (int i = 0; i < row.length; i++) {
          bind(ps, i + 1, t.columns().get(i).kind(), row[i]);
        }
        ps.addBatch();
        if (++pending == BATCH_SIZE) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static void bind(PreparedStatement ps, int index, Kind kind, Object value)
      throws SQLException {
    switch (kind) {
      case BIGINT -> ps.setLong(index, (Long) value);
      case INTEGER -> ps.setInt(index, (Integer) value);
      case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) value);
      case DATE -> ps.setObject(index, value);
      case TEXT -> ps.setString(index, (String) value);
    }
  }

  private static void appendToDuckDb(DuckDBConnection c, Table t, String qualifiedName)
      throws SQLException {
    int dot = qualifiedName.lastIndexOf('.');
    String schema = dot < 0 ? "main" : qualifiedName.substring(0, dot);
    String name = qualifiedName.substring(dot + 1);
    // An appender commits everything it holds when it is closed.
    try (DuckDBAppender appender = c.createAppender(schema, name)) {
      for (Object[] row : t.rows()) {
        appender.beginRow();
        for (int i = 0; i < row.length; i++) {
          switch (t.columns().get(i).kind()) {
            case BIGINT -> appender.append((long) (Long) row[i]);
            case INTEGER -> appender.append((int) (Integer) row[i]);
            case DECIMAL -> appender.append((BigDecimal) row[i]);
            case DATE -> appender.append((LocalDate) row[i]);
            case TEXT -> appender.append((String) row[i]);
          }
        }
        appender.endRow();
      }
    }
  }

  private Table table(String name) {
    Table t = tables.get(name);
    if (t == null) {
      throw new IllegalArgumentException("No TPC-H table " + name + "; tables are "
          + tables.keySet());
    }
    return t;
  }

  public static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
