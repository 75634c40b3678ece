package dev.junction.bench;

import dev.junction.driver.JunctionConnection;
import dev.junction.driver.PlanCache;
import dev.junction.server.JunctionServer;
import dev.junction.server.ServerConfig;
import dev.junction.server.ServerConfigLoader;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Many clients over the server at once: {@code clients} Avatica remote connections
 * (protobuf over loopback, the stock Avatica client, in this JVM), each running a mix of
 * five statements round-robin, unprepared, for a fixed time after a warm-up: a grouped
 * aggregate pushed to PostgreSQL, a join pushed to PostgreSQL, a join pushed to MariaDB,
 * a small cross-source join (MariaDB's 1,000 suppliers against DuckDB's 25 nations) and
 * {@code VALUES 1}. Reports throughput, p50 and p99 latency of one statement (execute and
 * read the whole result) and errors, for each client count, with the machine's load
 * average when the step ran. Every statement has a query timeout, so a step cannot hang.
 *
 * <p>The server runs with the settings given ({@code --server-settings}, the server's YAML)
 * and every source's {@code pool-size} from {@code --pool-size}.
 */
final class ConcurrencyScenario {
  private static final int QUERY_TIMEOUT_SECONDS = 60;
  /** The server's settings unless {@code --server-settings} says otherwise: its defaults. */
  static final String DEFAULT_SETTINGS = "listen: {host: 127.0.0.1, port: 0}\n";

  private final TpchDatabases db;
  private final double scaleFactor;
  private final List<Integer> clientCounts;
  private final int seconds;
  private final List<String> serverSettings;
  private final List<Integer> poolSizes;
  private final Path dir;
  private boolean warmedUp;

  ConcurrencyScenario(TpchDatabases db, Path dir, double scaleFactor, List<Integer> clientCounts,
      int seconds, List<String> serverSettings, List<Integer> poolSizes) {
    this.db = db;
    this.dir = dir;
    this.scaleFactor = scaleFactor;
    this.clientCounts = clientCounts;
    this.seconds = seconds;
    this.serverSettings = serverSettings;
    this.poolSizes = poolSizes;
  }

  /** The mix, with the rows each statement returns at any scale factor (a sanity check). */
  private List<String> mix(TpchDatabases.Split s) {
    Map<String, String> t = s.junctionNames();
    return List.of(
        "SELECT o_orderpriority, COUNT(*), SUM(o_totalprice) FROM " + t.get("orders")
            + " WHERE o_orderdate >= DATE '1995-01-01' GROUP BY o_orderpriority",
        "SELECT c_mktsegment, COUNT(*), SUM(o_totalprice) FROM " + t.get("orders") + " o JOIN "
            + t.get("customer") + " c ON o.o_custkey = c.c_custkey"
            + " WHERE o.o_orderdate >= DATE '1998-06-01' GROUP BY c_mktsegment",
        "SELECT p_brand, MIN(ps_supplycost), COUNT(*) FROM " + t.get("part") + " p JOIN "
            + t.get("partsupp") + " ps ON p.p_partkey = ps.ps_partkey WHERE p.p_size = 15"
            + " GROUP BY p_brand",
        "SELECT n_name, COUNT(*) FROM " + t.get("supplier") + " s JOIN " + t.get("nation")
            + " n ON s.s_nationkey = n.n_nationkey GROUP BY n_name",
        "VALUES 1");
  }

  /** The tables, one per server settings, as Markdown. */
  String run() throws Exception {
    TpchDatabases.Split split = db.split();
    List<String> mix = mix(split);
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "### Concurrent clients over the server%n%n"
        + "TPC-H SF %s split over PostgreSQL, MariaDB and DuckDB; the server in"
        + " this JVM; each client its own Avatica connection (protobuf, loopback) running the"
        + " mix round-robin, unprepared, for %d s after a warm-up: a pushed aggregate, two"
        + " pushed joins, a small cross-source join and `VALUES 1`. Latency = execute and"
        + " read the whole result; CPU per statement: this JVM (server and clients) and every"
        + " PostgreSQL and MariaDB process on the machine (other users of them included), from"
        + " /proc; %d cores.%n", scaleFactor, seconds,
        Runtime.getRuntime().availableProcessors()));
    for (Integer poolSize : poolSizes) {
      Path catalog = db.splitCatalog("catalog-concurrency-" + poolSize, poolSize);
      for (String settings : serverSettings) {
        out.append(String.format(Locale.ROOT, "%nServer settings `%s`, sources' pool-size"
            + " %s:%n%n", settings.strip().replace("\n", "; "),
            poolSize == null ? "default (8)" : poolSize)).append(run(catalog, mix, settings));
      }
    }
    return out.toString();
  }

  private String run(Path catalog, List<String> mix, String settings) throws Exception {
    ServerConfig config = ServerConfigLoader.parse(settings, dir, System::getenv)
        .withCatalog(catalog);
    JunctionServer server = JunctionServer.builder(config).eventSink(line -> { }).build();
    server.start();
    MarkdownTable t = new MarkdownTable(">clients", ">statements", ">throughput q/s",
        ">p50 ms", ">p99 ms", ">max ms", ">errors", ">this JVM's CPU ms per statement",
        ">database servers' CPU ms per statement", ">load average (1 min) before / after");
    List<String> perStatement = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    PlanCache.Stats plansBefore = planCache(catalog);
    try {
      String url = "jdbc:avatica:remote:url=" + server.url() + ";serialization=protobuf";
      // Warm-up: every statement planned, every pool opened and, on the first server of the
      // run, the JIT given time (the first variant ran at twice the JVM CPU per statement
      // of later ones with a 5 s warm-up).
      step(url, mix, 8, warmedUp ? 5 : 30, new ArrayList<>());
      warmedUp = true;
      for (int clients : clientCounts) {
        double loadBefore = load();
        long jvmBefore = jvmCpuNanos();
        long dbBefore = databaseCpuNanos();
        Step r = step(url, mix, clients, seconds, errors);
        long jvmCpu = jvmCpuNanos() - jvmBefore;
        long dbCpu = databaseCpuNanos() - dbBefore;
        double loadAfter = load();
        perStatement.add(clients + " clients: " + r.medians(mix.size()));
        t.row(Integer.toString(clients), Long.toString(r.statements()),
            String.format(Locale.ROOT, "%.1f", r.statements() / r.seconds()),
            MarkdownTable.ms(r.percentile(0.50)), MarkdownTable.ms(r.percentile(0.99)),
            MarkdownTable.ms(r.percentile(1.0)), Long.toString(r.errors()),
            String.format(Locale.ROOT, "%.1f", jvmCpu / 1e6 / Math.max(1, r.statements())),
            dbCpu < 0 ? "-" : String.format(Locale.ROOT, "%.1f",
                dbCpu / 1e6 / Math.max(1, r.statements())),
            String.format(Locale.ROOT, "%.2f / %.2f", loadBefore, loadAfter));
      }
    } finally {
      server.stop();
    }
    PlanCache.Stats plansAfter = planCache(catalog);
    return t.render()
        + String.format(Locale.ROOT, "%nPlan cache over the warm-up and the steps: %d"
            + " statements served a cached plan, %d planned.%n",
            plansAfter.hits() - plansBefore.hits(), plansAfter.misses() - plansBefore.misses())
        + "\nMedian ms per statement of the mix (aggregate, PostgreSQL join, MariaDB join,"
        + " cross-source join, VALUES 1):\n" + perStatement.stream().map(l -> "\n- " + l)
            .collect(Collectors.joining()) + "\n"
        + errors.stream().limit(5).map(e -> "\n- error: " + e).collect(Collectors.joining())
        + (errors.isEmpty() ? "" : "\n");
  }

  /**
   * The plan cache counters of the catalog the server serves: the catalog is shared by
   * every connection to the file in this JVM, the server's included.
   */
  private static PlanCache.Stats planCache(Path catalog) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:junction:config=" + catalog)) {
      return c.unwrap(JunctionConnection.class).planCacheStats();
    }
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * User and system CPU of every {@code postgres} and {@code mariadbd} process now alive,
   * from {@code /proc}, in nanoseconds; -1 where there is no {@code /proc}. Backends that
   * exit between two readings are lost, so it is a lower bound.
   */
  private static long databaseCpuNanos() {
    Path proc = Path.of("/proc");
    if (!java.nio.file.Files.isDirectory(proc)) {
      return -1;
    }
    long ticks = 0;
    try (var dirs = java.nio.file.Files.list(proc)) {
      for (Path d : dirs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = java.nio.file.Files.readString(d.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String comm = stat.substring(open + 1, close);
          if (comm.equals("postgres") || comm.equals("mariadbd") || comm.equals("mysqld")) {
            String[] f = stat.substring(close + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (java.io.IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    // USER_HZ is 100 on Linux.
    return ticks * 10_000_000L;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** One client count's outcome. */
  record Step(long[] nanos, int[] kinds, long errors, double seconds) {
    long statements() {
      return nanos.length;
    }

    /** The median of each statement of the mix, in mix order. */
    String medians(int mixSize) {
      List<String> out = new ArrayList<>();
      for (int k = 0; k < mixSize; k++) {
        int kind = k;
        long[] mine = java.util.stream.IntStream.range(0, nanos.length)
            .filter(i -> kinds[i] == kind).mapToLong(i -> nanos[i]).sorted().toArray();
        out.add(mine.length == 0 ? "-" : MarkdownTable.ms(mine[mine.length / 2] / 1e6));
      }
      return String.join(", ", out);
    }

    double percentile(double p) {
      if (nanos.length == 0) {
        return Double.NaN;
      }
      long[] s = nanos.clone();
      Arrays.sort(s);
      int i = (int) Math.min(s.length - 1, Math.ceil(p * s.length) - 1);
      return s[Math.max(0, i)] / 1e6;
    }
  }

  /**
   * Runs {@code clients} clients for {@code seconds}; statements that finish after the end
   * still count (their latency is real), none starts after it.
   */
  private static Step step(String url, List<String> mix, int clients, int seconds,
      List<String> errorSamples) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<long[]> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong errors = new AtomicLong();
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    CountDownLatch connected = new CountDownLatch(clients);
    long[] window = new long[2];
    List<Future<?>> futures = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int c = 0; c < clients; c++) {
      int first = c;
      futures.add(pool.submit(() -> {
        Connection conn = null;
        try {
          try {
            conn = DriverManager.getConnection(url);
          } catch (SQLException | RuntimeException e) {
            // The stock Avatica client reports a refused connection unchecked.
            errors.incrementAndGet();
            note(errorSamples, seen, "connect: " + e.getMessage());
          } finally {
            connected.countDown();
          }
          go.await();
          if (conn == null) {
            return null;
          }
          for (int i = first; System.nanoTime() < window[1]; i++) {
            String sql = mix.get(i % mix.size());
            long start = System.nanoTime();
            try (Statement st = conn.createStatement()) {
              st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
              try (ResultSet rs = st.executeQuery(sql)) {
                int rows = 0;
                while (rs.next()) {
                  rows++;
                }
                if (rows == 0) {
                  throw new SQLException("no rows from " + sql);
                }
              }
              latencies.add(new long[] {System.nanoTime() - start, i % mix.size()});
            } catch (SQLException | RuntimeException e) {
              errors.incrementAndGet();
              note(errorSamples, seen, (e instanceof SQLException se ? se.getSQLState() + " "
                  : "") + e.getMessage());
            }
          }
          return null;
        } finally {
          if (conn != null) {
            conn.close();
          }
        }
      }));
    }
    if (!connected.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("clients did not connect within 120 s");
    }
    window[0] = System.nanoTime();
    window[1] = window[0] + TimeUnit.SECONDS.toNanos(seconds);
    go.countDown();
    for (Future<?> f : futures) {
      f.get(seconds + QUERY_TIMEOUT_SECONDS * 2L, TimeUnit.SECONDS);
    }
    double elapsed = (System.nanoTime() - window[0]) / 1e9;
    pool.shutdownNow();
    long[] nanos;
    int[] kinds;
    synchronized (latencies) {
      nanos = latencies.stream().mapToLong(l -> l[0]).toArray();
      kinds = latencies.stream().mapToInt(l -> (int) l[1]).toArray();
    }
    return new Step(nanos, kinds, errors.get(), elapsed);
  }

  private static void note(List<String> samples, Map<String, Boolean> seen, String message) {
    String m = String.valueOf(message).replaceAll("\\s+", " ");
    m = m.length() > 300 ? m.substring(0, 300) + "..." : m;
    if (seen.putIfAbsent(m, true) == null) {
      synchronized (samples) {
        samples.add(m);
      }
    }
  }
}
