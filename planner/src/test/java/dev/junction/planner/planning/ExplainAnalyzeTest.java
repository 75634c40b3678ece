package dev.junction.planner.planning;

import dev.junction.spi.RemoteStats;

import org.apache.calcite.jdbc.Driver;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code EXPLAIN ANALYZE} without a source: how the statement is recognised, the report's
 * format from a fixed clock, and a query over VALUES run through Calcite's own driver over
 * {@link JunctionPrepare}.
 */
class ExplainAnalyzeTest {
  @Test void recognisesTheTwoWordsInAnyCaseAfterBlanksAndComments() {
    assertEquals(15, ExplainAnalyze.prefixEnd("EXPLAIN ANALYZE SELECT 1"));
    assertEquals(32, ExplainAnalyze.prefixEnd(" -- why\n explain /* x */ analyze(SELECT 1)"));
    assertEquals(-1, ExplainAnalyze.prefixEnd("EXPLAIN PLAN FOR SELECT 1"));
    assertEquals(-1, ExplainAnalyze.prefixEnd("EXPLAIN ANALYZED SELECT 1"));
    assertEquals(-1, ExplainAnalyze.prefixEnd("SELECT 'EXPLAIN ANALYZE'"));
    assertEquals(-1, ExplainAnalyze.prefixEnd("EXPLAIN"));
  }

  @Test void reportsEachSourceAndEachDistinctStatement() {
    AtomicLong clock = new AtomicLong();
    RemoteStats stats = new RemoteStats(clock::get);
    RemoteStats.Execution a = stats.started("crm", "SELECT \"id\"\nFROM \"c\"");
    a.executed(2_000_000);
    for (int i = 0; i < 3; i++) {
      a.fetched(true, 100_000);
      a.read(4);
    }
    a.fetched(false, 50_000);
    for (int batch = 0; batch < 2; batch++) {
      RemoteStats.Execution b = stats.started("lake", "SELECT * FROM \"e\" WHERE \"k\" = ?");
      b.executed(1_000_000);
      b.fetched(true, 500_000);
      b.read(1_200);
    }
    String report = AnalyzeReport.render("Plan(x=[1])\n", stats.executions(),
        UnaryOperator.identity(), 1, 12_340_000);
    assertEquals(String.join("\n",
        "Plan(x=[1])",
        "",
        "Execution: 1 row returned in 12.3 ms",
        "  crm: 1 remote statement, 3 rows fetched, 12 bytes (estimated), 2.4 ms in the source",
        "    3 rows in 2.4 ms (execute 2.0 ms, fetch 0.4 ms): SELECT \"id\" FROM \"c\"",
        "  lake: 2 remote statements, 2 rows fetched, 2,400 bytes (estimated), 3.0 ms in the"
            + " source",
        "    2 runs, 2 rows in 3.0 ms (execute 2.0 ms, fetch 1.0 ms): SELECT * FROM \"e\""
            + " WHERE \"k\" = ?",
        ""), report);
  }

  @Test void aGovernedCallerSeesOnlyTheShownSql() {
    RemoteStats stats = new RemoteStats(() -> 0);
    stats.started("s", "SELECT a FROM t WHERE region = 'EU'");
    stats.started("s", "SELECT b FROM u");
    String report = AnalyzeReport.render("", stats.executions(), ExplainAnalyze.shownSql(
        Map.of("SELECT a FROM t WHERE region = 'EU'", "SELECT a FROM t WHERE <row filter>")),
        0, 0);
    assertTrue(report.contains("SELECT a FROM t WHERE <row filter>"), report);
    assertTrue(report.contains("<not shown: "), report);
    assertFalse(report.contains("EU") || report.contains("FROM u"), report);
  }

  @Test void runsAQueryWithoutSources() throws SQLException {
    Driver driver =
        new Driver(() -> new JunctionPrepare(JunctionPrepare.DEFAULT_PLANNING_TIMEOUT)) {
        };
    Properties p = new Properties();
    p.setProperty("lex", "JAVA");
    try (Connection c = driver.connect("jdbc:calcite:", p); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(
             "explain analyze SELECT x FROM (VALUES (1), (2), (3)) AS t(x) WHERE x > 1")) {
      assertTrue(rs.next());
      String report = rs.getString(1);
      assertTrue(report.startsWith("Enumerable"), report);
      assertTrue(report.contains("\nExecution: 2 rows returned in "), report);
      assertTrue(report.endsWith("\n  no remote statements\n"), report);
      assertFalse(rs.next());
    }
  }
}
