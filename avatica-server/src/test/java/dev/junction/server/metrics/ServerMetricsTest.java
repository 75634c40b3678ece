package dev.junction.server.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

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
}
