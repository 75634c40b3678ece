package dev.junction.server.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Prometheus text format: counters by outcome, cumulative buckets, gauges. */
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
    assertTrue(t.contains("junction_queries_total{outcome=\"ok\"} 2\n"), t);
    assertTrue(t.contains("junction_queries_total{outcome=\"cancelled\"} 1\n"), t);
    assertTrue(t.contains("junction_queries_total{outcome=\"error\"} 0\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"0.005\"} 1\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"0.25\"} 2\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"10.0\"} 2\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"30.0\"} 3\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_bucket{le=\"+Inf\"} 3\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_count 3\n"), t);
    assertTrue(t.contains("junction_query_duration_seconds_sum 20.203000\n"), t);
    assertTrue(t.contains("junction_rows_returned_total 42\n"), t);
    assertTrue(t.contains("junction_failed_logins_total 1\n"), t);
    assertTrue(t.contains("# TYPE junction_active_connections gauge\n"
        + "junction_active_connections 7\n"), t);
    for (String line : t.split("\n")) {
      assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[a-z]+=\"[^\"]+\"})? \\S+"),
          line);
    }
  }
}
