package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingPostgreSqlServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code EXPLAIN ANALYZE} over real PostgreSQL and a DuckDB file: the report's statements,
 * rows and sources match what the sources received, a governed caller's report hides the
 * policy's expressions, and the statement is governed, audited, classified on error and
 * stopped by timeout and cancel like the query itself.
 */
class ExplainAnalyzeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static Path catalog;
  static String orders;

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    String s = pg.namespace();
    pg.execute("CREATE TABLE " + s + ".orders (id int PRIMARY KEY, customer_id int NOT NULL,"
            + " region text, amount numeric(10,2), card text)",
        "INSERT INTO " + s + ".orders SELECT i, i % 50, (ARRAY['EU','US'])[i % 2 + 1],"
            + " (i % 97) * 1.25, '4111' || lpad(i::text, 4, '0')"
            + " FROM generate_series(1, 5000) i",
        "CREATE TABLE " + s + ".secrets (id int)",
        "CREATE TABLE " + s + ".big (x int)",
        "INSERT INTO " + s + ".big SELECT i FROM generate_series(1, 3000) i",
        "ANALYZE " + s + ".orders", "ANALYZE " + s + ".big");
    Path duck = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE events (order_id INTEGER, kind VARCHAR)");
      st.execute("INSERT INTO events SELECT i, CASE WHEN i % 3 = 0 THEN 'click' ELSE 'view' END"
          + " FROM range(1, 20001) t(i)");
    }
    Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "users:",
        "  ana:  {groups: [analysts], attributes: {region: EU}}",
        "  carl: {groups: [admins]}",
        "rules:",
        "  - {group: admins, allow: read}",
        "  - group: analysts",
        "    source: sales",
        "    table: orders",
        "    allow: read",
        "    filter: \"region = ATTRIBUTE('region')\"",
        "    columns:",
        "      card: {mask: \"'XXXX' || SUBSTRING(card FROM 5 FOR 4)\"}",
        "  - {group: analysts, source: lake, allow: read}",
        ""));
    catalog = dir.resolve("catalog.yaml");
    Files.writeString(catalog, new CatalogFile().postgresql("sales", pg).duckdb("lake", duck)
        .yaml() + "policy: policy.yaml\naudit: {destination: file, file: audit.jsonl}\n");
    orders = "sales." + s + ".orders";
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static Connection connect(String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    return DriverManager.getConnection("jdbc:junction:config=" + catalog, p);
  }

  private static String analyze(String user, String sql) throws SQLException {
    try (Connection c = connect(user); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("EXPLAIN ANALYZE " + sql)) {
      assertEquals("PLAN", rs.getMetaData().getColumnLabel(1).toUpperCase(java.util.Locale.ROOT));
      assertTrue(rs.next());
      String report = rs.getString(1);
      assertFalse(rs.next(), "one row of text");
      return report;
    }
  }

  /** The summary line of one source: statements, rows fetched, bytes. */
  private static long[] source(String report, String source) {
    Matcher m = Pattern.compile("\n  " + source + ": ([\\d,]+) remote statements?,"
        + " ([\\d,]+) rows? fetched, ([\\d,]+) bytes \\(estimated\\), [\\d.]+ ms in the source")
        .matcher(report);
    assertTrue(m.find(), "no line for " + source + " in\n" + report);
    return new long[] {number(m.group(1)), number(m.group(2)), number(m.group(3))};
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  private static long returned(String report) {
    Matcher m = Pattern.compile("\nExecution: ([\\d,]+) rows? returned in [\\d.]+ ms\n")
        .matcher(report);
    assertTrue(m.find(), report);
    return number(m.group(1));
  }

  @Test
  void aSingleSourceQueryIsOneStatementWithItsRows() throws Exception {
    String report;
    try (RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      report = analyze("carl", "SELECT customer_id, COUNT(*) AS n FROM " + orders
          + " WHERE id <= 1000 GROUP BY customer_id");
      assertEquals(1, sent.sentTo("sales").size(), sent.sent().toString());
      String sql = sent.sentTo("sales").get(0).replaceAll("\\s*\\n\\s*", " ");
      assertTrue(report.contains("    50 rows in "), report);
      assertTrue(report.contains("): " + sql + "\n"), "the statement's SQL as sent\n" + report);
    }
    assertTrue(report.startsWith("SourceStatement(source=[sales], sql=[SELECT"), report);
    long[] sales = source(report, "sales");
    assertEquals(1, sales[0]);
    assertEquals(50, sales[1]);
    // 50 rows of an INTEGER and a BIGINT count: 4 + 8 bytes each.
    assertEquals(50 * 12, sales[2]);
    assertEquals(50, returned(report));
    assertFalse(report.contains("lake"), report);
  }

  @Test
  void aPreparedStatementBindsItsParameters() throws Exception {
    try (Connection c = connect("carl");
         java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE SELECT id FROM "
             + orders + " WHERE id <= ?")) {
      for (int limit : new int[] {10, 25}) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          String report = rs.getString(1);
          assertEquals(limit, returned(report), report);
          assertEquals(limit, source(report, "sales")[1], report);
        }
      }
    }
  }

  @Test
  void aCrossSourceJoinShowsBothSourcesWithTheirRows() throws Exception {
    String report;
    List<String> toLake;
    try (RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      report = analyze("carl", "SELECT o.id, e.kind FROM " + orders + " o"
          + " JOIN lake.main.events e ON o.id = e.order_id"
          + " WHERE o.id <= 300 AND e.kind = 'click'");
      assertEquals(1, sent.sentTo("sales").size(), sent.sent().toString());
      toLake = sent.sentTo("lake");
    }
    assertTrue(report.contains("source=[sales]") && report.contains("source=[lake]"), report);
    long[] sales = source(report, "sales");
    long[] lake = source(report, "lake");
    assertEquals(1, sales[0]);
    assertEquals(300, sales[1]);
    assertEquals(toLake.size(), lake[0]);
    // Either the 300 keys were pushed into DuckDB (one list), or it sent every click.
    boolean keysPushed = toLake.get(0).contains("?");
    assertEquals(1, toLake.size(), toLake.toString());
    assertEquals(keysPushed ? 100 : 20000 / 3, lake[1], report);
    assertEquals(100, returned(report));
  }

  @Test
  void aGovernedCallersReportHidesTheFilterAndMasks() throws Exception {
    String report;
    List<String> sent;
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      report = analyze("ana", "SELECT id, card FROM " + orders + " WHERE amount > 100");
      sent = recorder.sentTo("sales");
    }
    assertEquals(1, sent.size());
    assertTrue(sent.get(0).contains("'EU'"), "the filter ran in the source: " + sent);
    assertTrue(report.contains("<row filter>") && report.contains("<mask>"), report);
    assertFalse(report.contains("EU") || report.contains("XXXX") || report.contains("JUNCTION_"),
        report);
    // EU rows are the odd ids; amount > 100 keeps (id % 97) > 80.
    long expected = 0;
    for (int i = 1; i <= 5000; i++) {
      if (i % 2 == 1 && (i % 97) * 1.25 > 100) {
        expected++;
      }
    }
    assertEquals(expected, returned(report));
    assertEquals(expected, source(report, "sales")[1]);
    String plain;
    try (Connection c = connect("ana"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR SELECT id, card FROM " + orders
             + " WHERE amount > 100")) {
      rs.next();
      plain = rs.getString(1);
    }
    assertTrue(report.startsWith(plain), "the plan EXPLAIN PLAN FOR shows:\n" + plain
        + "\nreport:\n" + report);
  }

  @Test
  void errorsAreClassifiedAsForTheQuery() throws Exception {
    try (Connection c = connect("ana"); Statement st = c.createStatement()) {
      for (String query : List.of(
          "SELECT nosuch FROM " + orders,
          "SELECT id FROM " + orders + " WHERE id = 'x' +",
          "SELECT * FROM sales." + pg.namespace() + ".secrets",
          "SELECT CAST(kind AS INTEGER) FROM lake.main.events",
          "DELETE FROM " + orders)) {
        SQLException plain = assertThrows(SQLException.class, () -> drain(st, query));
        SQLException analyzed = assertThrows(SQLException.class,
            () -> drain(st, "EXPLAIN ANALYZE " + query));
        assertEquals(plain.getSQLState(), analyzed.getSQLState(), query);
        assertEquals(plain.getClass(), analyzed.getClass(), query);
        // Positions are where the caller wrote them: 16 columns further on line 1.
        Matcher at = Pattern.compile("line 1, column (\\d+)").matcher(plain.getMessage());
        String expected = at.find() ? at.replaceAll(
            r -> "line 1, column " + (Integer.parseInt(r.group(1)) + 16)) : plain.getMessage();
        assertEquals(expected, analyzed.getMessage(), query);
      }
      SQLException nested = assertThrows(SQLException.class,
          () -> drain(st, "EXPLAIN ANALYZE EXPLAIN PLAN FOR SELECT 1"));
      assertEquals("42000", nested.getSQLState());
    }
  }

  @Test
  void itIsAuditedWithTheTablesItRead() throws Exception {
    analyze("ana", "SELECT COUNT(*) FROM " + orders);
    List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
    JsonNode last = null;
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      if (n.get("sql").asText().equals("EXPLAIN ANALYZE SELECT COUNT(*) FROM " + orders)) {
        last = n;
      }
    }
    assertTrue(last != null, lines.toString());
    assertEquals("ok", last.get("outcome").asText());
    assertEquals("ana", last.get("user").asText());
    assertEquals("[\"" + orders + "\"]", last.get("tables").toString());
  }

  @Test
  void timeoutAndCancelStopTheRemoteQuery() throws Exception {
    String big = "sales." + pg.namespace() + ".big";
    String slow = "EXPLAIN ANALYZE SELECT COUNT(*) FROM " + big + " a JOIN " + big
        + " b ON a.x <> b.x JOIN " + big + " c ON b.x <> c.x";
    try (Connection c = connect("carl"); Statement st = c.createStatement()) {
      st.setQueryTimeout(1);
      SQLException timeout = assertThrows(SQLException.class, () -> drain(st, slow));
      assertInstanceOf(SQLTimeoutException.class, timeout);
      assertEquals("57014", timeout.getSQLState());
    }
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (Connection c = connect("carl")) {
      Statement st = c.createStatement();
      Future<?> running = executor.submit(() -> {
        drain(st, slow);
        return null;
      });
      Thread.sleep(500);
      st.cancel();
      ExecutionException failure = assertThrows(ExecutionException.class,
          () -> running.get(30, TimeUnit.SECONDS));
      assertInstanceOf(SQLException.class, failure.getCause());
      assertEquals("57014", ((SQLException) failure.getCause()).getSQLState());
      st.close();
    } finally {
      executor.shutdownNow();
    }
  }

  private static void drain(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rs.getObject(1);
      }
    }
  }
}
