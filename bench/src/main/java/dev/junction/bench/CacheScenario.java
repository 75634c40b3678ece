package dev.junction.bench;

import dev.junction.testing.CatalogFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * A result cache hit against the same query run through Junction without the cache and
 * against direct JDBC, in this JVM, over the TPC-H split: a grouped aggregate on orders in
 * PostgreSQL and a small federated join (customer in PostgreSQL with nation in DuckDB).
 * Each statement is prepared once and executed many times with the same parameters, as a
 * dashboard would; the uncached runs use a connection with {@code resultCache=bypass}.
 */
final class CacheScenario {
  private static final int WARMUPS = 5;
  private static final String AGGREGATE = "SELECT o_orderpriority, COUNT(*), SUM(o_totalprice)"
      + " FROM %s WHERE o_orderdate >= DATE '1995-01-01' GROUP BY o_orderpriority";
  private static final String JOIN = "SELECT n.n_name, COUNT(*), SUM(c.c_acctbal) FROM %s c"
      + " JOIN %s n ON c.c_nationkey = n.n_nationkey GROUP BY n.n_name";

  private final TpchDatabases db;
  private final double scaleFactor;
  private final int runs;
  private final int timeoutSeconds;

  CacheScenario(TpchDatabases db, double scaleFactor, int runs, int timeoutSeconds) {
    this.db = db;
    this.scaleFactor = scaleFactor;
    this.runs = runs;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The table, as Markdown. */
  String run() throws Exception {
    TpchDatabases.Split split = db.split();
    Path catalog = db.splitCatalog("catalog-cache");
    Files.writeString(catalog, Files.readString(catalog, StandardCharsets.UTF_8)
        + "cache: {max-bytes: 64MB, max-entry-bytes: 8MB, ttl: 10m}\naudit: {destination: none}\n",
        StandardCharsets.UTF_8);
    String orders = split.junctionNames().get("orders");
    String customer = split.junctionNames().get("customer");
    String nation = split.junctionNames().get("nation");
    MarkdownTable t = new MarkdownTable("query", ">executions", ">direct JDBC ms",
        ">Junction uncached ms", ">Junction cache hit ms", ">uncached / hit", ">direct / hit");
    Properties bypass = new Properties();
    bypass.setProperty("resultCache", "bypass");
    try (Connection direct = DriverManager.getConnection(db.postgresUrl(split.pg()),
            split.pg().user(), split.pg().password());
         Connection uncached = CatalogFile.connect(catalog, bypass);
         Connection cached = CatalogFile.connect(catalog)) {
      String pgOrders = split.pg().namespace() + ".orders";
      double d = median(direct, String.format(Locale.ROOT, AGGREGATE, pgOrders));
      double u = median(uncached, String.format(Locale.ROOT, AGGREGATE, orders));
      double h = median(cached, String.format(Locale.ROOT, AGGREGATE, orders));
      row(t, "Grouped aggregate on orders (PostgreSQL)", d, u, h);
      double fu = median(uncached, String.format(Locale.ROOT, JOIN, customer, nation));
      double fh = median(cached, String.format(Locale.ROOT, JOIN, customer, nation));
      row(t, "Federated join customer (PostgreSQL) x nation (DuckDB), grouped", Double.NaN,
          fu, fh);
    }
    return String.format(Locale.ROOT, "### Result cache: a hit against the uncached query"
        + " and direct JDBC%n%nTPC-H SF %s split over PostgreSQL, MariaDB and DuckDB; Junction"
        + " in-process; each statement prepared once, median of %d executions after %d"
        + " warm-ups, the whole result read. Uncached: a connection with"
        + " `resultCache=bypass`. The federated join has no single database to run it on"
        + " directly. The last two columns: how many times faster the hit is.%n%n",
        scaleFactor, runs, WARMUPS) + t.render();
  }

  private void row(MarkdownTable t, String query, double direct, double uncached, double hit) {
    t.row(query, Integer.toString(runs), Double.isNaN(direct) ? "-" : MarkdownTable.ms(direct),
        MarkdownTable.ms(uncached), MarkdownTable.ms(hit), MarkdownTable.ratio(uncached, hit),
        Double.isNaN(direct) ? "-" : MarkdownTable.ratio(direct, hit));
  }

  /** The median time of one execution of {@code sql}, prepared once. */
  private double median(Connection c, String sql) throws SQLException {
    double[] times = new double[runs];
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(timeoutSeconds);
      for (int i = 0; i < WARMUPS + runs; i++) {
        long start = System.nanoTime();
        WarmRun.drainValues(ps.executeQuery());
        if (i >= WARMUPS) {
          times[i - WARMUPS] = (System.nanoTime() - start) / 1e6;
        }
      }
    }
    Arrays.sort(times);
    return times[times.length / 2];
  }
}
