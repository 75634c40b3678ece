package dev.junction.tpch;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.tpch.TpchData.Dialect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
