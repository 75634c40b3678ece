package dev.junction.bench;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingPostgreSqlServer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Single-source pass-through with the two engines interleaved: the 22 TPC-H queries on all
 * eight tables in one PostgreSQL schema, then in one DuckDB file, straight to the
 * database's JDBC driver and through Junction with a catalog of that one source, both
 * connections in this JVM. Each
 * query runs alternately on one and the other (which goes first alternates too), warm-ups
 * then timed runs, and the medians are compared. Before any query is timed, rounds of all
 * 22 on both engines warm the JIT until it settles ({@link JitWarmup}): a few runs per
 * query warm the caches, not the compiler, and on two cores Junction's still-compiling
 * path took a core from the database.
 *
 * <p>Design: {@code passthrough} runs all queries on one engine and then all on the
 * other, each in its own JVM, minutes apart; on this shared two-core machine a load that
 * came and went in between showed as a ratio (it reported Q4 at 1.52x where both engines
 * send PostgreSQL the same plan). Interleaved, whatever else runs slows both alike. A
 * query either engine fails (PostgreSQL ends it at {@code --timeout} seconds, set as the
 * session's {@code statement_timeout} on both connections, so Junction sends no
 * per-statement timeout of its own) is reported as such and not timed further. Answers
 * are checked by row count here; {@code passthrough} compares every value.
 */
final class InterleavedPassthroughScenario {
  /** Seconds of rounds of all queries on both engines before any is timed, at least. */
  private static final int MIN_WARMUP_SECONDS = 30;
  /** No JIT warm-up round starts after this many seconds (per source). */
  private static final int MAX_WARMUP_SECONDS = 150;

  private final TpchDatabases db;
  private final Path dir;
  private final double scaleFactor;
  private final int warmups;
  private final int repeat;
  private final int timeoutSeconds;

