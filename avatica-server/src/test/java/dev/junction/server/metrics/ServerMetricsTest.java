package dev.junction.server.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.spi.SourceStatus;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Prometheus text format: counters by outcome, cumulative buckets, gauges, JVM metrics. */
class ServerMetricsTest {
  @Test void rendersPrometheusText() {
    ServerMetrics m = new ServerMetrics();
    m.query(ServerMetrics.Outcome.OK, 3_000_000L);
    m.query(ServerMetrics.Outcome.OK, 200_000_000L);
    m.query(ServerMetrics.Outcome.CANCELLED, 20_000_000_000L);
    m.rows(42);
    m.failedLogin();
    m.gauge("active_connections", () -> 7);
    String t = m.render();
    assertTrue(t.contains("junction_queries_total{outcome=\"ok\"} 2.0\n"), t);
    assertTrue(t.contains("junction_queries_total{outcome=\"cancelled\"} 1.0\n"), t);
    assertTrue(t.contains("junction_queries_total{outcome=\"error\"} 0.0\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"0.005\"} 1\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"0.25\"} 2\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"10.0\"} 2\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"30.0\"} 3\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"+Inf\"} 3\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_count 3\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_sum 20.203\n"), t);
    assertTrue(t.contains("junction_rows_returned_total 42.0\n"), t);
    assertTrue(t.contains("junction_failed_logins_total 1.0\n"), t);
    assertTrue(t.contains("# TYPE junction_active_connections gauge\n"
        + "junction_active_connections 7.0\n"), t);
    assertTrue(t.contains("# HELP junction_queries_total Queries executed, by outcome.\n"), t);
    // Micrometer writes every sample as a float (2.0 where the hand-written text had 2):
    // both are valid exposition, and scrapers read them alike.
    for (String line : t.split("\n")) {
      if (line.startsWith("junction_")) {
        assertTrue(line.matches("[a-z_]+(\\{[a-z]+=\"[^\"]+\"})? \\S+"), line);
      } else {
        assertTrue(line.startsWith("#")
            || line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_]+=\"[^\"]*\""
                + "(,[a-zA-Z_]+=\"[^\"]*\")*})? \\S+"), line);
      }
    }
  }

  @Test void includesJvmMetrics() {
    try (ServerMetrics m = new ServerMetrics()) {
      String t = m.render();
      for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads",
          "jvm_classes_loaded_classes", "process_uptime_seconds", "system_cpu_count")) {
        assertTrue(t.contains("\n" + name), name + " in\n" + t);
      }
    }
  }

  @Test void exportsEverySourcesPoolAndReachabilityAtEachScrape() {
    Map<String, SourceStatus> now = new LinkedHashMap<>();
    now.put("sales", new SourceStatus("sales", "postgresql",
        Optional.of(new SourceStatus.Pool(3, 2, 1, 5, 8)), SourceStatus.Reachability.UP,
        Optional.empty(), Optional.empty()));
    now.put("lake", new SourceStatus("lake", "duckdb", Optional.empty(),
        SourceStatus.Reachability.UNKNOWN, Optional.empty(), Optional.empty()));
    try (ServerMetrics m = new ServerMetrics()) {
      m.sources(() -> Map.copyOf(now));
      String t = m.render();
      assertTrue(t.contains(
          "junction_source_pool_connections{source=\"sales\",state=\"active\"} 3.0\n"), t);
      assertTrue(t.contains(
          "junction_source_pool_connections{source=\"sales\",state=\"waiting\"} 1.0\n"), t);
      assertTrue(t.contains(
          "junction_source_pool_connections{source=\"sales\",state=\"max\"} 8.0\n"), t);
      assertTrue(t.contains("junction_source_up{source=\"sales\"} 1.0\n"), t);
      assertTrue(t.contains(
          "junction_source_pool_connections{source=\"lake\",state=\"total\"} 0.0\n"), t);
      assertTrue(t.contains("junction_source_up{source=\"lake\"} -1.0\n"), t);

      now.put("sales", new SourceStatus("sales", "postgresql",
          Optional.of(new SourceStatus.Pool(0, 0, 0, 0, 8)), SourceStatus.Reachability.DOWN,
          Optional.of("source 'sales' (postgresql) is unreachable"),
          Optional.of(Instant.EPOCH)));
      t = m.render();
      assertTrue(t.contains("junction_source_up{source=\"sales\"} 0.0\n"), t);
      assertTrue(t.contains(
          "junction_source_pool_connections{source=\"sales\",state=\"active\"} 0.0\n"), t);
    }
  }

  @Test void aCatalogThatCannotBeReadLeavesTheOtherMetrics() {
    try (ServerMetrics m = new ServerMetrics()) {
      m.sources(() -> {
        throw new java.sql.SQLException("catalog gone");
      });
      m.rows(1);
      assertTrue(m.render().contains("junction_rows_returned_total 1.0\n"));
    }
  }
}
