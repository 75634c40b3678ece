package dev.junction.bench;

import dev.junction.testing.CatalogFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The federation benchmark, run as {@code bench/run --scenario <names>}; each scenario runs
 * Junction next to a baseline in the same run and prints a Markdown table for the README.
 * Ratios are always Junction's time over the baseline's (above 1: Junction slower).
 *
 * <ul>
 * <li>{@code default}: pushdown overhead (a point lookup, a grouped aggregate and a bulk
 * scan through Junction against the same SQL sent straight to PostgreSQL), a small-to-big
 * cross-source join against stock Calcite 1.42's JDBC adapter, and all 22 TPC-H queries
 * over the three-database split, each in a fresh JVM killed at a deadline, Junction
 * against stock Calcite (cold numbers);</li>
 * <li>{@code passthrough}: the 22 queries on one PostgreSQL schema and on one DuckDB file
 * holding all eight tables, direct JDBC against Junction, warm ({@link TpchWarmScenarios});</li>
 * <li>{@code passthrough-interleaved}: {@code passthrough} (PostgreSQL, then DuckDB) with both
 * engines in this JVM, alternating run by run, so load from elsewhere hits both alike
 * ({@link InterleavedPassthroughScenario});</li>
 * <li>{@code federated}: the 22 queries over the split, warm, Junction and stock Calcite
 * against one DuckDB file with all eight tables ({@link TpchWarmScenarios});</li>
 * <li>{@code overhead}: point lookup and grouped aggregate, prepared and unprepared,
 * against direct PostgreSQL JDBC ({@link OverheadScenario});</li>
 * <li>{@code startup}: warm start of {@code junction sql} on the demo, a new JVM per run,
 * {@code VALUES 1} against demo queries, plain {@code java -jar} against the launcher's
 * options ({@link StartupScenario}; {@code --cli-jar} names the jar);</li>
 * <li>{@code concurrency}: 1, 8 and 64 clients (or {@code --clients}) over the server at
 * once, a mix of pushed aggregate, pushed joins, a small cross-source join and
 * {@code VALUES 1}, for {@code --seconds} each: throughput, p50 and p99
 * ({@link ConcurrencyScenario}; {@code --server-settings} the server's YAML, repeated to
 * compare settings in one run, {@code --pool-size} every server source's pool, several
 * separated by commas);</li>
 * <li>{@code cache}: a result cache hit against the uncached query and direct JDBC
 * ({@link CacheScenario});</li>
 * <li>{@code fetch}: bulk fetch of one table through Junction against the vendor's driver
 * alone ({@link FetchScenario});</li>
 * <li>{@code selective}: one customer's orders joined to lineitem across sources, against
 * the same join in one DuckDB file and stock Calcite ({@link SelectiveJoinScenario});</li>
 * <li>{@code localengine}: the local part of cross-source plans (hash joins, aggregates, a
 * sort over fetched rows) in Calcite's Enumerable against an embedded DuckDB fed through
 * its Appender and against hand-written Java ({@link LocalEngineScenario});</li>
 * <li>{@code all}: passthrough, federated and overhead.</li>
 * </ul>
 *
 * <p>Data is TPC-H at {@code --sf} made by the driver tests' generator. A watchdog ends
 * the whole run after {@code --deadline-minutes}, so it cannot hang.
 */
public final class FederationBench {
  private static final List<String> SCENARIOS = List.of("default", "passthrough",
      "passthrough-interleaved", "federated", "overhead", "startup", "concurrency", "cache",
      "fetch", "selective", "localengine", "all");

  private final double scaleFactor;
  private final int repeat;
  private final int timeoutSeconds;
  private final Path dir;
  private final TpchDatabases db;
  private final List<String[]> results = new ArrayList<>();

  private TpchDatabases.Split split;
  private Path junctionCatalog;
  private Properties stockProperties;
  private Properties stockColdProperties;