  InterleavedPassthroughScenario(TpchDatabases db, Path dir, double scaleFactor, int warmups,
      int repeat, int timeoutSeconds) {
    this.db = db;
    this.dir = dir;
    this.scaleFactor = scaleFactor;
    this.warmups = warmups;
    this.repeat = repeat;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The tables, PostgreSQL's then DuckDB's, as Markdown. */
  String run() throws Exception {
    TestingPostgreSqlServer pg = db.singlePostgres(TpchQueries.TABLES);
    String url = pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "options="
        + URLEncoder.encode("-c statement_timeout=" + timeoutSeconds + "s",
            StandardCharsets.UTF_8).replace("+", "%20");
    Path catalog = new CatalogFile().source("pg", Map.of("type", "postgresql", "url", url,
        "user", pg.user(), "password", pg.password()))
        .write(Files.createDirectories(dir.resolve("catalog-pg-interleaved")));
    Properties direct = new Properties();
    direct.setProperty("user", pg.user());
    direct.setProperty("password", pg.password());
    Class.forName("dev.junction.driver.JunctionDriver");
    StringBuilder b = new StringBuilder();
    try (Connection d = DriverManager.getConnection(url, direct);
         Connection j = DriverManager.getConnection("jdbc:junction:config=" + catalog)) {
      b.append(interleave("PostgreSQL", d, n -> pg.namespace() + "." + n, j,
          n -> "pg." + pg.namespace() + "." + n, "PostgreSQL ends a statement at "
          + timeoutSeconds + " s"));
    }
    // Junction opens its DuckDB source read-only; the direct connection gets its own copy,
    // since one process cannot hold a file both ways.
    Path file = db.singleDuckDb();
    Path copy = db.copy(file, "tpch-interleaved-direct.duckdb");
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + copy, readOnly);
         Connection j = DriverManager.getConnection("jdbc:junction:config="
             + db.duckDbCatalog("catalog-duck-interleaved", file))) {
      b.append('\n').append(interleave("DuckDB", d, n -> n, j, n -> "duck.main." + n,
          "no statement timeout"));
    } finally {
      Files.deleteIfExists(copy);
    }
    return b.toString();
  }

  /** The 22 queries over one source, the two connections alternating; a Markdown table. */
  private String interleave(String source, Connection d, UnaryOperator<String> directNames,
      Connection j, UnaryOperator<String> junctionNames, String timeout) throws Exception {
    Map<String, String> templates = TpchQueries.templates();
    MarkdownTable t = new MarkdownTable("query", ">direct " + source + " JDBC ms",
        ">Junction ms", ">Junction / direct", "within 1.1x + 2 ms", "rows");
    List<Double> ratios = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, String> failures = new LinkedHashMap<>();
    String warmup = JitWarmup.warm(() -> {
      for (Map.Entry<String, String> e : templates.entrySet()) {
        if (!failures.containsKey(e.getKey())) {
          String engine = "direct " + source;
          try {
            time(d, TpchQueries.sql(e.getValue(), directNames), new long[2], 0);
            engine = "Junction";
            time(j, TpchQueries.sql(e.getValue(), junctionNames), new long[2], 1);
          } catch (SQLException ex) {
            failures.put(e.getKey(), engine + ": " + WarmRun.describe(ex));
          }
        }
      }
    }, MIN_WARMUP_SECONDS, MAX_WARMUP_SECONDS);
    long compiled = JitWarmup.compileMillis();
    long timedStart = System.nanoTime();
    int within = 0;
    for (Map.Entry<String, String> e : templates.entrySet()) {
      String directSql = TpchQueries.sql(e.getValue(), directNames);
      String junctionSql = TpchQueries.sql(e.getValue(), junctionNames);
      double[] directMs = new double[repeat];
      double[] junctionMs = new double[repeat];
      long[] rows = {-1, -1};
      String failed = failures.get(e.getKey());
      for (int i = 0; i < warmups + repeat && failed == null; i++) {
        boolean junctionFirst = i % 2 == 1;
        try {
          double first = time(junctionFirst ? j : d, junctionFirst ? junctionSql : directSql,
              rows, junctionFirst ? 1 : 0);
          double second = time(junctionFirst ? d : j, junctionFirst ? directSql : junctionSql,
              rows, junctionFirst ? 0 : 1);
          if (i >= warmups) {
            directMs[i - warmups] = junctionFirst ? second : first;
            junctionMs[i - warmups] = junctionFirst ? first : second;
          }
        } catch (SQLException ex) {
          failed = WarmRun.describe(ex);
        }
      }
      String label = TpchQueries.label(e.getKey());
      if (failed != null) {
        t.row(label, "-", "-", "n/a", "-", "-");
        notes.add(label + ": " + failed);
        continue;
      }
      double dm = WarmRun.median(directMs);
      double jm = WarmRun.median(junctionMs);
      ratios.add(jm / dm);
      boolean ok = jm <= 1.1 * dm + 2;
      within += ok ? 1 : 0;
      t.row(label, MarkdownTable.ms(dm), MarkdownTable.ms(jm), MarkdownTable.ratio(jm, dm),
          ok ? "yes" : "**no**", rows[0] == rows[1] ? Long.toString(rows[0])
              : "**" + rows[0] + " vs " + rows[1] + "**");
    }
    double timedMs = (System.nanoTime() - timedStart) / 1e6;
    long timedCompileMs = JitWarmup.compileMillis() - compiled;
    t.row("geometric mean (" + ratios.size() + " of 22 finished)", "", "",
        MarkdownTable.geometricMean(ratios), within + " of " + ratios.size(), "");
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "### Single-source"
        + " pass-through, %s, interleaved: direct JDBC and Junction alternating in"
        + " one JVM%n%nTPC-H SF %s; %s, then per query a median of %d runs each after %d"
        + " warm-ups, the engines alternating per run (who goes first alternates too); the"
        + " JIT compiled for %d ms of the %.0f s of timed runs; %s; ratio = Junction time"
        + " / direct time.%n%n", source, scaleFactor, warmup, repeat, warmups,
        timedCompileMs, timedMs / 1e3, timeout)).append(t.render());
    if (!notes.isEmpty()) {
      b.append('\n');
      notes.forEach(n -> b.append("- ").append(n).append('\n'));
    }
    return b.toString();
  }

  /** One execution reading every value; its milliseconds. Records its row count. */
  private static double time(Connection c, String sql, long[] rows, int engine)
      throws SQLException {
    long start = System.nanoTime();
    long n;
    try (Statement st = c.createStatement()) {
      n = WarmRun.drainValues(st.executeQuery(sql));
    }
    double ms = (System.nanoTime() - start) / 1e6;
    rows[engine] = n;
    return ms;
  }

}
