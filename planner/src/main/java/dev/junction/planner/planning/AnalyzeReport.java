package dev.junction.planner.planning;

import dev.junction.spi.RemoteStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The text {@code EXPLAIN ANALYZE} answers: the plan, then the query's totals, then per
 * source (in the order each first ran a statement) its remote statements, rows fetched,
 * estimated bytes and time spent in the source, then each distinct statement with its
 * rows and time (a statement run several times, the batches of a key-pushdown join, is
 * one line with its number of runs):
 *
 * <pre>
 * EnumerableHashJoin(...)
 *   SourceStatement(source=[crm], sql=[SELECT ...])
 *   SourceStatement(source=[lake], sql=[SELECT ...])
 *
 * Execution: 12 rows returned in 41.3 ms
 *   crm: 1 remote statement, 12 rows fetched, 180 bytes (estimated), 3.2 ms in the source
 *     12 rows in 3.2 ms (execute 2.9 ms, fetch 0.3 ms): SELECT ...
 * </pre>
 */
final class AnalyzeReport {
  private AnalyzeReport() {
  }

  /** One source's or one statement's totals. */
  private static final class Totals {
    long runs;
    long rows;
    long bytes;
    long executeNanos;
    long fetchNanos;

    void add(RemoteStats.Execution e) {
      runs++;
      rows += e.rows();
      bytes += e.bytes();
      executeNanos += e.executeNanos();
      fetchNanos += e.fetchNanos();
    }
  }

  /**
   * The report.
   *
   * @param plan the plan as the caller may see it
   * @param executions the remote statements run, in order
   * @param shownSql a statement's SQL, as sent on one line, as the caller may see it
   * @param rows rows the query returned
   * @param wallNanos time from the start of execution to the last row
   */
  static String render(String plan, List<RemoteStats.Execution> executions,
      UnaryOperator<String> shownSql, long rows, long wallNanos) {
    Map<String, Totals> sources = new LinkedHashMap<>();
    Map<String, Map<String, Totals>> statements = new LinkedHashMap<>();
    for (RemoteStats.Execution e : executions) {
      sources.computeIfAbsent(e.source(), s -> new Totals()).add(e);
      statements.computeIfAbsent(e.source(), s -> new LinkedHashMap<>())
          .computeIfAbsent(shownSql.apply(ExplainAnalyze.oneLine(e.sql())), s -> new Totals())
          .add(e);
    }
    List<String> lines = new ArrayList<>();
    lines.add("Execution: " + count(rows, "row") + " returned in "
        + ExplainAnalyze.millis(wallNanos));
    if (sources.isEmpty()) {
      lines.add("  no remote statements");
    }
    sources.forEach((source, t) -> {
      lines.add("  " + source + ": " + count(t.runs, "remote statement") + ", "
          + count(t.rows, "row") + " fetched, " + number(t.bytes) + " bytes (estimated), "
          + ExplainAnalyze.millis(t.executeNanos + t.fetchNanos) + " in the source");
      statements.get(source).forEach((sql, s) -> lines.add("    "
          + (s.runs > 1 ? number(s.runs) + " runs, " : "") + count(s.rows, "row") + " in "
          + ExplainAnalyze.millis(s.executeNanos + s.fetchNanos) + " (execute "
          + ExplainAnalyze.millis(s.executeNanos) + ", fetch "
          + ExplainAnalyze.millis(s.fetchNanos) + "): " + sql));
    });
    String head = plan.endsWith("\n") ? plan : plan + "\n";
    return head + "\n" + String.join("\n", lines) + "\n";
  }

  private static String count(long n, String noun) {
    return number(n) + " " + noun + (n == 1 ? "" : "s");
  }

  private static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
