package dev.junction.bench;

import dev.junction.server.JunctionServer;
import dev.junction.server.ServerConfig;
import dev.junction.server.ServerConfigLoader;
import dev.junction.testing.CatalogFile;

import java.nio.file.Files;
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

/**
 * The server against in-process, side by side in one run, over loopback:
 *
 * <ul>
 * <li>round trip: {@code VALUES 1} on an open connection (median of many);</li>
 * <li>bulk fetch: a million rows of four columns from DuckDB, read to the end (median);</li>
 * </ul>
 *
 * <p>each through the Junction driver in-process, through the server with its default
 * frames, and through the server with frames of 100 rows, which is what stock Avatica
 * (JdbcMeta with the client's default fetch size) does. Prints a Markdown table; the
 * README quotes it. Options: {@code --rows 1000000 --repeat 5 --pings 500}.
 */
public final class ServerBench {
  private ServerBench() {
  }

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int rows = 1_000_000;
    int repeat = 5;
    int pings = 500;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--pings" -> pings = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; allowed: --rows <n>, --repeat <n>, --pings <n>");
      }
    }
    Path dir = Files.createTempDirectory("junction-server-bench");
    Path lake = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t AS SELECT range AS id, range * 2 AS v, 'row-' || range AS s,"
          + " range / 3.0 AS d FROM range(" + rows + ")");
    }
    Path catalog = new CatalogFile().duckdb("lake", lake).write(dir);
    String sql = "SELECT id, v, s, d FROM lake.main.t";

    ServerConfig base = ServerConfigLoader.parse("listen: {host: 127.0.0.1, port: 0}\n", dir,
        System::getenv).withCatalog(catalog);
    ServerConfig stock = ServerConfigLoader.parse("listen: {host: 127.0.0.1, port: 0}\n"
        + "frames: {rows: 100}\n", dir, System::getenv).withCatalog(catalog);
    JunctionServer server = JunctionServer.builder(base).eventSink(line -> { }).build();
    JunctionServer stockServer = JunctionServer.builder(stock).eventSink(line -> { }).build();
    server.start();
    stockServer.start();
    List<String[]> table = new ArrayList<>();
    try (Connection local = DriverManager.getConnection("jdbc:junction:config=" + catalog);
         Connection remote = DriverManager.getConnection("jdbc:avatica:remote:url="
             + server.url() + ";serialization=protobuf");
         Connection remoteStock = DriverManager.getConnection("jdbc:avatica:remote:url="
             + stockServer.url() + ";serialization=protobuf")) {
      double pingLocal = ping(local, pings);
      double pingRemote = ping(remote, pings);
      table.add(new String[] {"`VALUES 1` round trip (median)", ms(pingLocal), ms(pingRemote),
          "-", ratio(pingRemote, pingLocal), "-"});
      double bulkLocal = bulk(local, sql, rows, repeat);
      double bulkRemote = bulk(remote, sql, rows, repeat);
      double bulkStock = bulk(remoteStock, sql, rows, Math.min(repeat, 3));
      table.add(new String[] {String.format(Locale.ROOT, "%,d rows x 4 columns (median)", rows),
          ms(bulkLocal), ms(bulkRemote), ms(bulkStock), ratio(bulkRemote, bulkLocal),
          ratio(bulkStock, bulkLocal)});
    } finally {
      server.stop();
      stockServer.stop();
    }
    System.out.println("| measure | in-process | server | server, 100-row frames (stock"
        + " Avatica) | server / in-process | stock / in-process |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (String[] r : table) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
  }

  private static double ping(Connection c, int n) throws SQLException {
    long[] t = new long[n];
    try (Statement st = c.createStatement()) {
      for (int i = 0; i < n + 50; i++) {
        long start = System.nanoTime();
        try (ResultSet rs = st.executeQuery("VALUES 1")) {
          rs.next();
        }
        if (i >= 50) {
          t[i - 50] = System.nanoTime() - start;
        }
      }
    }
    return median(t);
  }

  private static double bulk(Connection c, String sql, int rows, int repeat)
      throws SQLException {
    long[] t = new long[repeat];
    for (int i = -1; i < repeat; i++) {
      long start = System.nanoTime();
      long n = 0;
      long check = 0;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          check += rs.getLong(1) + rs.getString(3).length();
          n++;
        }
      }
      if (n != rows || check == 0) {
        throw new IllegalStateException("read " + n + " rows, expected " + rows);
      }
      if (i >= 0) {
        t[i] = System.nanoTime() - start;
      }
    }
    return median(t);
  }

  private static double median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }

  private static String ms(double millis) {
    return millis < 10 ? String.format(Locale.ROOT, "%.2f ms", millis)
        : String.format(Locale.ROOT, "%,.0f ms", millis);
  }

  private static String ratio(double a, double b) {
    return String.format(Locale.ROOT, "%.1fx", a / b);
  }
}
