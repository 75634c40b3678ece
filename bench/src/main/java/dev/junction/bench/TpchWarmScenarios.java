package dev.junction.bench;

import dev.junction.bench.WarmRunner.Outcome;
import dev.junction.testing.TestingPostgreSqlServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The warm TPC-H scenarios: all 22 queries, each engine in its own child JVM
 * ({@link WarmRunner}), a warm-up and then repeated timed runs, medians compared per query
 * and as a geometric mean of the ratios.
 *
 * <ul>
 * <li>single-source pass-through: all eight tables in one PostgreSQL schema, then in one
 * DuckDB file, each queried directly with its JDBC driver and through Junction with a
 * catalog of that one source; also how many statements Junction sent the source and
 * whether the query went whole ({@link PushdownCheck});</li>
 * <li>federated: the three-database split through Junction and through stock Calcite,
 * against one DuckDB file with all eight tables queried directly as the reference.</li>
 * </ul>
 *
 * <p>Every answer is compared with the direct (reference) engine's, numbers within a
 * tolerance ({@link Answers}); a difference is marked MISMATCH in the table and listed
 * under it.
 */
final class TpchWarmScenarios {
  private final TpchDatabases db;
  private final WarmRunner runner;
  private final double scaleFactor;
  private final int warmups;
  private final int repeat;
  private final int timeoutSeconds;
  private final Map<String, String> templates;

  TpchWarmScenarios(TpchDatabases db, Path dir, double scaleFactor, int warmups, int repeat,
      int timeoutSeconds) throws IOException {
    this.db = db;
    // At SF 1 a local join holds hundreds of thousands of rows, and stock Calcite whole
    // tables: 2 GB, enough at SF 0.1, would measure the collector there.
    this.runner = new WarmRunner(dir, timeoutSeconds, warmups, repeat,
        scaleFactor >= 1 ? "8g" : "2g");
    this.scaleFactor = scaleFactor;
    this.warmups = warmups;
    this.repeat = repeat;
    this.timeoutSeconds = timeoutSeconds;
    this.templates = TpchQueries.templates();
  }

  /** Both pass-through tables, PostgreSQL then DuckDB, as Markdown. */
  String passthrough() throws Exception {
    TestingPostgreSqlServer pg = db.singlePostgres(TpchQueries.TABLES);
    Path pgCatalog = db.singlePostgresCatalog("catalog-pg");
    Properties direct = new Properties();
    direct.setProperty("user", pg.user());
    direct.setProperty("password", pg.password());
    Map<String, Outcome> pgDirect = runner.run("pg-direct", db.postgresUrl(pg), direct,
        queries(t -> pg.namespace() + "." + t));
    Map<String, Outcome> pgJunction = runner.run("pg-junction", "jdbc:junction:config="
        + pgCatalog, new Properties(), queries(t -> "pg." + pg.namespace() + "." + t));
    StringBuilder b = new StringBuilder(passthroughTable("PostgreSQL", "pg-direct", pgDirect,
        "pg-junction", pgJunction));

    // Junction opens its DuckDB source read-only; the direct connection gets its own copy,
    // so neither process depends on the other's lock.
    Path file = db.singleDuckDb();
    Path copy = db.copy(file, "tpch-direct.duckdb");
    Path duckCatalog = db.duckDbCatalog("catalog-duck", file);
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    Map<String, Outcome> duckDirect = runner.run("duck-direct", "jdbc:duckdb:" + copy, readOnly,
        queries(t -> t));
    Map<String, Outcome> duckJunction = runner.run("duck-junction", "jdbc:junction:config="
        + duckCatalog, new Properties(), queries(t -> "duck.main." + t));
    b.append('\n').append(passthroughTable("DuckDB", "duck-direct", duckDirect,
        "duck-junction", duckJunction));
    return b.toString();
  }

