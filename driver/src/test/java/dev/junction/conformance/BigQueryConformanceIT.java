package dev.junction.conformance;

import dev.junction.conformance.ConformanceData.ColumnType;
import dev.junction.conformance.ConformanceData.Table;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.FakeBigQueryEndpoint;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance battery through the BigQuery adapter, whose GoogleSQL reaches
 * {@link FakeBigQueryEndpoint} (a DuckDB-backed test double, not BigQuery): every shape's
 * rows, and the statement each sends as a query job. Tables live in datasets {@code a}
 * and {@code b}.
 */
class BigQueryConformanceIT extends BaseConformanceIT {
  private static final Set<Behavior> BEHAVIORS = EnumSet.of(
      Behavior.SUPPORTS_MULTIPLE_SCHEMAS, Behavior.PUSHDOWN_RIGHT_JOIN,
      Behavior.PUSHDOWN_FULL_JOIN, Behavior.PUSHDOWN_SEMI_JOIN,
      Behavior.PUSHDOWN_NOT_IN_SUBQUERY, Behavior.PUSHDOWN_INTERSECT_EXCEPT,
      Behavior.PUSHDOWN_EXTRACT, Behavior.PUSHDOWN_CAST_DATE, Behavior.PUSHDOWN_VARIANCE,
      Behavior.PUSHDOWN_FLOOR_DATE);

  private FakeBigQueryEndpoint bq;

  @Override protected boolean hasBehavior(Behavior behavior) {
    return BEHAVIORS.contains(behavior);
  }

  @Override protected CatalogFile createSource(Path dir) throws Exception {
    bq = new FakeBigQueryEndpoint("conformance");
    Connection c = bq.duckdb();
    synchronized (c) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA a");
        st.execute("CREATE SCHEMA b");
      }
      loadTables(c, this::remoteTable);
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("type", "bigquery");
    settings.put("project", bq.project());
    settings.put("host", bq.url());
    settings.put("credentials", "none");
    settings.put("poll-interval", "100ms");
    return new CatalogFile().source(SOURCE, settings);
  }

  private String remoteTable(Table t) {
    return (t.secondSchema() ? "b" : "a") + "." + t.name();
  }

  /** BigQuery keeps row counts itself (a table's numRows). */
  @Override protected void collectStatistics(Statement st, List<String> tables)
      throws SQLException {
    st.execute("ANALYZE");
  }

  @Override protected String junctionTable(Table t) {
    return SOURCE + "." + remoteTable(t);
  }

  @Override protected void dropSource() throws Exception {
    if (bq != null) {
      bq.close();
    }
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
