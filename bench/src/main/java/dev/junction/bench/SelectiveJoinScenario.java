package dev.junction.bench;

import dev.junction.testing.CatalogFile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The selective cross-source join: one customer's orders (PostgreSQL) joined to lineitem
 * (DuckDB), through Junction and through stock Calcite 1.42 over the TPC-H split, against
 * the same join inside one DuckDB file holding both tables, in this JVM. Each engine
 * prepares the statement once, as an application would, and runs it for customers spread
 * over the key range, so no run reads a cached answer. PostgreSQL's orders has an index on
 * {@code o_custkey} for the run, as an application database serving one customer's orders
 * would (dropped afterwards: the TPC-H scenarios run on primary keys only); DuckDB, which
 * scans with zone maps, has none.
 */
final class SelectiveJoinScenario {
  private static final int WARMUPS = 2;
  /** Executions per JIT warm-up round. */
  private static final int WARMUP_ROUND = 20;
  /** Seconds of JIT warm-up per engine, at least and at most. */
  private static final int MIN_WARMUP_SECONDS = 20;
  private static final int MAX_WARMUP_SECONDS = 60;
  private static final String SQL = "SELECT o.o_orderkey, COUNT(*), SUM(l.l_extendedprice)"
      + " FROM ${orders} o JOIN ${lineitem} l ON l.l_orderkey = o.o_orderkey"
      + " WHERE o.o_custkey = ? GROUP BY o.o_orderkey";

  private final TpchDatabases db;
  private final double scaleFactor;
  private final int runs;

  SelectiveJoinScenario(TpchDatabases db, double scaleFactor, int runs) {
    this.db = db;
    this.scaleFactor = scaleFactor;
    this.runs = runs;
  }

  /** The table, as Markdown. */
  String run() throws Exception {
    TpchDatabases.Split split = db.split();
    Path catalog = db.splitCatalog("catalog-selective");
    Properties stock = db.stockCalcite(db.copy(split.lake(), "lake-stock-selective.duckdb"));
    Path single = db.copy(db.singleDuckDb(), "tpch-selective.duckdb");
    String index = split.pg().namespace() + ".selective_o_custkey";
    split.pg().execute("CREATE INDEX IF NOT EXISTS selective_o_custkey ON "
        + split.pg().namespace() + ".orders (o_custkey)");
    List<String> warmups = new ArrayList<>();
    double junction;
    double stockMs;
    double reference;
    try (AutoCloseable dropIndex = () -> split.pg().execute("DROP INDEX IF EXISTS " + index);
         Connection j = CatalogFile.connect(catalog);
         Connection s = DriverManager.getConnection("jdbc:calcite:", stock);
         Connection d = DriverManager.getConnection("jdbc:duckdb:" + single)) {
      Map<String, String> singleNames = Map.of("orders", "orders", "lineitem", "lineitem");
      warmups.add("the reference: " + warm(d, singleNames));
      reference = median(d, singleNames);
      warmups.add("Junction: " + warm(j, split.junctionNames()));
      junction = median(j, split.junctionNames());
      warmups.add("stock Calcite: " + warm(s, split.stockNames()));
      stockMs = median(s, split.stockNames());
    }
    MarkdownTable t = new MarkdownTable("engine", ">median ms", ">/ one DuckDB",
        ">stock Calcite / engine");
    t.row("one DuckDB file with both tables (reference)", MarkdownTable.ms(reference), "1.00x",
        MarkdownTable.ratio(stockMs, reference));
    t.row("Junction over the split", MarkdownTable.ms(junction),
        MarkdownTable.ratio(junction, reference), MarkdownTable.ratio(stockMs, junction));
    t.row("stock Calcite 1.42 over the split", MarkdownTable.ms(stockMs),
        MarkdownTable.ratio(stockMs, reference), "1.00x");
    return String.format(Locale.ROOT, "### Selective cross-source join: one customer's orders"
        + " (PostgreSQL) x lineitem (DuckDB)%n%nTPC-H SF %s; `%s`, prepared once; in-process;"
        + " median of %d executions after %d warm-ups, each for another customer; the whole"
        + " result read. Each engine's JIT warmed first: %s.%n%n", scaleFactor, SQL, runs,
        WARMUPS, String.join("; ", warmups)) + t.render();
  }

  /**
   * Warms the JIT on the join ({@link JitWarmup}): rounds of {@link #WARMUP_ROUND}
   * executions for successive customers.
   */
  private String warm(Connection c, Map<String, String> names) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql(names))) {
      int[] next = {WARMUPS + runs};
      return JitWarmup.warm(() -> {
        for (int i = 0; i < WARMUP_ROUND; i++) {
          ps.setLong(1, customer(next[0]++));
          WarmRun.drainValues(ps.executeQuery());
        }
      }, MIN_WARMUP_SECONDS, MAX_WARMUP_SECONDS);
    }
  }

  private String sql(Map<String, String> names) {
    return SQL.replace("${orders}", names.get("orders"))
        .replace("${lineitem}", names.get("lineitem"));
  }

  /** The {@code i}-th customer of a run, spread over the key range. */
  private long customer(int i) {
    int customers = Math.max(1, (int) (150_000 * scaleFactor));
    return 1 + (i * 7919L + 370) % customers;
  }

  /** The median time of the join for a different customer each run, names substituted. */
  private double median(Connection c, Map<String, String> names) throws SQLException {
    double[] times = new double[runs];
    try (PreparedStatement ps = c.prepareStatement(sql(names))) {
      for (int i = 0; i < WARMUPS + runs; i++) {
        ps.setLong(1, customer(i));
        long start = System.nanoTime();
        WarmRun.drainValues(ps.executeQuery());
        if (i >= WARMUPS) {
          times[i - WARMUPS] = (System.nanoTime() - start) / 1e6;
        }
      }
    }
    Arrays.sort(times);
    return times[runs / 2];
  }
}
