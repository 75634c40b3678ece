package dev.junction.conformance;

import dev.junction.conformance.ConformanceData.ColumnType;
import dev.junction.conformance.ConformanceData.Table;
import dev.junction.testing.CatalogFile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The conformance battery on a DuckDB file; regions live in schema {@code b}. */
class DuckDbConformanceIT extends BaseConformanceIT {
  private static final Set<Behavior> BEHAVIORS = EnumSet.of(
      Behavior.PUSHDOWN_NOT_IN_SUBQUERY, Behavior.SUPPORTS_MULTIPLE_SCHEMAS,
      Behavior.PUSHDOWN_RIGHT_JOIN,
      Behavior.PUSHDOWN_FULL_JOIN, Behavior.PUSHDOWN_INTERSECT_EXCEPT,
      Behavior.PUSHDOWN_AGGREGATE_FILTER, Behavior.PUSHDOWN_EXTRACT,
      Behavior.PUSHDOWN_FLOOR_DATE, Behavior.PUSHDOWN_CAST_DATE, Behavior.PUSHDOWN_SEMI_JOIN,
      Behavior.PUSHDOWN_VARIANCE);

  @Override protected boolean hasBehavior(Behavior behavior) {
    return BEHAVIORS.contains(behavior);
  }

  @Override protected CatalogFile createSource(Path dir) throws Exception {
    Path file = dir.resolve("src.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA b");
      }
      loadTables(c, this::remoteTable);
    }
    return new CatalogFile().duckdb(SOURCE, file);
  }

  private String remoteTable(Table t) {
    return (t.secondSchema() ? "b" : "main") + "." + t.name();
  }

  /** DuckDB keeps row counts itself; ANALYZE refreshes its distinct-value estimates. */
  @Override protected void collectStatistics(Statement st, List<String> tables)
      throws SQLException {
    st.execute("ANALYZE");
  }

  @Override protected String junctionTable(Table t) {
    return SOURCE + "." + remoteTable(t);
  }

  @Override protected void dropSource() {
    // The file lives in the test's temporary directory.
  }

  @Override protected String ddlType(ColumnType type) {
    return switch (type) {
      case INTEGER -> "INTEGER";
      case DECIMAL_10_2 -> "DECIMAL(10,2)";
      case DOUBLE -> "DOUBLE";
      case VARCHAR -> "VARCHAR";
      case DATE -> "DATE";
      case TIMESTAMP -> "TIMESTAMP";
      case BOOLEAN -> "BOOLEAN";
    };
  }
}
