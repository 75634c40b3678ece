package dev.junction.differential;

import dev.junction.differential.DifferentialData.Table;
import dev.junction.differential.DifferentialData.Type;
import dev.junction.differential.QueryGenerator.Query;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The differential test (issue 10): random statements from {@link QueryGenerator} run
 * through Junction and directly on each of PostgreSQL, MariaDB, DuckDB and SQLite, which
 * hold the same {@link DifferentialData} tables, and the answers must agree. Every pushed
 * statement must be valid in the source and mean what the user's SQL means.
 *
 * <p>Answers are compared as multisets, in order when the statement orders its rows
 * totally; numbers by value (SQLite's DECIMAL is binary floating point, so within a
 * relative 1e-9; AVG within 1e-4, MariaDB keeping four more digits), booleans as 1 and 0
 * (SQLite and MariaDB have no boolean type), dates as ISO text (SQLite stores text).
 * A statement the source rejects directly is not judged. Junction failing where the
 * source answers, or answering differently, is a failure; all of them are collected,
 * grouped by class with the shortest examples first, before the test fails.
 *
 * <p>System properties: {@code differential.seed} (first query's seed, default 1),
 * {@code differential.count} (statements, each run on all four sources; default 250,
 * about 3 minutes here),
 * {@code differential.query} (run only the statement of this seed, as printed in a
 * failure).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialIT {
  private static final long SEED = Long.getLong("differential.seed", 1L);
  private static final int COUNT = Integer.getInteger("differential.count", 250);
  private static final String ONLY = System.getProperty("differential.query");
  private static final int EXAMPLES = 3;
  private static final int SHOWN_ROWS = 8;
  private static final int TIMEOUT_SECONDS = 30;

  /** One source: its name in the catalog, how each side names a table, the direct link. */
  private record Source(String name, Connection direct, Function<String, String> junctionName,
      Function<String, String> directName, boolean datesAsText) {
  }

  /** One failure of Junction against a source. */
  private record Failure(long seed, String source, String sql, String directSql,
      String expected, String actual, List<String> sent) {
    @Override public String toString() {
      return "  seed " + seed + " on " + source + ":\n    SQL:      " + sql
          + "\n    direct:   " + directSql + "\n    source:   " + expected
          + "\n    Junction: " + actual + "\n    sent:     " + sent;
    }
  }

  /** The outcome of a statement on one side: rows or an error. */
  private record Answer(List<List<Object>> rows, SQLException error) {
  }

  private TestingPostgreSqlServer pg;
  private TestingMariaDbServer maria;
  private final List<Source> sources = new ArrayList<>();
  private Connection junction;
  private RemoteSqlRecorder recorder;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    String pgSchema = pg.namespace();
    String mariaDb = maria.namespace();
    Path duckFile = dir.resolve("diff.duckdb");
    Path liteFile = dir.resolve("diff.db");
    try (Connection c = pg.connect()) {
      for (Table t : DifferentialData.TABLES) {
        DifferentialData.load(c, t, pgSchema + "." + t.name(), DifferentialIT::postgresType,
            v -> v);
      }
    }
    try (Connection c = maria.connect()) {
      for (Table t : DifferentialData.TABLES) {
        DifferentialData.load(c, t, t.name(), DifferentialIT::mariaType, v -> v);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckFile)) {
      for (Table t : DifferentialData.TABLES) {
        DifferentialData.load(c, t, t.name(), DifferentialIT::standardType, v -> v);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + liteFile)) {
      for (Table t : DifferentialData.TABLES) {
        DifferentialData.load(c, t, t.name(), DifferentialIT::standardType,
            DifferentialIT::sqliteValue);
      }
    }
    // DuckDB refuses a second in-process connection to a file with another configuration
    // than Junction's, so the direct side reads a copy.
    Path duckCopy = dir.resolve("diff-direct.duckdb");
    Files.copy(duckFile, duckCopy);
    sources.add(new Source("pg", pg.connect(), t -> "pg." + pgSchema + "." + t,
        t -> pgSchema + "." + t, false));
    sources.add(new Source("maria", maria.connect(), t -> "maria." + mariaDb + "." + t,
        t -> t, false));
    sources.add(new Source("duck", DriverManager.getConnection("jdbc:duckdb:" + duckCopy),
        t -> "duck.main." + t, t -> t, false));
    sources.add(new Source("lite", DriverManager.getConnection("jdbc:sqlite:" + liteFile),
        t -> "lite.main." + t, t -> t, true));
    Path catalog = new CatalogFile().postgresql("pg", pg).mariadb("maria", maria)
        .duckdb("duck", duckFile).sqlite("lite", liteFile).write(dir);
    junction = CatalogFile.connect(catalog);
    recorder = new RemoteSqlRecorder();
  }

  @AfterAll
  void tearDown() throws Exception {
    try (AutoCloseable r = recorder; AutoCloseable j = junction; AutoCloseable p = pg;
         AutoCloseable m = maria) {
      for (Source s : sources) {
        s.direct().close();
      }
    }
  }

  @Test
  void junctionAnswersAsEachSource() {
    Map<String, List<Failure>> failures = new LinkedHashMap<>();
    Map<String, Integer> skipped = new LinkedHashMap<>();
    Map<String, List<String>> skippedExamples = new LinkedHashMap<>();
    int compared = 0;
    long start = System.nanoTime();
    List<Long> seeds = new ArrayList<>();
    if (ONLY != null) {
      seeds.add(Long.parseLong(ONLY));
    } else {
      for (int i = 0; i < COUNT; i++) {
        seeds.add(SEED + i);
      }
    }
    for (long seed : seeds) {
      Query query = new QueryGenerator(seed).next();
      for (Source source : sources) {
        String directSql = resolve(query.sql(), source.directName());
        if (source.datesAsText()) {
          directSql = directSql.replace("DATE '", "'");
        }
        String sql = resolve(query.sql(), source.junctionName());
        Answer expected = run(source.direct(), directSql);
        recorder.clear();
        Answer actual = run(junction, sql);
        List<String> sent = recorder.sentTo(source.name());
        if (expected.error() != null) {
          String key = source.name() + (actual.error() != null ? ": both fail"
              : ": only the source fails");
          skipped.merge(key, 1, Integer::sum);
          List<String> examples = skippedExamples.computeIfAbsent(key, k -> new ArrayList<>());
          if (examples.size() < EXAMPLES) {
            examples.add(directSql + "\n      -> " + firstLine(expected.error()));
          }
          continue;
        }
        compared++;
        String failureClass = null;
        String actualText;
        if (actual.error() != null) {
          failureClass = "Junction fails: " + errorClass(actual.error());
          actualText = firstLine(actual.error());
        } else {
          actualText = show(actual.rows());
          if (!sameAnswer(expected.rows(), actual.rows(), query)) {
            failureClass = "different answer (" + query.shape() + ")";
          }
        }
        if (failureClass != null) {
          failures.computeIfAbsent(failureClass, k -> new ArrayList<>()).add(new Failure(seed,
              source.name(), sql, directSql, show(expected.rows()), actualText, sent));
        }
      }
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    StringBuilder summary = new StringBuilder("DifferentialIT: " + seeds.size()
        + " statements from seed " + seeds.get(0) + " on " + sources.size() + " sources in "
        + seconds + " s; " + compared + " compared; skipped " + skipped + "\n");
    skippedExamples.forEach((k, list) -> list.forEach(v -> summary.append("  e.g. ")
        .append(k).append(": ").append(v).append('\n')));
    System.out.println(summary);
    if (failures.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder();
    int total = failures.values().stream().mapToInt(List::size).sum();
    report.append(total).append(" failures in ").append(failures.size())
        .append(" classes\n");
    failures.entrySet().stream()
        .sorted(Comparator.comparing(e -> -e.getValue().size()))
        .forEach(e -> {
          List<Failure> list = e.getValue();
          report.append("\n== ").append(e.getKey()).append(": ").append(list.size())
              .append(" (").append(list.stream().map(Failure::source).distinct().toList())
              .append(")\n");
          list.stream().sorted(Comparator.comparing(f -> f.sql().length())).limit(EXAMPLES)
              .forEach(f -> report.append(f).append('\n'));
        });
    System.out.println(report);
    fail(report.toString());
  }

  private static String resolve(String sql, Function<String, String> names) {
    String s = sql;
    for (Table t : DifferentialData.TABLES) {
      s = s.replace("{" + t.name() + "}", names.apply(t.name()));
    }
    return s;
  }

  private static Answer run(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(normalize(rs.getObject(i)));
          }
          rows.add(row);
        }
        return new Answer(rows, null);
      }
    } catch (SQLException e) {
      return new Answer(null, e);
    }
  }

  /** One representation per value: numbers and booleans as BigDecimal, dates as text. */
  private static Object normalize(Object v) {
    if (v == null || v instanceof String) {
      return v;
    }
    if (v instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (v instanceof BigDecimal b) {
      return b.signum() == 0 ? BigDecimal.ZERO : b.stripTrailingZeros();
    }
    if (v instanceof Double || v instanceof Float) {
      return normalize(new BigDecimal(Double.toString(((Number) v).doubleValue())));
    }
    if (v instanceof Number n) {
      return normalize(BigDecimal.valueOf(n.longValue()));
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof LocalDate d) {
      return d.toString();
    }
    return v.toString();
  }

  private static boolean sameAnswer(List<List<Object>> expected, List<List<Object>> actual,
      Query query) {
    if (expected.size() != actual.size()) {
      return false;
    }
    List<List<Object>> e = expected;
    List<List<Object>> a = actual;
    if (!query.ordered()) {
      e = sorted(expected);
      a = sorted(actual);
    }
    for (int i = 0; i < e.size(); i++) {
      if (!sameRow(e.get(i), a.get(i), query.approximate())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameRow(List<Object> expected, List<Object> actual,
      boolean approximate) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      Object x = expected.get(i);
      Object y = actual.get(i);
      if (x instanceof BigDecimal bx && y instanceof BigDecimal by) {
        double dx = bx.doubleValue();
        double dy = by.doubleValue();
        double allowed = 1e-9 * Math.max(Math.abs(dx), Math.abs(dy))
            + (approximate ? 1e-4 : 0);
        if (bx.compareTo(by) != 0 && Math.abs(dx - dy) > allowed) {
          return false;
        }
      } else if (x == null ? y != null : !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(DifferentialIT::sortKey));
    return copy;
  }

  /** Numbers rounded, so that rows equal within the tolerance pair up. */
  private static String sortKey(List<Object> row) {
    StringBuilder b = new StringBuilder();
    for (Object v : row) {
      if (v == null) {
        b.append("\u0000null");
      } else if (v instanceof BigDecimal d) {
        b.append(d.setScale(3, RoundingMode.HALF_UP).toPlainString());
      } else {
        b.append(v);
      }
      b.append('\u0001');
    }
    return b.toString();
  }

  private static String show(List<List<Object>> rows) {
    if (rows == null) {
      return "(error)";
    }
    List<List<Object>> shown = rows.size() > SHOWN_ROWS ? rows.subList(0, SHOWN_ROWS) : rows;
    return rows.size() + " rows " + shown + (rows.size() > SHOWN_ROWS ? " ..." : "");
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    String state = e instanceof SQLException s ? "[" + s.getSQLState() + "] " : "";
    return state + (nl < 0 ? m : m.substring(0, nl));
  }

  /** An error's message with names, numbers and quoted text removed, to group by. */
  private static String errorClass(SQLException e) {
    String m = firstLine(e).replaceAll("\\(id [0-9a-f]+\\)", "");
    if ("XX000".equals(e.getSQLState())) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      m = m + " " + root.getClass().getSimpleName() + ": " + root.getMessage();
      m = m.replaceAll("rel#[0-9]+:.*", "rel#...");
    }
    m = m.replaceAll("jt_[0-9a-f]+", "ns")
        .replaceAll("'[^']*'", "'?'").replaceAll("\"[^\"]*\"", "\"?\"")
        .replaceAll("`[^`]*`", "`?`").replaceAll("[0-9]+", "N");
    return m.length() > 160 ? m.substring(0, 160) : m;
  }

  private static String postgresType(Type type) {
    return switch (type) {
      case INT -> "integer";
      case DEC -> "numeric(10,2)";
      case STR -> "varchar(20)";
      case DATE -> "date";
      case BOOL -> "boolean";
    };
  }

  private static String mariaType(Type type) {
    return switch (type) {
      case INT -> "INT";
      case DEC -> "DECIMAL(10,2)";
      case STR -> "VARCHAR(20)";
      case DATE -> "DATE";
      case BOOL -> "BOOLEAN";
    };
  }

  private static String standardType(Type type) {
    return switch (type) {
      case INT -> "INTEGER";
      case DEC -> "DECIMAL(10,2)";
      case STR -> "VARCHAR(20)";
      case DATE -> "DATE";
      case BOOL -> "BOOLEAN";
    };
  }

  /** SQLite stores dates as ISO text and booleans as 0 and 1. */
  private static Object sqliteValue(Object value) {
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return value;
  }
}
