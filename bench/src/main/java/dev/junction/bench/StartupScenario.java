package dev.junction.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Warm start of the command line: wall time from process start to exit of
 * {@code junction sql "<query>"} on the bundled demo, each run a new JVM, median of
 * {@code --repeat} runs after one untimed run (which creates the demo and fills the OS
 * page cache). Three queries, each against {@code VALUES 1} (which reads no source):
 * a single-source demo query (DuckDB) and the README's federated demo query (DuckDB
 * orders joined to SQLite customers). Two ways of starting the jar: plain
 * {@code java -jar}, and the options the {@code ./junction} launcher adds for one-shot
 * commands (C1 only, and a class-data archive the scenario trains once, as the launcher
 * does).
 */
final class StartupScenario {
  static final String VALUES = "VALUES 1";
  static final String SINGLE = "SELECT status, COUNT(*) AS orders, SUM(total) AS revenue"
      + " FROM shop.main.orders GROUP BY status ORDER BY revenue DESC";
  static final String FEDERATED = "SELECT c.country, COUNT(*) AS orders, SUM(o.total) AS"
      + " revenue FROM shop.main.orders o JOIN crm.main.customers c"
      + " ON o.customer_id = c.customer_id GROUP BY c.country ORDER BY revenue DESC LIMIT 5";
  private static final long RUN_TIMEOUT_SECONDS = 120;

  private final Path cliJar;
  private final Path dir;
  private final int repeat;

  /**
   * @param cliJar the command line's jar ({@code avatica-server/target/junction-cli.jar})
   * @param dir where the demo ({@code JUNCTION_HOME}) and the class-data archive go
   * @param repeat timed runs per query and way of starting
   */
  StartupScenario(Path cliJar, Path dir, int repeat) {
    this.cliJar = cliJar;
    this.dir = dir;
    this.repeat = repeat;
  }

  /** Runs every query both ways and returns the README's table. */
  String run() throws IOException, InterruptedException {
    if (!Files.isRegularFile(cliJar)) {
      throw new IllegalStateException(cliJar + " does not exist: build with"
          + " `mvn -DskipTests package` or give --cli-jar");
    }
    Path jsa = dir.resolve("junction-cli.jsa");
    List<String> launcher = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1",
        "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    List<String> training = new ArrayList<>(launcher);
    training.add("-XX:ArchiveClassesAtExit=" + jsa);
    runOnce(training, FEDERATED);
    if (Files.size(jsa) > 0) {
      launcher.add("-XX:SharedArchiveFile=" + jsa);
    } else {
      System.err.println("startup: no class-data archive was written; launcher runs use C1 only");
    }
    MarkdownTable table = new MarkdownTable("query", "start", ">median ms", ">min ms",
        ">max ms", ">over VALUES 1");
    for (List<String> options : List.of(List.<String>of(), launcher)) {
      String start = options.isEmpty() ? "`java -jar`" : "`./junction` (C1, AppCDS)";
      double values = Double.NaN;
      for (String query : List.of(VALUES, SINGLE, FEDERATED)) {
        runOnce(options, query);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
          times.add(runOnce(options, query));
        }
        Collections.sort(times);
        double median = times.get(times.size() / 2);
        if (query.equals(VALUES)) {
          values = median;
        }
        table.row(label(query), start, MarkdownTable.ms(median), MarkdownTable.ms(times.get(0)),
            MarkdownTable.ms(times.get(times.size() - 1)),
            query.equals(VALUES) ? "" : String.format(Locale.ROOT, "+%.0f ms", median - values));
        System.err.printf(Locale.ROOT, "startup: %s, %s: %s ms%n", label(query), start,
            MarkdownTable.ms(median));
      }
    }
    return table.render();
  }

  private static String label(String query) {
    return query.equals(VALUES) ? "`VALUES 1`" : query.equals(SINGLE)
        ? "demo, one source (DuckDB)" : "demo, federated (DuckDB x SQLite)";
  }

  /** One process, start to exit, in milliseconds; a failed or hung run ends the scenario. */
  private double runOnce(List<String> jvmOptions, String query)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", cliJar.toString(), "sql", query));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("startup-stderr.log").toFile());
    pb.environment().put("JUNCTION_HOME", dir.resolve("home").toString());
    long start = System.nanoTime();
    Process p = pb.start();
    WarmRunner.CHILDREN.add(p);
    try {
      if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("junction sql did not finish in "
            + RUN_TIMEOUT_SECONDS + " s: " + query);
      }
      double ms = (System.nanoTime() - start) / 1e6;
      if (p.exitValue() != 0) {
        throw new IllegalStateException("junction sql exited with " + p.exitValue() + " ("
            + dir.resolve("startup-stderr.log") + "): " + query);
      }
      return ms;
    } finally {
      WarmRunner.CHILDREN.remove(p);
    }
  }
}
