package dev.junction.server.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters, a query latency histogram and gauges, rendered in the Prometheus
 * text exposition format (version 0.0.4). Label values are fixed vocabularies (outcomes,
 * HTTP status classes), never user input, so nothing secret or unbounded reaches it.
 */
public final class ServerMetrics {
  /** How a query ended. */
  public enum Outcome { OK, ERROR, CANCELLED }

  /** Upper bounds of the latency buckets, in seconds. */
  static final double[] BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

  private final Map<Outcome, LongAdder> queries = new ConcurrentHashMap<>();
  private final LongAdder[] bucketCounts = new LongAdder[BUCKETS.length + 1];
  private final LongAdder latencyCount = new LongAdder();
  private final LongAdder latencyNanos = new LongAdder();
  private final LongAdder rows = new LongAdder();
  private final LongAdder failedLogins = new LongAdder();
  private final LongAdder throttledLogins = new LongAdder();
  private final LongAdder forbidden = new LongAdder();
  private final LongAdder expiredConnections = new LongAdder();
  private final LongAdder disconnectCancels = new LongAdder();
  private final LongAdder limitRejections = new LongAdder();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

  /** Creates empty metrics. */
  public ServerMetrics() {
    for (Outcome o : Outcome.values()) {
      queries.put(o, new LongAdder());
    }
    for (int i = 0; i < bucketCounts.length; i++) {
      bucketCounts[i] = new LongAdder();
    }
  }

  /** Records one executed query (an execute request, not its fetches). */
  public void query(Outcome outcome, long nanos) {
    queries.get(outcome).increment();
    latencyCount.increment();
    latencyNanos.add(nanos);
    double seconds = nanos / 1e9;
    int i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]) {
      i++;
    }
    bucketCounts[i].increment();
  }

  /** Adds rows sent to clients. */
  public void rows(long n) {
    rows.add(n);
  }

  /** Counts a failed login. */
  public void failedLogin() {
    failedLogins.increment();
  }

  /** Counts a request refused because its address is throttled. */
  public void throttledLogin() {
    throttledLogins.increment();
  }

  /** Counts a 403. */
  public void forbidden() {
    forbidden.increment();
  }

  /** Counts a connection closed for being idle. */
  public void expiredConnection() {
    expiredConnections.increment();
  }

  /** Counts a statement cancelled because its client disconnected. */
  public void disconnectCancel() {
    disconnectCancels.increment();
  }

  /** Counts a connection or statement refused by a per-user limit. */
  public void limitRejection() {
    limitRejections.increment();
  }

  /** Registers a gauge read at scrape time ({@code name} without the prefix). */
  public void gauge(String name, LongSupplier value) {
    gauges.put(name, value);
  }

  /** The number of queries with an outcome so far. */
  public long queries(Outcome outcome) {
    return queries.get(outcome).sum();
  }

  /** The Prometheus text exposition. */
  public String render() {
    StringBuilder b = new StringBuilder(2048);
    b.append("# HELP junction_queries_total Queries executed, by outcome.\n");
    b.append("# TYPE junction_queries_total counter\n");
    for (Outcome o : Outcome.values()) {
      b.append("junction_queries_total{outcome=\"").append(o.name().toLowerCase(Locale.ROOT))
          .append("\"} ").append(queries.get(o).sum()).append('\n');
    }
    b.append("# HELP junction_query_duration_seconds Time to execute a query and build its"
        + " first frame.\n");
    b.append("# TYPE junction_query_duration_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < bucketCounts.length; i++) {
      cumulative += bucketCounts[i].sum();
      String le = i < BUCKETS.length ? String.valueOf(BUCKETS[i]) : "+Inf";
      b.append("junction_query_duration_seconds_bucket{le=\"").append(le).append("\"} ")
          .append(cumulative).append('\n');
    }
    b.append("junction_query_duration_seconds_sum ")
        .append(String.format(Locale.ROOT, "%.6f", latencyNanos.sum() / 1e9)).append('\n');
    b.append("junction_query_duration_seconds_count ").append(latencyCount.sum()).append('\n');
    counter(b, "junction_rows_returned_total", "Rows sent to clients.", rows);
    counter(b, "junction_failed_logins_total", "Logins with wrong or malformed credentials.",
        failedLogins);
    counter(b, "junction_throttled_requests_total",
        "Requests refused because their address had too many failed logins.", throttledLogins);
    counter(b, "junction_forbidden_requests_total",
        "Authenticated requests refused (403).", forbidden);
    counter(b, "junction_idle_connections_closed_total",
        "Connections closed because they were idle.", expiredConnections);
    counter(b, "junction_disconnect_cancels_total",
        "Statements cancelled because the client disconnected mid-query.", disconnectCancels);
    counter(b, "junction_limit_rejections_total",
        "Connections or statements refused by a per-user limit.", limitRejections);
    gauges.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      String name = "junction_" + e.getKey();
      b.append("# TYPE ").append(name).append(" gauge\n");
      b.append(name).append(' ').append(e.getValue().getAsLong()).append('\n');
    });
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String help, LongAdder value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(value.sum()).append('\n');
  }
}
