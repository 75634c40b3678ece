package dev.junction.tpch;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.tpch.TpchData.Dialect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 22 TPC-H queries over ONE source, all eight tables in one DuckDB file and, again, in
 * one PostgreSQL schema: every query must reach the source as exactly one statement (the
 * whole query, whatever the tables' sizes) and answer as DuckDB does directly.
 */
class TpchSingleSourceIT {
  private static final double SCALE_FACTOR =
      Double.parseDouble(System.getProperty("tpch.sf", "0.01"));

  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static Connection reference;
  static Path catalog;
  static final Map<String, Map<String, String>> NAMES = new LinkedHashMap<>();
  /** Junction's EXPLAIN with each node's estimates and attributes. */
  private static final String JUNCTION_EXPLAIN = "EXPLAIN PLAN INCLUDING ALL ATTRIBUTES FOR";

  @BeforeAll
  static void load() throws Exception {
    TpchData data = TpchData.generate(SCALE_FACTOR);
    pg = new TestingPostgreSqlServer();
    Path lake = dir.resolve("lake.duckdb");
    Map<String, String> duck = new LinkedHashMap<>();
    Map<String, String> sales = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake)) {
      for (String table : data.tableNames()) {
        data.load(c, Dialect.DUCKDB, table, table);
        duck.put(table, "lake.main." + table);
      }
      TpchData.analyze(c, Dialect.DUCKDB, List.of());
    }
    Properties p = new Properties();
    p.setProperty("user", pg.user());
    p.setProperty("password", pg.password());
    p.setProperty("reWriteBatchedInserts", "true");
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), p)) {
      List<String> loaded = new ArrayList<>();
      for (String table : data.tableNames()) {
        String name = pg.namespace() + "." + table;
        data.load(c, Dialect.POSTGRESQL, table, name);
        loaded.add(name);
        sales.put(table, "sales." + name);
      }
      TpchData.analyze(c, Dialect.POSTGRESQL, loaded);
    }
    NAMES.put("lake", duck);
    NAMES.put("sales", sales);
    reference = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("reference.duckdb"));
    for (String table : data.tableNames()) {
      data.load(reference, Dialect.DUCKDB, table, table);
    }
    catalog = new CatalogFile().duckdb("lake", lake).postgresql("sales", pg).write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try (AutoCloseable r = reference; AutoCloseable p = pg) {
      // closes both, even when one fails
    }
  }

  static Stream<Arguments> queries() {
    return Stream.of("lake", "sales").flatMap(source -> IntStream.rangeClosed(1, 22)
        .mapToObj(i -> Arguments.of(source, String.format(Locale.ROOT, "q%02d", i))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("queries")
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void oneStatementSameAnswer(String source, String query) throws Exception {
    String template = TpchFederatedIT.resource("/tpch/" + query + ".sql");
    boolean ordered = template.toUpperCase(Locale.ROOT).contains("ORDER BY");
    List<List<Object>> expected;
    try (Statement st = reference.createStatement()) {
      expected = TpchFederatedIT.rows(st, TpchFederatedIT.substitute(template, null));
    }
    String sql = TpchFederatedIT.substitute(template, NAMES.get(source));
    List<List<Object>> actual;
    List<RemoteSqlRecorder.Sent> sent;
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
         RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      st.setQueryTimeout(100);
      actual = TpchFederatedIT.rows(st, sql);
      sent = recorder.sent();
    }
    assertEquals(1, sent.size(), query + " over " + source + " sent " + sent.size()
        + " statements: " + sent);
    assertEquals(source, sent.get(0).source());
    assertNull(TpchFederatedIT.compare(expected, actual, ordered), query + " over " + source);
  }

  /** The case: a join of two of one source's tables, grouped, at real sizes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void sameSourceJoinIsOneStatement(String source) throws Exception {
    Map<String, String> names = NAMES.get(source);
    String sql = "SELECT c_mktsegment, COUNT(*) FROM " + names.get("orders") + " o JOIN "
        + names.get("customer") + " c ON o.o_custkey = c.c_custkey"
        + " WHERE o.o_orderdate >= DATE '1995-01-01' GROUP BY c_mktsegment";
    List<RemoteSqlRecorder.Sent> sent;
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
         RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      assertEquals(5, TpchFederatedIT.rows(st, sql).size());
      sent = recorder.sent();
    }
    assertEquals(1, sent.size(), sent.toString());
    assertTrue(sent.get(0).sql().contains("GROUP BY"), sent.toString());
  }

  /** The statements the sources receive while Junction runs {@code sql} to its last row. */
  private static List<RemoteSqlRecorder.Sent> sentFor(String sql) throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
         RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      st.setQueryTimeout(100);
      TpchFederatedIT.rows(st, sql);
      return recorder.sent();
    }
  }

  /**
   * Correlated subqueries reach the source as written, for its own planner, AVG included:
   * Calcite's decorrelation of Q17 aggregated all of lineitem per part where the source
   * aggregates only the parts the outer query keeps.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void correlatedSubqueriesStayCorrelated(String source) throws Exception {
    Map<String, String> expected = Map.of("q17", "< (SELECT 0.2 * ",
        "q04", " EXISTS (SELECT ", "q22", " NOT EXISTS (SELECT ");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      List<RemoteSqlRecorder.Sent> sent = sentFor(TpchFederatedIT.substitute(
          TpchFederatedIT.resource("/tpch/" + e.getKey() + ".sql"), NAMES.get(source)));
      assertEquals(1, sent.size(), e.getKey() + ": " + sent);
      assertTrue(sent.get(0).sql().contains(e.getValue()), e.getKey() + ": " + sent);
    }
  }

  /**
   * PostgreSQL plans the statement Junction sends for a query whose join condition is an
   * OR of branches (Q7, Q19) as it plans the query as written: Junction derives no filter
   * from the branches for it ({@code SourcePushdown#derivesJoinDisjunctions}). With them,
   * PostgreSQL counted the restriction twice (its own derivation and Junction's) and ran
   * Q19 as a nested loop over part's key. Compared by PostgreSQL's own estimate of the
   * statement's cost and rows, which is deterministic for the same statistics.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"q07", "q19"})
  void postgresPlansOrJoinsAsWritten(String query) throws Exception {
    String template = TpchFederatedIT.resource("/tpch/" + query + ".sql");
    List<RemoteSqlRecorder.Sent> sent =
        sentFor(TpchFederatedIT.substitute(template, NAMES.get("sales")));
    assertEquals(1, sent.size(), sent.toString());
    Map<String, String> direct = new LinkedHashMap<>();
    NAMES.get("sales").keySet().forEach(t -> direct.put(t, pg.namespace() + "." + t));
    Properties p = new Properties();
    p.setProperty("user", pg.user());
    p.setProperty("password", pg.password());
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), p);
         Statement st = c.createStatement()) {
      assertEquals(estimate(st, TpchFederatedIT.substitute(template, direct)),
          estimate(st, sent.get(0).sql()), query + " sent as: " + sent.get(0).sql());
    }
  }

  /** The cost and rows PostgreSQL estimates for {@code sql}'s top plan node. */
  private static String estimate(Statement st, String sql) throws Exception {
    String top = explain(st, "EXPLAIN", sql).lines().findFirst().orElse("");
    Matcher m = Pattern.compile("cost=\\S+ rows=\\d+").matcher(top);
    assertTrue(m.find(), top);
    return m.group();
  }

  /**
   * A PostgreSQL statement ending in a sort that Junction estimates far too large (a filter
   * over a cross join, as in Q15: 15,000 x 1,500 rows times a guessed selectivity) is read
   * in one piece when PostgreSQL's own estimate is small: read in fetch-size batches, its
   * portal would get no parallel workers. A sorted result PostgreSQL also expects to be
   * large still streams in batches, so memory stays bounded.
   */
  @Test
  void postgresReadsWholeWhatItExpectsSmall() throws Exception {
    Map<String, String> names = NAMES.get("sales");
    String small = "SELECT c.c_name, o.o_orderkey FROM " + names.get("orders") + " o, "
        + names.get("customer") + " c WHERE o.o_custkey = c.c_custkey AND o.o_totalprice ="
        + " (SELECT MAX(o_totalprice) FROM " + names.get("orders") + ") ORDER BY c.c_name";
    String large = "SELECT l_orderkey, l_linenumber FROM " + names.get("lineitem")
        + " ORDER BY l_orderkey DESC, l_linenumber";
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      String plan = explain(st, JUNCTION_EXPLAIN, small);
      assertTrue(plan.contains("rowcount = ") && plan.contains("fetch=[whole]"), plan);
      assertTrue(Double.parseDouble(plan.replaceAll("(?s).*rowcount = ([0-9.E]+).*", "$1"))
          > 50_000, "Junction's own estimate is no longer above the bound: " + plan);
      String streamed = explain(st, JUNCTION_EXPLAIN, large);
      assertFalse(streamed.contains("fetch=[whole]"), streamed);
    }
  }

  /**
   * The plan {@code command} (PostgreSQL's {@code EXPLAIN}, or Junction's
   * {@link #JUNCTION_EXPLAIN}) shows on {@code st} for {@code sql}, one line per row.
   */
  private static String explain(Statement st, String command, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(command + " " + sql)) {
      StringBuilder b = new StringBuilder();
      while (rs.next()) {
        b.append(rs.getString(1)).append('\n');
      }
      return b.toString();
    }
  }

  /**
   * Q22's subquery, sent as written, reaches the source with its country codes as an IN
   * list, as the outer query's: Calcite writes a short IN list it did not simplify as a
   * chain of ORs, and PostgreSQL then computed the {@code SUBSTRING} once per code.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void inListsOfSubqueriesStayInLists(String source) throws Exception {
    List<RemoteSqlRecorder.Sent> sent = sentFor(TpchFederatedIT.substitute(
        TpchFederatedIT.resource("/tpch/q22.sql"), NAMES.get(source)));
    assertEquals(1, sent.size(), sent.toString());
    assertFalse(sent.get(0).sql().contains(" OR "), sent.get(0).sql());
  }

  /** A DATE parameter set with {@code setDate} reaches the source as a date. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void dateParameter(String source) throws Exception {
    long expected;
    try (Statement st = reference.createStatement();
         ResultSet rs = st.executeQuery(
             "SELECT COUNT(*) FROM orders WHERE o_orderdate >= DATE '1995-03-15'")) {
      rs.next();
      expected = rs.getLong(1);
    }
    try (Connection c = CatalogFile.connect(catalog); PreparedStatement ps = c.prepareStatement(
        "SELECT COUNT(*) FROM " + NAMES.get(source).get("orders") + " WHERE o_orderdate >= ?")) {
      ps.setDate(1, java.sql.Date.valueOf("1995-03-15"));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(expected, rs.getLong(1));
      }
      ps.setObject(1, java.time.LocalDate.of(1995, 3, 15));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(expected, rs.getLong(1));
      }
    }
  }

  static Stream<String> sources() {
    return Stream.of("lake", "sales");
  }
}
