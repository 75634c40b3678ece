package dev.junction.bench;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.tpch.TpchData;
import dev.junction.tpch.TpchData.Dialect;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The federation benchmark. TPC-H data is split over PostgreSQL (orders, customer),
 * MariaDB (part, partsupp, supplier) and DuckDB (lineitem, nation, region), and each
 * scenario runs Junction next to a baseline in the same run:
 *
 * <ul>
 * <li>pushdown overhead: a point lookup and a grouped aggregate through Junction against
 * the same SQL sent straight to PostgreSQL with its JDBC driver;</li>
 * <li>small-to-big cross-source join: Junction against stock Calcite 1.42's JDBC adapter
 * over the same three databases;</li>
 * <li>all 22 TPC-H queries, each in a fresh JVM killed at a deadline, Junction against
 * stock Calcite.</li>
 * </ul>
 *
 * <p>Prints a Markdown table with medians and ratios; the README quotes it.
 */
public final class FederationBench {
  private final double scaleFactor;
  private final int repeat;
  private final int timeoutSeconds;
  private final Path dir;
  private final List<String[]> results = new ArrayList<>();

  private TestingPostgreSqlServer pg;
  private TestingMariaDbServer maria;
  private Path junctionCatalog;
  private Properties stockProperties;
  private Properties stockColdProperties;
  private final Map<String, String> junctionNames = new LinkedHashMap<>();
  private final Map<String, String> stockNames = new LinkedHashMap<>();

  private FederationBench(double scaleFactor, int repeat, int timeoutSeconds) throws IOException {
    this.scaleFactor = scaleFactor;
    this.repeat = repeat;
    this.timeoutSeconds = timeoutSeconds;
    this.dir = Files.createTempDirectory("junction-bench");
  }

