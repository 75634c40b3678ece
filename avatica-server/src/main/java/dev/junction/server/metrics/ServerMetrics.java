package dev.junction.server.metrics;

import dev.junction.spi.SourceStatus;
import dev.junction.driver.cache.ResultCache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's counters, a query latency histogram, gauges and the JVM's own metrics, held
 * in a Micrometer {@link PrometheusMeterRegistry} and served in the Prometheus text format.
 * Label values are fixed vocabularies (outcomes), never user input, so nothing secret or
 * unbounded reaches it.
 */
public final class ServerMetrics implements AutoCloseable {
  /** How a query ended. */
  public enum Outcome { OK, ERROR, CANCELLED }

  /** Upper bounds of the latency buckets, in seconds. */
  static final double[] BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<Outcome, Counter> queries = new EnumMap<>(Outcome.class);
  private final Timer latency;
  private final Counter rows;
  private final Counter failedLogins;
  private final Counter throttledLogins;
  private final Counter forbidden;
  private final Counter expiredConnections;
  private final Counter disconnectCancels;
  private final Counter limitRejections;
  private final Set<String> registeredSources = new HashSet<>();
  private volatile Callable<Map<String, SourceStatus>> statuses;
  private volatile Map<String, SourceStatus> snapshot = Map.of();

  /** Creates empty metrics, with the JVM's memory, GC, thread, class and CPU metrics bound. */
  public ServerMetrics() {
    for (Outcome o : Outcome.values()) {
      queries.put(o, Counter.builder("junction.queries")
          .description("Queries executed, by outcome.")
          .tag("outcome", o.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    Duration[] slos = new Duration[BUCKETS.length];
    for (int i = 0; i < BUCKETS.length; i++) {
      slos[i] = Duration.ofNanos(Math.round(BUCKETS[i] * 1e9));
    }
    latency = Timer.builder("junction.query.duration")
        .description("Time to execute a query and build its first frame.")
        .serviceLevelObjectives(slos).register(registry);
    rows = counter("junction.rows.returned", "Rows sent to clients.");
    failedLogins = counter("junction.failed.logins",
        "Logins with wrong or malformed credentials.");
    throttledLogins = counter("junction.throttled.requests",
        "Requests refused because their address had too many failed logins.");
    forbidden = counter("junction.forbidden.requests", "Authenticated requests refused (403).");
    expiredConnections = counter("junction.idle.connections.closed",
        "Connections closed because they were idle.");
    disconnectCancels = counter("junction.disconnect.cancels",
        "Statements cancelled because the client disconnected mid-query.");
    limitRejections = counter("junction.limit.rejections",
        "Connections or statements refused by a per-user limit.");
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private Counter counter(String name, String help) {
    return Counter.builder(name).description(help).register(registry);
  }

  /** Records one executed query (an execute request, not its fetches). */
  public void query(Outcome outcome, long nanos) {
    queries.get(outcome).increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Adds rows sent to clients. */
  public void rows(long n) {
    rows.increment(n);
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

  /** Registers a gauge read at scrape time ({@code name} without the prefix, in snake_case). */
  public void gauge(String name, LongSupplier value) {
    Gauge.builder("junction." + name.replace('_', '.'), value, v -> (double) v.getAsLong())
        .strongReference(true).register(registry);
  }

  /**
   * Exports every source's connection pool and reachability, read from {@code statuses}
   * once per scrape (reading them never connects to a source):
   * {@code junction_source_pool_connections{source, state="active|idle|waiting|total|max"}}
   * and {@code junction_source_up{source}} (1 answered when last used, 0 did not, -1 not
   * used yet). A source's name comes from the catalog file, never from a client. Sources
   * are registered on the first scrape that can read them, so the catalog is opened when
   * metrics are first asked for, not when the server starts.
   */
  public void sources(Callable<Map<String, SourceStatus>> statuses) {
    this.statuses = statuses;
  }

  /** Reads the sources' status for this scrape and registers gauges for new sources. */
  private void readSources() {
    Callable<Map<String, SourceStatus>> read = statuses;
    if (read == null) {
      return;
    }
    Map<String, SourceStatus> now;
    try {
      now = read.call();
    } catch (Exception e) {
      // A catalog that cannot be read now leaves the figures of the last scrape.
      return;
    }
    snapshot = now;
    for (String source : now.keySet()) {
      if (registeredSources.add(source)) {
        poolGauge(source, "active", SourceStatus.Pool::active);
        poolGauge(source, "idle", SourceStatus.Pool::idle);
        poolGauge(source, "waiting", SourceStatus.Pool::waiting);
        poolGauge(source, "total", SourceStatus.Pool::total);
        poolGauge(source, "max", SourceStatus.Pool::max);
        Gauge.builder("junction.source.up", () -> {
          SourceStatus s = snapshot.get(source);
          return s == null || s.reachability() == SourceStatus.Reachability.UNKNOWN ? -1
              : s.reachability() == SourceStatus.Reachability.UP ? 1 : 0;
        }).description("Whether the source answered when last used: 1 yes, 0 no, -1 not"
            + " used yet.").tag("source", source).strongReference(true).register(registry);
      }
    }
  }

  private void poolGauge(String source, String state,
      java.util.function.ToIntFunction<SourceStatus.Pool> figure) {
    Gauge.builder("junction.source.pool.connections", () -> {
      SourceStatus s = snapshot.get(source);
      return s == null || s.pool().isEmpty() ? 0 : figure.applyAsInt(s.pool().get());
    }).description("Connections of the source's pool by state (max is pool-size); 0 for"
        + " sources that do not pool.").tag("source", source).tag("state", state)
        .strongReference(true).register(registry);
  }

  /**
   * Registers the result cache's figures, read at scrape time:
   * {@code junction_result_cache_hits_total}, {@code _misses_total},
   * {@code _evictions_total} (counters), {@code junction_result_cache_entries} and
   * {@code junction_result_cache_bytes} (gauges). All zero while the catalog has no cache.
   */
  public void resultCache(java.util.function.Supplier<ResultCache.Stats> stats) {
    counter("hits", "Statements answered from the result cache.", stats,
        ResultCache.Stats::hits);
    counter("misses", "Statements that looked in the result cache and ran.", stats,
        ResultCache.Stats::misses);
    counter("evictions", "Results dropped from the cache for space or age.", stats,
        ResultCache.Stats::evictions);
    Gauge.builder("junction.result.cache.entries", stats, s -> s.get().entries())
        .description("Results held in the result cache.").strongReference(true)
        .register(registry);
    Gauge.builder("junction.result.cache.bytes", stats, s -> s.get().bytes())
        .description("Estimated size of the results held, in bytes.").strongReference(true)
        .baseUnit("bytes").register(registry);
  }

  private void counter(String name, String help,
      java.util.function.Supplier<ResultCache.Stats> stats,
      java.util.function.ToLongFunction<ResultCache.Stats> figure) {
    FunctionCounter.builder("junction.result.cache." + name, stats,
        s -> figure.applyAsLong(s.get())).description(help).register(registry);
  }

  /** The number of queries with an outcome so far. */
  public long queries(Outcome outcome) {
    return (long) queries.get(outcome).count();
  }

  /** The registry, for binding more meters (a connection pool's, for instance). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public synchronized String render() {
    readSources();
    return registry.scrape();
  }

  /** Stops the GC listener and the registry. */
  @Override public void close() {
    gc.close();
    registry.close();
  }
}
