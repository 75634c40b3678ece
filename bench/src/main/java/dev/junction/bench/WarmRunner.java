package dev.junction.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a set of queries warm through one engine in a child JVM ({@link WarmRun}) and kills
 * the child when one execution passes the deadline: stock Calcite's planner can run for
 * ever and checks no timeout, so killing the process is the only bound. The query that
 * timed out is recorded as such, and a new child goes on with the queries after it. A
 * child that dies mid-query is recorded the same way as a crash.
 */
final class WarmRunner {
  /** Children alive now, killed by the benchmark's shutdown hook. */
  static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();
  private static final String EOF = "\u0000EOF";

  /** What one query did through one engine. */
  record Outcome(String status, double medianMs, long rows, int remote, String perSource,
      String detail) {
    boolean ok() {
      return status.equals("OK");
    }

    /** The median, or NaN when the query did not finish. */
    double ms() {
      return ok() ? medianMs : Double.NaN;
    }

    /** The cell a table shows: the median, or what went wrong. */
    String cell() {
      return switch (status) {
        case "OK" -> MarkdownTable.ms(medianMs);
        case "TIMEOUT" -> "timeout";
        case "CRASH" -> "crash";
        default -> "error";
      };
    }
  }

  private final Path dir;
  private final int timeoutSeconds;
  private final int warmups;
  private final int repeat;
  /** The child JVM's {@code -Xmx} value. */
  private final String heap;

  WarmRunner(Path dir, int timeoutSeconds, int warmups, int repeat, String heap) {
    this.dir = dir;
    this.heap = heap;
    this.timeoutSeconds = timeoutSeconds;
    this.warmups = warmups;
    this.repeat = repeat;
  }

  /**
   * Runs {@code queries} (name to SQL) through the engine at {@code url}; answers and sent
   * statements land in {@code <dir>/<engine>/}. Returns each query's outcome.
   */
  Map<String, Outcome> run(String engine, String url, Properties props,
      Map<String, String> queries) throws IOException, InterruptedException {
    Path out = Files.createDirectories(dir.resolve(engine));
    Path propsFile = out.resolve("connection.properties");
    try (OutputStream o = Files.newOutputStream(propsFile)) {
      props.store(o, null);
    }
    List<String> remaining = new ArrayList<>();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      Path sql = out.resolve(q.getKey() + ".sql");
      Files.writeString(sql, q.getValue(), StandardCharsets.UTF_8);
      remaining.add(q.getKey() + "\t" + sql);
    }
    Path log = out.resolve("child.log");
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    System.err.printf("%s: %d queries, warm-up %d, repeat %d, deadline %d s per execution%n",
        engine, queries.size(), warmups, repeat, timeoutSeconds);
    while (!remaining.isEmpty()) {
      Path plan = out.resolve("plan.txt");
      Files.write(plan, remaining, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-Xmx" + heap, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-cp", System.getProperty("java.class.path"), WarmRun.class.getName(), url,
          propsFile.toString(), plan.toString(), out.toString(), Integer.toString(warmups),
          Integer.toString(repeat))
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      CHILDREN.add(p);
      try {
        int before = remaining.size();
        drive(p, remaining, outcomes, engine, log);
        if (remaining.size() == before) {
          // No progress: the child cannot even start; do not retry for ever.
          for (String entry : remaining) {
            outcomes.put(entry.split("\t")[0], new Outcome("ERROR", Double.NaN, -1, 0, "-",
                "engine did not start; see " + log));
          }
          remaining.clear();
        }
      } finally {
        kill(p);
        CHILDREN.remove(p);
      }
    }
    Map<String, Outcome> ordered = new LinkedHashMap<>();
    for (String name : queries.keySet()) {
      ordered.put(name, outcomes.get(name));
    }
    return ordered;
  }

  /** Follows one child until it ends, is killed at a deadline, or stops reporting. */
  private void drive(Process p, List<String> remaining, Map<String, Outcome> outcomes,
      String engine, Path log) throws InterruptedException {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // The child was killed: the stream ends.
      } finally {
        lines.add(EOF);
      }
    }, "bench-child-reader");
    reader.setDaemon(true);
    reader.start();
    String current = null;
    // Starting the JVM and connecting get twice the deadline.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2L * timeoutSeconds);
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        if (current != null) {
          System.err.printf("%s %s: no answer after %d s, killing the engine%n", engine,
              current, timeoutSeconds);
          finish(remaining, outcomes, current, new Outcome("TIMEOUT", Double.NaN, -1, 0, "-",
              "no answer after " + timeoutSeconds + " s"));
        }
        return;
      }
      if (line.equals(EOF)) {
        if (current != null) {
          System.err.printf("%s %s: the engine's JVM died; see %s%n", engine, current, log);
          finish(remaining, outcomes, current, new Outcome("CRASH", Double.NaN, -1, 0, "-",
              "the JVM died; see " + log));
        }
        return;
      }
      if (line.startsWith("RUN ")) {
        current = line.split(" ")[1];
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      } else if (line.startsWith("DONE ")) {
        String[] f = line.split(" ", 4);
        Outcome o;
        if (f[2].equals("OK")) {
          String[] v = f[3].split(" ");
          o = new Outcome("OK", Double.parseDouble(v[0]), Long.parseLong(v[1]),
              Integer.parseInt(v[2]), v[3], "");
        } else {
          o = new Outcome("ERROR", Double.NaN, -1, 0, "-", f.length > 3 ? f[3] : "");
          System.err.printf("%s %s: %s%n", engine, f[1], o.detail());
        }
        finish(remaining, outcomes, f[1], o);
        current = null;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      }
    }
  }

  private static void finish(List<String> remaining, Map<String, Outcome> outcomes,
      String name, Outcome o) {
    outcomes.put(name, o);
    remaining.removeIf(e -> e.startsWith(name + "\t"));
  }

  /** Kills a child and anything it started, and waits for it. */
  static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** The answer file {@link WarmRun} wrote for a query run through an engine. */
  Path answer(String engine, String query) {
    return dir.resolve(engine).resolve(query + ".tsv");
  }

  /** The statements sources received during a query's first timed run, one per line. */
  Path remote(String engine, String query) {
    return dir.resolve(engine).resolve(query + ".remote.txt");
  }
}