  private String passthroughTable(String source, String directEngine,
      Map<String, Outcome> direct, String junctionEngine, Map<String, Outcome> junction)
      throws IOException {
    String baseline = "direct " + source + " JDBC";
    MarkdownTable t = new MarkdownTable("query", ">" + baseline + " ms", ">Junction ms",
        ">Junction / direct", ">remote statements", "whole query pushed", "answer");
    List<String> notes = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    int single = 0;
    int mismatches = 0;
    for (String q : templates.keySet()) {
      Outcome d = direct.get(q);
      Outcome j = junction.get(q);
      if (d.ok() && j.ok()) {
        ratios.add(j.ms() / d.ms());
      }
      String whole = "-";
      if (j.ok()) {
        Path remote = runner.remote(junctionEngine, q);
        String missing = PushdownCheck.notPushed(templates.get(q), Files.exists(remote)
            ? Files.readAllLines(remote, StandardCharsets.UTF_8) : List.of());
        whole = missing == null ? "yes" : "**NO**";
        single += missing == null ? 1 : 0;
        if (missing != null) {
          notes.add(TpchQueries.label(q) + ": not pushed down whole: " + missing);
          logStatements(junctionEngine, q);
        }
      }
      String answer = answer(q, directEngine, d, junctionEngine, j, "Junction vs " + baseline,
          notes);
      mismatches += answer.contains("MISMATCH") ? 1 : 0;
      t.row(TpchQueries.label(q), d.cell(), j.cell(), MarkdownTable.ratio(j.ms(), d.ms()),
          j.ok() ? Integer.toString(j.remote()) : "-", whole, answer);
      failures(q, baseline, d, notes);
      failures(q, "Junction", j, notes);
    }
    t.row("geometric mean (" + ratios.size() + " of 22 both finished)", "", "",
        MarkdownTable.geometricMean(ratios), "", single + " of 22",
        mismatches == 0 ? "all match" : "**" + mismatches + " MISMATCH**");
    return heading("Single-source pass-through, " + source + ": the 22 queries on all eight"
        + " tables in one " + source + " database, direct JDBC vs Junction with a catalog of"
        + " that one source") + t.render() + notes(notes);
  }

  /**
   * The federated table, as Markdown, Junction connecting with {@code junctionProperties}
   * (say {@code parallelReads=false}).
   */
  String federated(Properties junctionProperties) throws Exception {
    TpchDatabases.Split split = db.split();
    Path catalog = db.splitCatalog("catalog-split");
    Path stockLake = db.copy(split.lake(), "lake-stock.duckdb");
    Path reference = db.copy(db.singleDuckDb(), "tpch-reference.duckdb");
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    Map<String, Outcome> ref = runner.run("reference", "jdbc:duckdb:" + reference, readOnly,
        queries(t -> t));
    Map<String, Outcome> junction = runner.run("federated-junction", "jdbc:junction:config="
        + catalog, junctionProperties, queries(split.junctionNames()::get));
    Map<String, Outcome> stock = runner.run("federated-stock", "jdbc:calcite:",
        db.stockCalcite(stockLake), queries(split.stockNames()::get));

    MarkdownTable t = new MarkdownTable("query", ">DuckDB reference ms", ">Junction ms",
        ">stock Calcite ms", ">Junction / reference", ">stock Calcite / reference",
        ">Junction / stock Calcite", ">Junction remote statements", "answers (Junction; stock)");
    List<String> notes = new ArrayList<>();
    List<Double> junctionRatios = new ArrayList<>();
    List<Double> stockRatios = new ArrayList<>();
    List<Double> headToHead = new ArrayList<>();
    int junctionDone = 0;
    int stockDone = 0;
    for (String q : templates.keySet()) {
      Outcome r = ref.get(q);
      Outcome j = junction.get(q);
      Outcome s = stock.get(q);
      junctionDone += j.ok() ? 1 : 0;
      stockDone += s.ok() ? 1 : 0;
      if (r.ok() && j.ok()) {
        junctionRatios.add(j.ms() / r.ms());
      }
      if (r.ok() && s.ok()) {
        stockRatios.add(s.ms() / r.ms());
      }
      if (j.ok() && s.ok()) {
        headToHead.add(j.ms() / s.ms());
      }
      String answers = answer(q, "reference", r, "federated-junction", j,
          "Junction vs DuckDB reference", notes) + "; " + answer(q, "reference", r,
          "federated-stock", s, "stock Calcite vs DuckDB reference", notes);
      t.row(TpchQueries.label(q), r.cell(), j.cell(), s.cell(),
          MarkdownTable.ratio(j.ms(), r.ms()), MarkdownTable.ratio(s.ms(), r.ms()),
          MarkdownTable.ratio(j.ms(), s.ms()), j.ok() ? j.remote() + " (" + j.perSource() + ")"
              : "-", answers);
      failures(q, "DuckDB reference", r, notes);
      failures(q, "Junction", j, notes);
      failures(q, "stock Calcite", s, notes);
    }
    t.row("geometric mean (queries both finished)", "", junctionDone + " of 22 finished",
        stockDone + " of 22 finished",
        MarkdownTable.geometricMean(junctionRatios) + " (" + junctionRatios.size() + ")",
        MarkdownTable.geometricMean(stockRatios) + " (" + stockRatios.size() + ")",
        MarkdownTable.geometricMean(headToHead) + " (" + headToHead.size() + ")", "", "");
    return heading("Federated TPC-H: PostgreSQL (orders, customer), MariaDB (part, partsupp,"
        + " supplier), DuckDB (lineitem, nation, region) through Junction and stock Calcite"
        + " 1.42, against one DuckDB file with all eight tables queried directly")
        + t.render() + notes(notes);
  }

