package dev.junction.conformance;

import dev.junction.conformance.ConformanceData.ColumnType;
import dev.junction.conformance.ConformanceData.Table;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingPostgreSqlServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** The conformance battery on PostgreSQL; regions live in a second schema. */
class PostgreSqlConformanceIT extends BaseConformanceIT {
  private static final Set<Behavior> BEHAVIORS = EnumSet.complementOf(
      EnumSet.of(Behavior.PUSHDOWN_WINDOW));

  private TestingPostgreSqlServer server;

  @Override protected boolean hasBehavior(Behavior behavior) {
    return BEHAVIORS.contains(behavior);
  }

  @Override protected CatalogFile createSource(Path dir) throws Exception {
    server = new TestingPostgreSqlServer();
    server.execute("CREATE SCHEMA " + secondSchema());
    Properties p = new Properties();
    p.setProperty("user", server.user());
    p.setProperty("password", server.password());
    // One multi-row INSERT per batch instead of a round trip per row.
    p.setProperty("reWriteBatchedInserts", "true");
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), p)) {
      loadTables(c, this::remoteTable);
    }
    return new CatalogFile().postgresql(SOURCE, server);
  }

  private String secondSchema() {
    return server.namespace() + "_b";
  }

  private String remoteTable(Table t) {
    return (t.secondSchema() ? secondSchema() : server.namespace()) + "." + t.name();
  }

  @Override protected void collectStatistics(Statement st, List<String> tables)
      throws SQLException {
    for (String t : tables) {
      st.execute("ANALYZE " + t);
    }
  }

  @Override protected String junctionTable(Table t) {
    return SOURCE + "." + remoteTable(t);
  }

  @Override protected void dropSource() throws Exception {
    if (server != null) {
      try (TestingPostgreSqlServer s = server) {
        s.execute("DROP SCHEMA IF EXISTS " + secondSchema() + " CASCADE");
      }
    }
  }

  @Override protected String ddlType(ColumnType type) {
    return switch (type) {
      case INTEGER -> "integer";
      case DECIMAL_10_2 -> "numeric(10,2)";
      case DOUBLE -> "double precision";
      case VARCHAR -> "varchar(40)";
      case DATE -> "date";
      case TIMESTAMP -> "timestamp";
      case BOOLEAN -> "boolean";
    };
  }
}
