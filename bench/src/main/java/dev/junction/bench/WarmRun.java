package dev.junction.bench;

import dev.junction.testing.RemoteSqlRecorder;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The child process of {@link WarmRunner}: runs queries on one connection, each a warm-up
 * time and then a number of timed times, and reports on standard output. It prints
 * {@code RUN <query>} before every execution, so the parent can kill it at a per-execution
 * deadline (stock Calcite's planner checks none), and after each query
 * {@code DONE <query> OK <median ms> <rows> <remote statements> <per source>} or
 * {@code DONE <query> ERR <message>}.
 *
 * <p>The warm-up's answer is written to {@code <out>/<query>.tsv} ({@link Answers}); the
 * statements sources received during the first timed execution (Junction reports them
 * through {@code RemoteQueries}) go to {@code <out>/<query>.remote.txt}.
 */
public final class WarmRun {
  private WarmRun() {
  }

  /** Arguments: JDBC URL, properties file, plan file, output directory, warm-ups, repeat. */
  public static void main(String[] args) throws Exception {
    Class.forName("dev.junction.driver.JunctionDriver");
    Class.forName("org.apache.calcite.jdbc.Driver");
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
      props.load(in);
    }
    List<String> plan = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8);
    Path out = Path.of(args[3]);
    int warmups = Integer.parseInt(args[4]);
    int repeat = Integer.parseInt(args[5]);
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      Connection c = DriverManager.getConnection(args[0], props);
      for (String line : plan) {
        String[] entry = line.split("\t", 2);
        String name = entry[0];
        String sql = Files.readString(Path.of(entry[1]), StandardCharsets.UTF_8);
        if (c.isClosed()) {
          c = DriverManager.getConnection(args[0], props);
        }
        try {
          System.out.println("DONE " + name + " " + run(c, recorder, name, sql, out, warmups,
              repeat));
        } catch (Exception e) {
          System.out.println("DONE " + name + " ERR " + describe(e));
        }
      }
      c.close();
    }
  }

  private static String run(Connection c, RemoteSqlRecorder recorder, String name, String sql,
      Path out, int warmups, int repeat) throws Exception {
    Path answer = out.resolve(name + ".tsv");
    long rows = -1;
    for (int i = 0; i < warmups; i++) {
      System.out.println("RUN " + name + " warm-up " + (i + 1));
      try (Statement st = c.createStatement()) {
        long n = Answers.write(st.executeQuery(sql), answer);
        rows = rows < 0 ? n : rows;
      }
    }
    double[] times = new double[repeat];
    List<RemoteSqlRecorder.Sent> sent = List.of();
    for (int i = 0; i < repeat; i++) {
      System.out.println("RUN " + name + " " + (i + 1));
      recorder.clear();
      long start = System.nanoTime();
      long n;
      try (Statement st = c.createStatement()) {
        n = i == 0 && warmups == 0 ? Answers.write(st.executeQuery(sql), answer)
            : drainValues(st.executeQuery(sql));
      }
      times[i] = (System.nanoTime() - start) / 1e6;
      if (i == 0) {
        sent = recorder.sent();
        rows = rows < 0 ? n : rows;
      }
    }
    Files.write(out.resolve(name + ".remote.txt"), sent.stream()
        .map(s -> s.source() + "\t" + s.sql().replaceAll("[\r\n]+", " ")).toList(),
        StandardCharsets.UTF_8);
    Map<String, Long> perSource = sent.stream().collect(Collectors.groupingBy(
        RemoteSqlRecorder.Sent::source, TreeMap::new, Collectors.counting()));
    String sources = perSource.isEmpty() ? "-" : perSource.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    Arrays.sort(times);
    return "OK " + times[repeat / 2] + " " + rows + " " + sent.size() + " " + sources;
  }

  /**
   * The error on one line: the outermost message (stock Calcite's quotes the whole SQL, so
   * it is cut short) and the root cause's, which says what went wrong.
   */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = e.getClass().getSimpleName() + ": " + cut(e.getMessage(), 150);
    if (root != e) {
      m += " / root cause " + root.getClass().getSimpleName() + ": " + cut(root.getMessage(),
          250);
    }
    return m;
  }

  private static String cut(String message, int max) {
    String m = String.valueOf(message).replaceAll("\\s+", " ");
    return m.length() > max ? m.substring(0, max) + "..." : m;
  }

  /** The median of {@code values} (the upper one of an even count); the array is kept. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * Reads every value of every row, as a client would, and closes {@code rs}; the row
   * count. Every scenario that times reading a result reads it this way.
   */
  static long drainValues(ResultSet rs) throws SQLException {
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
}