  /** Options: {@code --sf 0.1 --repeat 5 --timeout 60}. */
  public static void main(String[] args) throws Exception {
    double sf = 0.1;
    int repeat = 5;
    int timeout = 60;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sf" -> sf = Double.parseDouble(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--timeout" -> timeout = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; allowed: --sf <scale factor>, --repeat <n>, --timeout <seconds>");
      }
    }
    FederationBench bench = new FederationBench(sf, repeat, timeout);
    try {
      bench.load();
      bench.pushdownOverhead();
      bench.smallToBigJoin();
      bench.tpch();
      bench.print();
    } finally {
      bench.close();
    }
  }

  private void load() throws Exception {
    long start = System.nanoTime();
    TpchData data = TpchData.generate(scaleFactor);
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    Properties pgProps = new Properties();
    pgProps.setProperty("user", pg.user());
    pgProps.setProperty("password", pg.password());
    pgProps.setProperty("reWriteBatchedInserts", "true");
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pgProps)) {
      List<String> loaded = new ArrayList<>();
      for (String t : List.of("orders", "customer")) {
        data.load(c, Dialect.POSTGRESQL, t, pg.namespace() + "." + t);
        loaded.add(pg.namespace() + "." + t);
        junctionNames.put(t, "sales." + pg.namespace() + "." + t);
        stockNames.put(t, "sales." + t);
      }
      TpchData.analyze(c, Dialect.POSTGRESQL, loaded);
    }
    try (Connection c = maria.connect()) {
      for (String t : List.of("part", "partsupp", "supplier")) {
        data.load(c, Dialect.MARIADB, t, t);
        junctionNames.put(t, "crm." + maria.namespace() + "." + t);
        stockNames.put(t, "crm." + t);
      }
      TpchData.analyze(c, Dialect.MARIADB, List.of("part", "partsupp", "supplier"));
    }
    Path lake = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake)) {
      for (String t : List.of("lineitem", "nation", "region")) {
        data.load(c, Dialect.DUCKDB, t, t);
        junctionNames.put(t, "lake.main." + t);
        stockNames.put(t, "lake." + t);
      }
      TpchData.analyze(c, Dialect.DUCKDB, List.of());
    }
    junctionCatalog = new CatalogFile().postgresql("sales", pg).mariadb("crm", maria)
        .duckdb("lake", lake).write(dir);
    // Stock Calcite opens DuckDB read-write and its pool keeps the file locked, so it
    // gets its own copies: one for in-process runs, one for the child JVMs.
    Path warmCopy = dir.resolve("lake-stock-warm.duckdb");
    Path coldCopy = dir.resolve("lake-stock-cold.duckdb");
    Files.copy(lake, warmCopy);
    Files.copy(lake, coldCopy);
    stockProperties = stockProperties(warmCopy);
    stockColdProperties = stockProperties(coldCopy);
    System.err.printf(Locale.ROOT, "TPC-H SF %s loaded in %d ms (lineitem %d rows)%n",
        scaleFactor, TpchData.millisSince(start), data.rowCount("lineitem"));
  }

  private Properties stockProperties(Path lake) {
    Properties p = new Properties();
    p.setProperty("caseSensitive", "false");
    p.setProperty("unquotedCasing", "UNCHANGED");
    p.setProperty("model", "inline:" + stockModel(lake));
    return p;
  }

  /** A Calcite model with one JDBC schema per database, as stock Calcite users write. */
  private String stockModel(Path lake) {
    return "{\"version\": \"1.0\", \"defaultSchema\": \"sales\", \"schemas\": ["
        + jdbcSchema("sales", pg.jdbcUrl(), pg.user(), pg.password(), null, pg.namespace())
        + ", " + jdbcSchema("crm", maria.jdbcUrl(), maria.user(), maria.password(),
            maria.namespace(), null)
        + ", " + jdbcSchema("lake", "jdbc:duckdb:" + lake, null, null, null, "main")
        + "]}";
  }

  private static String jdbcSchema(String name, String url, String user, String password,
      String catalog, String schema) {
    StringBuilder b = new StringBuilder("{\"name\": \"" + name + "\", \"type\": \"custom\","
        + " \"factory\": \"org.apache.calcite.adapter.jdbc.JdbcSchema$Factory\", \"operand\": {"
        + "\"jdbcUrl\": \"" + url + "\"");
    if (user != null) {
      b.append(", \"jdbcUser\": \"").append(user).append("\", \"jdbcPassword\": \"")
          .append(password).append('"');
    }
    if (catalog != null) {
      b.append(", \"jdbcCatalog\": \"").append(catalog).append('"');
    }
    if (schema != null) {
      b.append(", \"jdbcSchema\": \"").append(schema).append('"');
    }
    return b.append("}}").toString();
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

  /** Reads every value of every row, as a client would. */
  private static long drainValues(ResultSet rs) throws SQLException {
    long n = 0;
    try (rs) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
        n++;
      }
    }
    return n;
  }

  private void pushdownOverhead() throws Exception {
    String lookup = "SELECT * FROM %s WHERE o_orderkey = ?";
    String aggregate = "SELECT o_orderpriority, COUNT(*), SUM(o_totalprice) FROM %s"
        + " WHERE o_orderdate >= DATE '1995-01-01' GROUP BY o_orderpriority";
    try (Connection j = junction(); Connection d = pg.connect()) {
      String jt = junctionNames.get("orders");
      String dt = pg.namespace() + ".orders";
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
      junctionMs = median(() -> drainValues(js.executeQuery(String.format(Locale.ROOT, scan,
          jt))));
      directMs = median(() -> drainValues(ds.executeQuery(String.format(Locale.ROOT, scan,
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
      double junctionMs = median(() -> drain(js.executeQuery(substitute(sql, junctionNames))));
      double stockMs = median(() -> drain(ss.executeQuery(substitute(sql, stockNames))));
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
          substitute(template, junctionNames));
      String[] s = child("jdbc:calcite:", stockColdProperties, substitute(template, stockNames));
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
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return new String[] {"TIMEOUT"};
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line = r.lines().filter(l -> l.startsWith("OK ") || l.startsWith("ERR "))
          .reduce((a, b) -> b).orElse("ERR no output");
      return line.split(" ", 3);
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

  /** Baseline time divided by Junction's: above 1 means Junction is faster. */
  private static String ratio(double junctionMs, double baselineMs) {
    if (Double.isNaN(junctionMs) || Double.isNaN(baselineMs)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2fx", baselineMs / junctionMs);
  }

  private void print() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "TPC-H SF %s, median of %d warm runs unless marked"
        + " cold; ratio = baseline / Junction (above 1: Junction faster)%n%n", scaleFactor,
        repeat));
    b.append("| scenario | baseline | Junction ms | baseline ms | ratio |\n");
    b.append("|---|---|---:|---:|---:|\n");
    for (String[] r : results) {
      b.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    System.out.print(b);
  }

  private void close() throws Exception {
    if (pg != null) {
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

}
