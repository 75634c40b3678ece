package dev.junction.conformance;

import dev.junction.conformance.ConformanceData.ColumnType;
import dev.junction.conformance.ConformanceData.Table;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The conformance battery on MariaDB, through the {@code mysql} adapter; regions live in
 * a second database, which Junction shows as a second schema.
 */
class MariaDbConformanceIT extends BaseConformanceIT {
  private static final Set<Behavior> BEHAVIORS = EnumSet.of(
      Behavior.SUPPORTS_MULTIPLE_SCHEMAS, Behavior.PUSHDOWN_RIGHT_JOIN,
      Behavior.PUSHDOWN_INTERSECT_EXCEPT, Behavior.PUSHDOWN_VARIANCE,
      Behavior.PUSHDOWN_EXTRACT, Behavior.PUSHDOWN_FLOOR_DATE, Behavior.PUSHDOWN_CAST_DATE,
      Behavior.PUSHDOWN_SEMI_JOIN, Behavior.PUSHDOWN_NOT_IN_SUBQUERY);

  private TestingMariaDbServer server;

  @Override protected boolean hasBehavior(Behavior behavior) {
    return BEHAVIORS.contains(behavior);
  }

  @Override protected CatalogFile createSource(Path dir) throws Exception {
    server = new TestingMariaDbServer();
    server.execute("CREATE DATABASE " + secondDatabase());
    try (Connection c = server.connect()) {
      loadTables(c, this::remoteTable);
    }
    return new CatalogFile().mariadb(SOURCE, server);
  }

  private String secondDatabase() {
    return server.namespace() + "_b";
  }

  private String remoteTable(Table t) {
    return (t.secondSchema() ? secondDatabase() : server.namespace()) + "." + t.name();
  }

  @Override protected void collectStatistics(Statement st, List<String> tables)
      throws SQLException {
    st.execute("ANALYZE TABLE " + String.join(", ", tables));
  }

  @Override protected String junctionTable(Table t) {
    return SOURCE + "." + remoteTable(t);
  }

  @Override protected void dropSource() throws Exception {
    if (server != null) {
      try (TestingMariaDbServer s = server) {
        s.execute("DROP DATABASE IF EXISTS " + secondDatabase());
      }
    }
  }

  @Override protected String ddlType(ColumnType type) {
    return switch (type) {
      case INTEGER -> "INT";
      case DECIMAL_10_2 -> "DECIMAL(10,2)";
      case DOUBLE -> "DOUBLE";
      case VARCHAR -> "VARCHAR(40)";
      case DATE -> "DATE";
      case TIMESTAMP -> "DATETIME";
      case BOOLEAN -> "BOOLEAN";
    };
  }
}