  /**
   * The answer cell comparing {@code candidate} with {@code expected}: ok, a warning when
   * only the order of ties differs, or MISMATCH (listed in {@code notes}).
   */
  private String answer(String q, String expectedEngine, Outcome expected,
      String candidateEngine, Outcome candidate, String what, List<String> notes)
      throws IOException {
    if (!expected.ok() || !candidate.ok()) {
      return "-";
    }
    String difference = Answers.compare(Answers.read(runner.answer(expectedEngine, q)),
        Answers.read(runner.answer(candidateEngine, q)), TpchQueries.ordered(templates.get(q)));
    if (difference == null) {
      return "ok";
    }
    String message = TpchQueries.label(q) + " " + what + ": " + abbreviate(difference, 400);
    System.err.println("ANSWER MISMATCH " + message);
    if (Answers.orderOnly(difference)) {
      notes.add("order of tied rows differs, " + message);
      return "ok (ties reordered)";
    }
    notes.add("**ANSWER MISMATCH** " + message);
    return "**MISMATCH**";
  }

  private static void failures(String q, String engine, Outcome o, List<String> notes) {
    if (!o.ok()) {
      notes.add(TpchQueries.label(q) + " " + engine + ": " + o.status().toLowerCase(Locale.ROOT)
          + (o.detail().isEmpty() ? "" : ", " + abbreviate(o.detail(), 450)));
    }
  }

  /** Logs the statements a query sent, to look at why it was not pushed down whole. */
  private void logStatements(String engine, String q) throws IOException {
    Path file = runner.remote(engine, q);
    if (Files.exists(file)) {
      System.err.println(engine + " " + q + " sent:");
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        System.err.println("  " + abbreviate(line, 300));
      }
    }
  }

  private Map<String, String> queries(Function<String, String> names) {
    Map<String, String> q = new LinkedHashMap<>();
    templates.forEach((name, template) -> q.put(name, TpchQueries.sql(template, names)));
    return q;
  }

  private String heading(String title) {
    return String.format(Locale.ROOT, "### %s%n%nTPC-H SF %s; median of %d warm runs after %d"
        + " warm-up, each engine in its own JVM killed at %d s per execution; ratio = Junction"
        + " (or stock Calcite) time / baseline time, above 1 = slower than the baseline;"
        + " answers compared with the baseline's.%n%n", title, scaleFactor, repeat, warmups,
        timeoutSeconds);
  }

  private static String notes(List<String> notes) {
    StringBuilder b = new StringBuilder();
    if (!notes.isEmpty()) {
      b.append('\n');
      notes.forEach(n -> b.append("- ").append(n.replace("\n", " ")).append('\n'));
    }
    return b.toString();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
