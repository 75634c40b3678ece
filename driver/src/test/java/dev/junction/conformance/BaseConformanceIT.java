package dev.junction.conformance;

import dev.junction.conformance.ConformanceData.ColumnType;
import dev.junction.conformance.ConformanceData.Table;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pushdown conformance battery, run once per adapter by a subclass (the Trino
 * BaseJdbcConnectorTest idea). Every shape of {@link Shapes} is run through Junction and
 * checked twice:
 *
 * <ul>
 * <li>its rows against a reference: the same query on an in-process DuckDB holding the
 * same data (or explicit rows), compared as sorted rows unless the order is part of the
 * answer, NULLs included, numbers exactly unless the shape allows a tolerance;</li>
 * <li>the SQL that reached the source: when the adapter has every behavior the shape
 * needs, exactly one statement, containing the pushed constructs; otherwise none of the
 * statements may contain the construct the source cannot take, which Junction runs
 * itself.</li>
 * </ul>
 *
 * <p>A shape failing with an error from the source database fails the battery.
 *
 * <p>The battery runs at a {@link ConformanceData.Scale}: the small data set, or (in the
 * {@code *LargeConformanceIT} subclasses) realistic sizes with skewed keys. The source's
 * optimizer statistics are collected after loading at either scale, and the shapes and
 * their expectations are the same, so a cost-model change that stops pushing a shape
 * once tables are big fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BaseConformanceIT {
  /** The source's name in the test catalog. */
  protected static final String SOURCE = "src";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
  private static final DateTimeFormatter TIMESTAMP_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private static final BigDecimal SORT_OFFSET = new BigDecimal("1e12");
  private static final Logger LOG = LoggerFactory.getLogger(BaseConformanceIT.class);

  private List<Table> tables;
  /** Junction over the source, and DuckDB in memory holding the same data. */
  protected Connection junction;
  /** The reference answers' database (in-memory DuckDB). */
  protected Connection reference;

  /** Whether this adapter's source executes a behavior itself. */
  protected abstract boolean hasBehavior(Behavior behavior);

  /**
   * Creates the source's tables and loads them ({@link #loadTables}), and returns the
   * catalog with the source added as {@link #SOURCE}.
   */
  protected abstract CatalogFile createSource(Path dir) throws Exception;

  /** The name of a test table as Junction sees it: {@code src.schema.table}. */
  protected abstract String junctionTable(Table table);

  /** Drops what {@link #createSource} created. */
  protected abstract void dropSource() throws Exception;

  /** Spells a column type in this source's DDL; by default in standard SQL. */
  protected String ddlType(ColumnType type) {
    return standardType(type);
  }

  /**
   * Relative tolerance for every number this source returns; 0 unless the source computes
   * DECIMAL arithmetic in binary floating point (SQLite).
   */
  protected double numericTolerance() {
    return 0;
  }

  /** The data set's size; the small one unless a subclass runs the battery at scale. */
  protected ConformanceData.Scale scale() {
    return ConformanceData.Scale.SMALL;
  }

  /**
   * Refreshes the source's optimizer statistics of the loaded tables, named as the source
   * knows them, as an operator would after a bulk load.
   */
  protected abstract void collectStatistics(Statement st, List<String> tables)
      throws SQLException;

  /** Converts a value before it is bound for insertion; SQLite stores some as text. */
  protected Object bind(Object value) {
    return value;
  }

  /**
   * Loads every table into {@code c}, naming each with {@code name}, and collects the
   * source's statistics on them.
   */
  protected final void loadTables(Connection c, Function<Table, String> name)
      throws SQLException {
    long start = System.nanoTime();
    List<String> names = new ArrayList<>();
    for (Table t : tables) {
      ConformanceData.load(c, t, name.apply(t), this::ddlType, this::bind);
      names.add(name.apply(t));
    }
    try (Statement st = c.createStatement()) {
      collectStatistics(st, names);
    }
    LOG.info("{}: loaded and analyzed the {} data set in {} ms", getClass().getSimpleName(),
        scale(), (System.nanoTime() - start) / 1_000_000);
  }

  @BeforeAll
  final void setUp(@TempDir Path dir) throws Exception {
    tables = ConformanceData.tables(scale());
    reference = DriverManager.getConnection("jdbc:duckdb:");
    for (Table t : tables) {
      ConformanceData.load(reference, t, t.name(), BaseConformanceIT::standardType, v -> v);
    }
    Path catalog = createSource(dir).write(dir);
    junction = CatalogFile.connect(catalog);
  }

  @AfterAll
  final void tearDown() throws Exception {
    try (AutoCloseable j = junction; AutoCloseable r = reference) {
      dropSource();
    }
  }

  /**
   * Whether {@code exact} is the exact form of the optimistic statement {@code optimistic},
   * sent after it failed (see the DuckDB dialect's DECIMAL products). By default, never.
   */
  protected boolean isExactFormOf(String optimistic, String exact) {
    return false;
  }

  /** The battery's shapes. */
  List<Shape> shapes() {
    return Shapes.ALL;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void shape(Shape shape) throws Exception {
    List<List<Object>> expected = shape.expectedRows() != null
        ? normalize(shape.expectedRows())
        : query(reference, resolve(shape.referenceSql() == null ? shape.sql()
            : shape.referenceSql(), Table::name));
    String sql = resolve(shape.sql(), this::junctionTable);
    List<List<Object>> actual;
    List<String> sent;
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      try {
        actual = query(junction, sql);
      } catch (SQLException e) {
        throw new AssertionError(shape + " failed through Junction: " + e.getMessage()
            + "\nSQL sent to the source: " + recorder.sentTo(SOURCE), e);
      }
      sent = recorder.sentTo(SOURCE);
    }
    String context = "\nquery: " + sql + "\nSQL sent to the source: " + sent;
    assertRows(shape, expected, actual, Math.max(shape.tolerance(), numericTolerance()),
        context);
    assertFalse(sent.isEmpty(), "no statement reached the source" + context);
    if (shape.requires().stream().allMatch(this::hasBehavior)) {
      if (sent.size() == 2 && isExactFormOf(sent.get(0), sent.get(1))) {
        sent = sent.subList(1, 2);
      }
      assertEquals(1, sent.size(), "expected the whole shape in one remote statement"
          + " (or its optimistic form, then the exact one)" + context);
      String remote = normalizeSql(sent.get(0));
      for (String fragment : shape.pushed()) {
        assertTrue(containsAny(remote, fragment), "pushed SQL lacks " + fragment + context);
      }
    } else {
      for (String s : sent) {
        for (String fragment : shape.localOnly()) {
          assertFalse(containsAny(normalizeSql(s), fragment), "source cannot take "
              + fragment + ", yet it was sent" + context);
        }
      }
    }
  }

  private static boolean containsAny(String normalizedSql, String alternatives) {
    for (String a : alternatives.split("\\|")) {
      if (normalizedSql.contains(normalizeSql(a))) {
        return true;
      }
    }
    return false;
  }

  /** Upper case, no identifier quotes, single spaces: fragments match every dialect. */
  private static String normalizeSql(String sql) {
    return sql.replace("\"", "").replace("`", "").replaceAll("\\s+", " ")
        .toUpperCase(Locale.ROOT);
  }

  static String resolve(String sql, Function<Table, String> names) {
    Map<String, Table> byName = ConformanceData.TABLES.stream()
        .collect(Collectors.toMap(Table::name, t -> t));
    Matcher m = PLACEHOLDER.matcher(sql);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      Table t = byName.get(m.group(1));
      if (t == null) {
        throw new IllegalArgumentException("unknown table " + m.group() + " in " + sql);
      }
      m.appendReplacement(b, Matcher.quoteReplacement(names.apply(t)));
    }
    m.appendTail(b);
    return b.toString();
  }

  /** Standard SQL spelling of a column type, which the reference DuckDB and SQLite take. */
  private static String standardType(ColumnType type) {
    return switch (type) {
      case INTEGER -> "INTEGER";
      case DECIMAL_10_2 -> "DECIMAL(10,2)";
      case DOUBLE -> "DOUBLE";
      case VARCHAR -> "VARCHAR(40)";
      case DATE -> "DATE";
      case TIMESTAMP -> "TIMESTAMP";
      case BOOLEAN -> "BOOLEAN";
    };
  }

  static List<List<Object>> query(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(normalize(rs.getObject(i)));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private static List<List<Object>> normalize(List<List<Object>> rows) {
    List<List<Object>> result = new ArrayList<>();
    for (List<Object> row : rows) {
      List<Object> r = new ArrayList<>();
      row.forEach(v -> r.add(normalize(v)));
      result.add(r);
    }
    return result;
  }

  /**
   * One representation per value, whichever driver produced it: numbers as BigDecimal,
   * dates and timestamps as ISO text, strings and booleans as they are.
   */
  private static Object normalize(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof BigDecimal b) {
      return b.signum() == 0 ? BigDecimal.ZERO : b.stripTrailingZeros();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return normalize(new BigDecimal(Double.toString(d)));
    }
    if (v instanceof Number n) {
      return normalize(new BigDecimal(n.longValue()));
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof LocalDate d) {
      return d.toString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return TIMESTAMP_TEXT.format(t.toLocalDateTime());
    }
    if (v instanceof LocalDateTime t) {
      return TIMESTAMP_TEXT.format(t);
    }
    return v.toString();
  }

  private static void assertRows(Shape shape, List<List<Object>> expected,
      List<List<Object>> actual, double tolerance, String context) {
    List<List<Object>> e = expected;
    List<List<Object>> a = actual;
    if (!shape.ordered()) {
      e = sorted(expected);
      a = sorted(actual);
    }
    if (e.size() != a.size()) {
      fail(shape + ": expected " + e.size() + " rows, got " + a.size() + "\nexpected: " + e
          + "\nactual:   " + a + context);
    }
    for (int i = 0; i < e.size(); i++) {
      if (!rowEquals(e.get(i), a.get(i), tolerance)) {
        fail(shape + ": row " + i + " differs: expected " + e.get(i) + ", got " + a.get(i)
            + "\nexpected: " + e + "\nactual:   " + a + context);
      }
    }
  }

  private static boolean rowEquals(List<Object> expected, List<Object> actual,
      double tolerance) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      Object x = expected.get(i);
      Object y = actual.get(i);
      if (x instanceof BigDecimal bx && y instanceof BigDecimal by) {
        if (bx.compareTo(by) == 0) {
          continue;
        }
        double dx = bx.doubleValue();
        double dy = by.doubleValue();
        if (tolerance > 0
            && Math.abs(dx - dy) <= tolerance * Math.max(Math.abs(dx), Math.abs(dy))) {
          continue;
        }
        return false;
      }
      if (x == null ? y != null : !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /** The rows sorted by {@link #sortKey}, each key computed once (results can be large). */
  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<Map.Entry<String, List<Object>>> keyed = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      keyed.add(Map.entry(sortKey(row), row));
    }
    keyed.sort(Map.Entry.comparingByKey());
    List<List<Object>> result = new ArrayList<>(rows.size());
    keyed.forEach(e -> result.add(e.getValue()));
    return result;
  }

  private static String sortKey(List<Object> row) {
    StringBuilder b = new StringBuilder();
    for (Object v : row) {
      if (v == null) {
        b.append("\u0000null");
      } else if (v instanceof BigDecimal d) {
        // Numbers sort by value, so rows that differ only within tolerance still pair up.
        // The text of "%030.6f", built without Formatter: the large battery sorts
        // hundreds of thousands of rows.
        String text = d.add(SORT_OFFSET).setScale(6, RoundingMode.HALF_UP).toPlainString();
        b.append("0".repeat(Math.max(0, 30 - text.length()))).append(text);
      } else {
        b.append(v);
      }
      b.append('\u0001');
    }
    return b.toString();
  }
}