  private FederationBench(double scaleFactor, int repeat, int timeoutSeconds, Path dir,
      TpchDatabases db) {
    this.scaleFactor = scaleFactor;
    this.repeat = repeat;
    this.timeoutSeconds = timeoutSeconds;
    this.dir = dir;
    this.db = db;
  }

  /**
   * Options: {@code --scenario default|passthrough|passthrough-interleaved|federated|overhead|}
   * {@code startup|cache|fetch|selective|localengine|all} (several separated by commas),
   * {@code --junction-property
   * name=value} (a connection property of the federated scenario's Junction connections,
   * repeatable), {@code --sf 0.1 --repeat 5
   * --warmups 1 --timeout 60 --ops 500 --deadline-minutes 240 --cli-jar
   * avatica-server/target/junction-cli.jar}.
   */
  public static void main(String[] args) throws Exception {
    double sf = 0.1;
    int repeat = 5;
    int warmups = 1;
    int timeout = 60;
    int ops = 500;
    int deadlineMinutes = 240;
    Path cliJar = Path.of("avatica-server", "target", "junction-cli.jar");
    List<Integer> clients = List.of(1, 8, 64);
    int seconds = 20;
    List<String> serverSettings = new ArrayList<>();
    List<Integer> poolSizes = new ArrayList<>();
    Properties junctionProperties = new Properties();
    Set<String> scenarios = new LinkedHashSet<>(List.of("default"));
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--sf" -> sf = Double.parseDouble(value);
        case "--repeat" -> repeat = positive(args[i], value);
        case "--warmups" -> warmups = Integer.parseInt(value);
        case "--timeout" -> timeout = positive(args[i], value);
        case "--ops" -> ops = positive(args[i], value);
        case "--deadline-minutes" -> deadlineMinutes = positive(args[i], value);
        case "--cli-jar" -> cliJar = Path.of(value);
        case "--clients" -> clients = Arrays.stream(value.split(","))
            .map(v -> positive("--clients", v)).toList();
        case "--seconds" -> seconds = positive(args[i], value);
        case "--server-settings" -> serverSettings.add(value.replace("\\n", "\n"));
        case "--pool-size" -> Arrays.stream(value.split(","))
            .forEach(v -> poolSizes.add(positive("--pool-size", v)));
        case "--junction-property" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--junction-property " + value
                + ": allowed is name=value (a Junction connection property)");
          }
          junctionProperties.setProperty(value.substring(0, eq), value.substring(eq + 1));
        }
        case "--scenario" -> {
          scenarios.clear();
          for (String s : value.split(",")) {
            if (!SCENARIOS.contains(s)) {
              throw new IllegalArgumentException("--scenario " + s + ": allowed are "
                  + SCENARIOS + ", several separated by commas");
            }
            scenarios.addAll(s.equals("all") ? List.of("passthrough", "federated", "overhead")
                : List.of(s));
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; allowed: --scenario " + String.join("|", SCENARIOS) + ", --sf <scale factor>,"
            + " --repeat <n>, --warmups <n>, --timeout <seconds per query execution>,"
            + " --ops <point lookups>, --deadline-minutes <whole run>, --cli-jar <path>,"
            + " --clients <n,n,...>, --seconds <per client count>, --server-settings <yaml>,"
            + " --pool-size <n,n,...>, --junction-property <name=value>");
      }
      i++;
    }
    Path dir = Files.createTempDirectory("junction-bench");
    // Statements the benchmark gave up on stop on the server soon after.
    TpchDatabases db = new TpchDatabases(sf, dir, timeout + 30);
    AtomicBoolean closed = new AtomicBoolean();
    Runnable cleanUp = () -> {
      if (closed.compareAndSet(false, true)) {
        WarmRunner.CHILDREN.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        WarmRunner.CHILDREN.forEach(Process::destroyForcibly);
        try {
          db.close();
        } catch (Exception e) {
          System.err.println("dropping the benchmark's schemas failed: " + e);
        }
        deleteDatabaseFiles(dir);
      }
    };
    System.err.println("bench files (answers, sent statements, engine logs): " + dir);
    Runtime.getRuntime().addShutdownHook(new Thread(cleanUp, "bench-clean-up"));
    watchdog(deadlineMinutes);
    FederationBench bench = new FederationBench(sf, repeat, timeout, dir, db);
    try {
      for (String scenario : scenarios) {
        String table = switch (scenario) {
          case "passthrough" -> new TpchWarmScenarios(db, dir, sf, warmups, repeat, timeout)
              .passthrough();
          case "passthrough-interleaved" -> new InterleavedPassthroughScenario(db, dir, sf,
              warmups, repeat, timeout).run();
          case "federated" -> new TpchWarmScenarios(db, dir, sf, warmups, repeat, timeout)
              .federated(junctionProperties);
          case "overhead" -> new OverheadScenario(db, sf, ops, Math.max(repeat, 20), timeout)
              .run();
          case "startup" -> new StartupScenario(cliJar.toAbsolutePath(), dir, repeat).run();
          case "concurrency" -> new ConcurrencyScenario(db, dir, sf, clients, seconds,
              serverSettings.isEmpty() ? List.of(ConcurrencyScenario.DEFAULT_SETTINGS)
                  : serverSettings,
              poolSizes.isEmpty() ? java.util.Collections.singletonList(null) : poolSizes)
              .run();
          case "cache" -> new CacheScenario(db, sf, Math.max(repeat, 20), timeout).run();
          case "fetch" -> new FetchScenario(db, sf, Math.max(repeat, 5)).run();
          case "selective" -> new SelectiveJoinScenario(db, sf, Math.max(repeat, 9)).run();
          case "localengine" -> new LocalEngineScenario(db, sf, repeat).run();
          default -> bench.classic();
        };
        System.out.println(table);
        System.out.flush();
      }
    } finally {
      cleanUp.run();
    }
  }

  /** Deletes the DuckDB files, the bulk of the run's disk; answers and logs stay. */
  private static void deleteDatabaseFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().contains(".duckdb"))
          .toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      System.err.println("deleting the DuckDB files in " + dir + " failed: " + e);
    }
  }

  private static int positive(String option, String value) {
    int n = Integer.parseInt(value);
    if (n < 1) {
      throw new IllegalArgumentException(option + " " + value + ": must be at least 1");
    }
    return n;
  }

  /** Ends the run, killing its child JVMs and dropping its schemas, after the deadline. */
  private static void watchdog(int minutes) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(minutes));
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("benchmark still running after " + minutes + " minutes"
          + " (--deadline-minutes): stopping");
      Thread halt = new Thread(() -> {
        try {
          Thread.sleep(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
          return;
        }
        Runtime.getRuntime().halt(4);
      }, "bench-halt");
      halt.setDaemon(true);
      halt.start();
      System.exit(3);
    }, "bench-watchdog");
    t.setDaemon(true);
    t.start();
  }

  /** The original run: pushdown overhead, cross-source join, cold TPC-H. */
  private String classic() throws Exception {
    load();
    pushdownOverhead();
    smallToBigJoin();
    tpch();
    return table();
  }

  private void load() throws Exception {
    split = db.split();
    junctionCatalog = db.splitCatalog("catalog-split");
    // Stock Calcite opens DuckDB read-write and its pool keeps the file locked, so it
    // gets its own copies: one for in-process runs, one for the child JVMs.
    stockProperties = db.stockCalcite(db.copy(split.lake(), "lake-stock-warm.duckdb"));
    stockColdProperties = db.stockCalcite(db.copy(split.lake(), "lake-stock-cold.duckdb"));
  }

  private Connection junction() throws SQLException {
    return CatalogFile.connect(junctionCatalog);
  }

  private Connection stock() throws SQLException {
    return DriverManager.getConnection("jdbc:calcite:", stockProperties);
  }

  /** Median wall time in ms of running {@code work} {@link #repeat} times after a warm-up. */
  private double median(SqlWork work) throws Exception {
    work.run();
    double[] times = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long start = System.nanoTime();
      work.run();
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(times);
    return times[repeat / 2];
  }

  /** Work measured by {@link #median}. */
  @FunctionalInterface
  private interface SqlWork {
    void run() throws Exception;
  }

  private static long drain(ResultSet rs) throws SQLException {
    long n = 0;
    try (rs) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }

  private void pushdownOverhead() throws Exception {
    String lookup = "SELECT * FROM %s WHERE o_orderkey = ?";
    String aggregate = "SELECT o_orderpriority, COUNT(*), SUM(o_totalprice) FROM %s"
        + " WHERE o_orderdate >= DATE '1995-01-01' GROUP BY o_orderpriority";
    try (Connection j = junction(); Connection d = split.pg().connect()) {
      String jt = split.junctionNames().get("orders");
      String dt = split.pg().namespace() + ".orders";
      PreparedStatement jp = j.prepareStatement(String.format(Locale.ROOT, lookup, jt));
      PreparedStatement dp = d.prepareStatement(String.format(Locale.ROOT, lookup, dt));
      double junctionMs = median(() -> {
        jp.setLong(1, 7);
        drain(jp.executeQuery());
      });
      double directMs = median(() -> {
        dp.setLong(1, 7);
        drain(dp.executeQuery());
      });
      record("Point lookup, prepared (PostgreSQL)", "direct PostgreSQL JDBC", junctionMs,
          directMs);
      Statement js = j.createStatement();
      Statement ds = d.createStatement();
      junctionMs = median(() -> drain(js.executeQuery(String.format(Locale.ROOT, aggregate, jt))));
      directMs = median(() -> drain(ds.executeQuery(String.format(Locale.ROOT, aggregate, dt))));
      record("Grouped aggregate, pushed down (PostgreSQL)", "direct PostgreSQL JDBC",
          junctionMs, directMs);
      String scan = "SELECT o_orderkey, o_custkey, o_totalprice, o_orderdate FROM %s";
      ds.setFetchSize(1000);
      d.setAutoCommit(false);
      junctionMs = median(() -> WarmRun.drainValues(js.executeQuery(String.format(Locale.ROOT, scan,
          jt))));
      directMs = median(() -> WarmRun.drainValues(ds.executeQuery(String.format(Locale.ROOT, scan,
          dt))));
      d.commit();
      record("Bulk scan, every orders row x 4 columns (PostgreSQL)",
          "direct PostgreSQL JDBC, fetch size 1000", junctionMs, directMs);
    }
  }

  private void smallToBigJoin() throws Exception {
    String sql = "SELECT o.o_orderkey, COUNT(*), SUM(l.l_extendedprice) FROM ${orders} o"
        + " JOIN ${lineitem} l ON l.l_orderkey = o.o_orderkey WHERE o.o_custkey = 370"
        + " GROUP BY o.o_orderkey";
    try (Connection j = junction(); Connection s = stock()) {
      Statement js = j.createStatement();
      Statement ss = s.createStatement();
      String jsql = substitute(sql, split.junctionNames());
      String ssql = substitute(sql, split.stockNames());
      double junctionMs = median(() -> drain(js.executeQuery(jsql)));
      double stockMs = median(() -> drain(ss.executeQuery(ssql)));
      record("Cross-source join, 1 customer's orders (PostgreSQL) x lineitem (DuckDB)",
          "stock Calcite 1.42 JDBC adapter", junctionMs, stockMs);
    }
  }

  private void tpch() throws Exception {
    double junctionTotal = 0;
    double stockTotal = 0;
    int stockFailures = 0;
    Properties junctionProps = new Properties();
    for (int q = 1; q <= 22; q++) {
      String name = String.format(Locale.ROOT, "q%02d", q);
      String template = resource("/tpch/" + name + ".sql");
      String[] j = child("jdbc:junction:config=" + junctionCatalog, junctionProps,
          substitute(template, split.junctionNames()));
      String[] s = child("jdbc:calcite:", stockColdProperties,
          substitute(template, split.stockNames()));
      double jm = j[0].equals("OK") ? Double.parseDouble(j[1]) : Double.NaN;
      double sm = s[0].equals("OK") ? Double.parseDouble(s[1]) : Double.NaN;
      if (!j[0].equals("OK")) {
        System.err.println("Junction " + name + ": " + String.join(" ", j));
      }
      if (!s[0].equals("OK")) {
        stockFailures++;
        System.err.println("stock Calcite " + name + ": " + String.join(" ", s));
      }
      junctionTotal += Double.isNaN(jm) ? timeoutSeconds * 1000.0 : jm;
      stockTotal += Double.isNaN(sm) ? timeoutSeconds * 1000.0 : sm;
      results.add(new String[] {"TPC-H " + name.toUpperCase(Locale.ROOT) + " (cold JVM)",
          "stock Calcite 1.42", cell(j), cell(s), ratio(jm, sm)});
    }
    String total = "TPC-H all 22, total (failures/timeouts count as " + timeoutSeconds + " s)";
    results.add(new String[] {total, "stock Calcite 1.42 (" + stockFailures + " failed)",
        fmt(junctionTotal), fmt(stockTotal), ratio(junctionTotal, stockTotal)});
  }

  private static String cell(String[] outcome) {
    return switch (outcome[0]) {
      case "OK" -> outcome[1];
      case "TIMEOUT" -> "timeout";
      default -> "error";
    };
  }

  /** Runs one query in a child JVM; returns {"OK", ms, rows}, {"TIMEOUT"} or {"ERR", msg}. */
  private String[] child(String url, Properties props, String sql) throws Exception {
    Path propsFile = Files.createTempFile(dir, "props", ".properties");
    try (OutputStream out = Files.newOutputStream(propsFile)) {
      props.store(out, null);
    }
    Path sqlFile = Files.createTempFile(dir, "query", ".sql");
    Files.writeString(sqlFile, sql, StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
        System.getProperty("java.class.path"), RunOne.class.getName(), url,
        propsFile.toString(), sqlFile.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    // Registered so that a run stopped midway (the watchdog, Ctrl-C) kills it too.
    WarmRunner.CHILDREN.add(p);
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        return new String[] {"TIMEOUT"};
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line = r.lines().filter(l -> l.startsWith("OK ") || l.startsWith("ERR "))
            .reduce((a, b) -> b).orElse("ERR no output");
        return line.split(" ", 3);
      }
    } finally {
      WarmRunner.kill(p);
      WarmRunner.CHILDREN.remove(p);
    }
  }

  private static String substitute(String template, Map<String, String> names) {
    String s = template;
    for (Map.Entry<String, String> e : names.entrySet()) {
      s = s.replace("${" + e.getKey() + "}", e.getValue());
    }
    return s;
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = FederationBench.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void record(String scenario, String baseline, double junctionMs, double baselineMs) {
    results.add(new String[] {scenario, baseline, fmt(junctionMs), fmt(baselineMs),
        ratio(junctionMs, baselineMs)});
  }

  private static String fmt(double ms) {
    return Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.0f", ms);
  }

  private static String ratio(double junctionMs, double baselineMs) {
    return MarkdownTable.ratio(junctionMs, baselineMs);
  }

  private String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "TPC-H SF %s, median of %d warm runs unless marked"
        + " cold; ratio = Junction / baseline (above 1: Junction slower)%n%n", scaleFactor,
        repeat));
    b.append("| scenario | baseline | Junction ms | baseline ms | Junction / baseline |\n");
    b.append("|---|---|---:|---:|---:|\n");
    for (String[] r : results) {
      b.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return b.toString();
  }
}
