package dev.junction.driver.system;

import dev.junction.spi.QueryScope;
import dev.junction.spi.RemoteStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The statements running in this process, for {@code junction.queries}: each execution is
 * registered when it starts and removed when its result set is exhausted, fails or is
 * closed. Rows fetched per source are read from the execution's {@link RemoteStats}.
 */
public final class RunningQueries {
  /** The process-wide registry. */
  public static final RunningQueries INSTANCE = new RunningQueries();

  private final Map<String, Running> running = new ConcurrentHashMap<>();

  private RunningQueries() {
  }

  /**
   * One running execution.
   *
   * @param id the execution's query id ({@link QueryScope#queryId}), or a fresh one
   * @param catalog the catalog its connection opened
   * @param user the caller
   * @param sql the statement text
   * @param sources the sources it reads, in plan order
   * @param startNanos when it started ({@link System#nanoTime})
   * @param scope its remote work, whose collector counts rows fetched
   */
  public record Running(String id, Object catalog, String user, String sql,
      List<String> sources, long startNanos, QueryScope scope) {
    /** Milliseconds since it started. */
    public long elapsedMillis() {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Rows fetched so far, by source. */
    public Map<String, Long> rowsFetched() {
      Map<String, Long> out = new LinkedHashMap<>();
      RemoteStats stats = scope == null ? null : scope.stats();
      if (stats != null) {
        for (RemoteStats.Execution e : stats.executions()) {
          out.merge(e.source(), e.rows(), Long::sum);
        }
      }
      return out;
    }
  }

  /**
   * Registers an execution starting now; {@code tables} are its {@code source.schema.table}
   * names. Its scope starts counting rows fetched, unless something (EXPLAIN ANALYZE)
   * already measures it.
   */
  public Running start(Object catalog, String user, String sql, List<String> tables,
      QueryScope scope) {
    Set<String> sources = new LinkedHashSet<>();
    tables.forEach(t -> sources.add(t.split("\\.", 2)[0]));
    if (scope != null && scope.stats() == null) {
      // Only the rows are wanted: no time per fetch, no size per value.
      scope.collect(RemoteStats.rowsOnly());
    }
    Running r = new Running(scope == null || scope.queryId() == null
        ? UUID.randomUUID().toString() : scope.queryId(), catalog, user, sql,
        List.copyOf(sources), System.nanoTime(), scope);
    running.put(r.id(), r);
    return r;
  }

  /** An execution ended. */
  public void end(Running r) {
    if (r != null) {
      running.remove(r.id());
    }
  }

  /** The executions running now, oldest first. */
  public List<Running> snapshot() {
    List<Running> list = new ArrayList<>(running.values());
    list.sort(java.util.Comparator.comparingLong(Running::startNanos));
    return list;
  }
}
