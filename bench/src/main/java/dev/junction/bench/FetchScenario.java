package dev.junction.bench;

import dev.junction.testing.CatalogFile;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Bulk fetch of one whole table through Junction against the vendor's JDBC driver alone,
 * in this JVM, over the TPC-H split: lineitem from DuckDB, orders from PostgreSQL,
 * partsupp from MariaDB. Both read every column of every row with {@code getObject}, as a
 * client exporting the table would. Reported: rows per second and this JVM's CPU time per
 * read (the sources' own CPU is not in it), medians. The two read alternately, who goes
 * first alternating too, so load from elsewhere on the machine and the sources' own
 * caches weigh on both alike: read one after the other, the direct rate alone moved by a
 * third between runs.
 */
final class FetchScenario {
  private static final int WARMUPS = 2;

  private final TpchDatabases db;
  private final double scaleFactor;
  private final int runs;

  FetchScenario(TpchDatabases db, double scaleFactor, int runs) {
    this.db = db;
    this.scaleFactor = scaleFactor;
    this.runs = runs;
  }

  /** The table, as Markdown. */
  String run() throws Exception {
    TpchDatabases.Split split = db.split();
    Path catalog = db.splitCatalog("catalog-fetch");
    Files.writeString(catalog, Files.readString(catalog, StandardCharsets.UTF_8)
        + "audit: {destination: none}\n", StandardCharsets.UTF_8);
    Path lake = db.copy(split.lake(), "fetch-direct.duckdb");
    MarkdownTable t = new MarkdownTable("table (source)", ">rows", ">direct rows/s",
        ">Junction rows/s", ">Junction rate / direct rate", ">direct JVM CPU ms",
        ">Junction JVM CPU ms");
    try (Connection junction = CatalogFile.connect(catalog)) {
      try (Connection direct = DriverManager.getConnection("jdbc:duckdb:" + lake)) {
        row(t, "lineitem (DuckDB)", direct, "SELECT * FROM lineitem", junction,
            "SELECT * FROM " + split.junctionNames().get("lineitem"));
      }
      try (Connection direct = DriverManager.getConnection(db.postgresUrl(split.pg()),
          split.pg().user(), split.pg().password())) {
        row(t, "orders (PostgreSQL)", direct,
            "SELECT * FROM " + split.pg().namespace() + ".orders", junction,
            "SELECT * FROM " + split.junctionNames().get("orders"));
      }
      try (Connection direct = DriverManager.getConnection(db.mariaUrl(split.maria()),
          split.maria().user(), split.maria().password())) {
        row(t, "partsupp (MariaDB)", direct,
            "SELECT * FROM " + split.maria().namespace() + ".partsupp", junction,
            "SELECT * FROM " + split.junctionNames().get("partsupp"));
      }
    } finally {
      Files.deleteIfExists(lake);
    }
    return String.format(Locale.ROOT, "### Bulk fetch: one whole table through Junction and"
        + " through the vendor's driver alone%n%nTPC-H SF %s split; in-process; every column"
        + " of every row read with `getObject`; median of %d reads each after %d warm-ups,"
        + " direct and Junction alternating (who goes first alternates too). Each vendor"
        + " driver runs with its defaults (PostgreSQL's and MariaDB's read the whole result"
        + " before the first row); Junction streams. CPU: this JVM's, per read.%n%n",
        scaleFactor, runs, WARMUPS) + t.render();
  }

  private void row(MarkdownTable t, String name, Connection direct, String directSql,
      Connection junction, String junctionSql) throws SQLException {
    double[][] d = new double[2][runs];
    double[][] j = new double[2][runs];
    long[] rows = {-1, -1};
    for (int i = 0; i < WARMUPS + runs; i++) {
      boolean junctionFirst = i % 2 == 1;
      double[] first = read(junctionFirst ? junction : direct,
          junctionFirst ? junctionSql : directSql);
      double[] second = read(junctionFirst ? direct : junction,
          junctionFirst ? directSql : junctionSql);
      double[] dr = junctionFirst ? second : first;
      double[] jr = junctionFirst ? first : second;
      rows[0] = (long) dr[2];
      rows[1] = (long) jr[2];
      if (i >= WARMUPS) {
        d[0][i - WARMUPS] = dr[0];
        d[1][i - WARMUPS] = dr[1];
        j[0][i - WARMUPS] = jr[0];
        j[1][i - WARMUPS] = jr[1];
      }
    }
    if (rows[0] != rows[1]) {
      throw new IllegalStateException(name + ": direct read " + rows[0] + " rows, Junction "
          + rows[1]);
    }
    double directRate = rows[0] / (WarmRun.median(d[0]) / 1e3);
    double junctionRate = rows[0] / (WarmRun.median(j[0]) / 1e3);
    t.row(name, Long.toString(rows[0]), String.format(Locale.ROOT, "%,.0f", directRate),
        String.format(Locale.ROOT, "%,.0f", junctionRate),
        String.format(Locale.ROOT, "%.2fx", junctionRate / directRate),
        MarkdownTable.ms(WarmRun.median(d[1])), MarkdownTable.ms(WarmRun.median(j[1])));
  }

  /** Wall ms, JVM CPU ms and the row count of one read of {@code sql} whole. */
  private static double[] read(Connection c, String sql) throws SQLException {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long start = System.nanoTime();
    long cpuStart = os.getProcessCpuTime();
    long rows;
    try (Statement st = c.createStatement()) {
      rows = WarmRun.drainValues(st.executeQuery(sql));
    }
    return new double[] {(System.nanoTime() - start) / 1e6,
        (os.getProcessCpuTime() - cpuStart) / 1e6, rows};
  }

}
