package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.FakeBigQueryEndpoint;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.ResultRows;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BigQuery adapter end to end through the Junction driver, with Google's client
 * library talking to {@link FakeBigQueryEndpoint} (a DuckDB-backed test double, not
 * BigQuery): discovery, types, pushdown as one job per statement, paging.
 */
class BigQueryIT {
  @TempDir
  static Path dir;
  static FakeBigQueryEndpoint bq;
  static Path catalog;
  static TestingPostgreSqlServer pg;
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  @BeforeAll
  static void setUp() throws Exception {
    bq = new FakeBigQueryEndpoint("test-project");
    bq.execute("CREATE SCHEMA shop",
        "CREATE TABLE shop.orders (id BIGINT NOT NULL, customer VARCHAR, amount DECIMAL(38, 9),"
            + " price DOUBLE, paid BOOLEAN, placed DATE, at_local TIMESTAMP,"
            + " at_utc TIMESTAMPTZ, payload BLOB, tags VARCHAR[])",
        "INSERT INTO shop.orders SELECT i, 'c' || (i % 7), i * 1.5, i / 4.0, i % 2 = 0,"
            + " DATE '2024-01-01' + i::INTEGER,"
            + " TIMESTAMP '2024-01-01 10:00:00' + i * INTERVAL 1 HOUR,"
            + " TIMESTAMPTZ '2024-01-01 10:00:00+00' + i * INTERVAL 1 HOUR, 'ab'::BLOB,"
            + " ['x', 'y'] FROM range(1, 101) t(i)",
        "CREATE TABLE shop.customers (name VARCHAR, country VARCHAR)",
        "INSERT INTO shop.customers SELECT 'c' || i, CASE WHEN i < 4 THEN 'DE' ELSE 'FR' END"
            + " FROM range(0, 7) t(i)",
        "CREATE SCHEMA inj", "CREATE TABLE inj.words (id INTEGER, s VARCHAR)",
        "CREATE SCHEMA big",
        "CREATE TABLE big.numbers AS SELECT i AS n FROM range(0, 25000) t(i)");
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("type", "bigquery");
    settings.put("project", bq.project());
    settings.put("host", bq.url());
    settings.put("credentials", "none");
    settings.put("page-size", 1000);
    settings.put("poll-interval", "200ms");
    for (int i = 0; i < ATTACKS.size(); i++) {
      bq.execute("INSERT INTO inj.words VALUES (" + i + ", '"
          + ATTACKS.get(i).replace("'", "''") + "')");
    }
    pg = new TestingPostgreSqlServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".segments (customer varchar(10),"
            + " segment varchar(10))",
        "INSERT INTO " + pg.namespace() + ".segments VALUES ('c1', 'gold'), ('c2', 'silver')");
    Files.writeString(dir.resolve("policy.yaml"), POLICY, StandardCharsets.UTF_8);
    catalog = dir.resolve("junction.yaml");
    Files.writeString(catalog, new CatalogFile().source("bq", settings).postgresql("pg", pg)
        .yaml() + "policy: policy.yaml\n", StandardCharsets.UTF_8);
  }

  /**
   * Values that broke out of Calcite 1.42's BigQuery string literals (a literal ending in a
   * backslash), and their neighbours (issue 7's attack strings, InjectionIT).
   */
  static final List<String> ATTACKS = List.of("a\\", ") OR 1=1 -- ", "a\\'",
      "'; COMMIT; DELETE FROM words -- ", "\\'; DROP TABLE words; -- ", "a\\b", "\\",
      "\\\\", "'", "''", "\"", "`", "x` -- ", "# c", "/* c", "*/", "--", "a\\_b", "a_b",
      "a%b", "\r\n\t", "é", "ÿ\\", "\\x41", "\u001a", "");

  /** Scan budgets of the fake's estimates: orders' id column is 800 bytes, numbers 200,000. */
  static final String POLICY = """
      rules:
        - {allow: read}
      limits:
        users:
          frugal: {max-bytes-scanned: 1000}
          daily: {max-bytes-scanned-per-day: 2000}
      """;

  static Connection connect(String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    return CatalogFile.connect(catalog, p);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (bq != null) {
      bq.hold(null);
      bq.close();
    }
    if (pg != null) {
      pg.close();
    }
    EXECUTOR.shutdownNow();
  }

  @BeforeEach
  void clear() {
    bq.clear();
  }

  private static List<List<Object>> query(String sql) throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      return ResultRows.of(rs);
    }
  }

  @Test
  void discoversDatasetsTablesAndColumnTypes() throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      DatabaseMetaData md = c.getMetaData();
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = md.getSchemas("bq", null)) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.contains("shop") && schemas.contains("big"), schemas::toString);
      Map<String, String> types = new LinkedHashMap<>();
      Map<String, Integer> codes = new LinkedHashMap<>();
      try (ResultSet rs = md.getColumns("bq", "shop", "orders", null)) {
        while (rs.next()) {
          types.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"));
          codes.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
          if (rs.getString("COLUMN_NAME").equals("amount")) {
            types.put("amount", "DECIMAL(" + rs.getInt("COLUMN_SIZE") + ", "
                + rs.getInt("DECIMAL_DIGITS") + ")");
          }
        }
      }
      assertEquals(List.of("id", "customer", "amount", "price", "paid", "placed", "at_local",
          "at_utc", "payload", "tags"), new ArrayList<>(types.keySet()));
      assertEquals(Types.BIGINT, codes.get("id"));
      assertEquals("DECIMAL(38, 9)", types.get("amount"));
      assertEquals(Types.DOUBLE, codes.get("price"));
      assertEquals(Types.BOOLEAN, codes.get("paid"));
      assertEquals(Types.DATE, codes.get("placed"));
      assertEquals(Types.TIMESTAMP, codes.get("at_local"));
      assertTrue(types.get("at_utc").equals("TIMESTAMP_WITH_LOCAL_TIME_ZONE"), types::toString);
      assertEquals(Types.VARBINARY, codes.get("payload"));
      assertEquals(Types.VARCHAR, codes.get("tags"));
    }
  }

  @Test
  void readsValuesOfEveryType() throws Exception {
    List<List<Object>> rows = query("SELECT id, customer, amount, price, paid, placed,"
        + " at_local, payload, tags FROM bq.shop.orders WHERE id = 3");
    assertEquals(1, rows.size());
    List<Object> r = rows.get(0);
    assertEquals(3L, ((Number) r.get(0)).longValue());
    assertEquals("c3", r.get(1));
    assertEquals(0, new BigDecimal("4.5").compareTo((BigDecimal) r.get(2)));
    assertEquals(0.75, ((Number) r.get(3)).doubleValue());
    assertEquals(false, r.get(4));
    assertEquals(java.sql.Date.valueOf("2024-01-04"), r.get(5));
    assertEquals(java.sql.Timestamp.valueOf("2024-01-01 13:00:00"), r.get(6));
    assertEquals("[x, y]", r.get(8));
  }

  /** Integer division truncates toward zero in BigQuery (DIV) as in Junction. */
  @Test
  void integerDivisionIsDiv() throws Exception {
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      List<List<Object>> rows = query("SELECT id / 7, (0 - id) / 7 FROM bq.shop.orders"
          + " WHERE id = 20");
      assertEquals(List.of(2L, -2L), rows.get(0).stream()
          .map(v -> ((Number) v).longValue()).toList());
      assertTrue(recorder.sentTo("bq").get(0).contains("DIV(`id`, 7)"),
          recorder.sentTo("bq")::toString);
    }
  }

  /** A BigQuery TIMESTAMP is an instant: read back in UTC it is the stored UTC time. */
  @Test
  void readsTimestampsAsInstants() throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT at_utc FROM bq.shop.orders WHERE id = 3")) {
      assertTrue(rs.next());
      java.sql.Timestamp t = rs.getTimestamp(1,
          java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC")));
      assertEquals(java.time.Instant.parse("2024-01-01T13:00:00Z"), t.toInstant());
    }
  }

  @Test
  void pushesFilterProjectAggregateSortLimitAndJoinAsOneJob() throws Exception {
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      List<List<Object>> rows = query("SELECT c.country, COUNT(*) AS n, SUM(o.amount) AS total"
          + " FROM bq.shop.orders o JOIN bq.shop.customers c ON o.customer = c.name"
          + " WHERE o.id > 10 GROUP BY c.country ORDER BY n DESC LIMIT 1");
      assertEquals(1, rows.size());
      // c0..c3 are in DE, c4..c6 in FR: orders 11..100 of DE customers outnumber FR's.
      assertEquals("DE", rows.get(0).get(0));
      assertEquals(51L, ((Number) rows.get(0).get(1)).longValue());
      List<String> sent = recorder.sentTo("bq");
      assertEquals(1, sent.size(), sent::toString);
      String sql = sent.get(0);
      assertTrue(sql.contains("JOIN") && sql.contains("GROUP BY") && sql.contains("ORDER BY")
          && sql.contains("LIMIT 1") && sql.contains("WHERE"), sql);
      assertTrue(sql.contains("`shop`.`orders`") || sql.contains("shop.orders"), sql);
      assertEquals(1, bq.queryJobs().size());
      assertEquals(sql, bq.queryJobs().get(0).sql());
    }
  }

  @Test
  void readsALargeResultPageByPage() throws Exception {
    List<List<Object>> rows = query("SELECT n FROM bq.big.numbers");
    assertEquals(25_000, rows.size());
    long sum = 0;
    for (List<Object> r : rows) {
      sum += ((Number) r.get(0)).longValue();
    }
    assertEquals(25_000L * 24_999 / 2, sum);
    assertEquals(1, bq.queryJobs().size());
    assertEquals(25, bq.queryJobs().get(0).pagesServed(), "pages of page-size 1000 rows");
  }

  /** A query whose dry-run estimate exceeds the user's per-query budget never runs. */
  @Test
  void refusesAQueryOverTheBytesPerQueryBudget() throws Exception {
    try (Connection c = connect("frugal"); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT n FROM bq.big.numbers").next());
      assertEquals("54J02", e.getSQLState(), e::getMessage);
      assertTrue(e.getMessage().contains("would scan 200000 bytes (195.3 KB) in source 'bq'")
          && e.getMessage().contains("max-bytes-scanned = 1000 (set in policy"),
          e::getMessage);
      assertTrue(bq.queryJobs().isEmpty(), "only the dry run reached BigQuery");
      assertTrue(bq.jobs().get(0).dryRun());
      try (ResultSet rs = st.executeQuery("SELECT id FROM bq.shop.orders WHERE id = 3")) {
        assertTrue(rs.next(), "800 bytes fit the budget");
      }
      assertEquals(1, bq.queryJobs().size());
    }
  }

  /** Each admitted estimate is charged to the user's day; the query over it is refused. */
  @Test
  void accumulatesBytesPerDay() throws Exception {
    try (Connection c = connect("daily"); Statement st = c.createStatement()) {
      for (int i = 0; i < 2; i++) {
        try (ResultSet rs = st.executeQuery("SELECT id FROM bq.shop.orders WHERE id = 3")) {
          assertTrue(rs.next());
        }
      }
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT id FROM bq.shop.orders WHERE id = 4").next());
      assertEquals("54J02", e.getSQLState(), e::getMessage);
      assertTrue(e.getMessage().contains("would scan 800 bytes")
          && e.getMessage().contains("already scanned 1600 bytes (1.6 KB) today (UTC)")
          && e.getMessage().contains("max-bytes-scanned-per-day = 2000"), e::getMessage);
      assertEquals(2, bq.queryJobs().size());
    }
  }

  /** EXPLAIN shows the dry run's estimate next to the statement BigQuery would get. */
  @Test
  void explainShowsTheEstimate() throws Exception {
    List<List<Object>> rows = query("EXPLAIN PLAN FOR SELECT n FROM bq.big.numbers");
    String plan = rows.toString();
    assertTrue(plan.contains("estimate=[200000 bytes scanned (dry run)]"), plan);
    assertTrue(bq.queryJobs().isEmpty(), plan);
  }

  /** Every job carries the Junction query id and the user as labels. */
  @Test
  void labelsJobsWithQueryIdAndUser() throws Exception {
    try (Connection c = connect("Ana.Lopez@example.com"); Statement st = c.createStatement()) {
      for (int i = 0; i < 2; i++) {
        try (ResultSet rs = st.executeQuery("SELECT id FROM bq.shop.orders WHERE id = 5")) {
          assertTrue(rs.next());
        }
      }
    }
    List<FakeBigQueryEndpoint.Job> jobs = bq.queryJobs();
    assertEquals(2, jobs.size());
    for (FakeBigQueryEndpoint.Job j : jobs) {
      assertEquals("ana_lopez_example_com", j.labels().get("junction-user"), j.labels()::toString);
      assertTrue(j.labels().get("junction-query-id").matches("[0-9a-f-]{36}"),
          j.labels()::toString);
    }
    assertFalse(jobs.get(0).labels().get("junction-query-id")
        .equals(jobs.get(1).labels().get("junction-query-id")));
  }

  /** Statement.cancel cancels the running job in BigQuery (jobs.cancel). */
  @Test
  void cancelCancelsTheJob() throws Exception {
    bq.hold("424242");
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      Future<Object> running = EXECUTOR.submit(() -> {
        try (ResultSet rs = st.executeQuery("SELECT n FROM bq.big.numbers WHERE n = 424242")) {
          return rs.next();
        }
      });
      FakeBigQueryEndpoint.Job job = awaitRunningJob();
      st.cancel();
      java.util.concurrent.ExecutionException e = assertThrows(
          java.util.concurrent.ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
      assertEquals("57014", ((SQLException) e.getCause()).getSQLState(),
          () -> e.getCause().toString());
      assertTrue(job.cancelled(), "jobs.cancel reached the endpoint");
    } finally {
      bq.hold(null);
    }
  }

  /** The query timeout cancels the running job too. */
  @Test
  void timeoutCancelsTheJob() throws Exception {
    bq.hold("434343");
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      st.setQueryTimeout(1);
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT n FROM bq.big.numbers WHERE n = 434343").next());
      assertEquals("57014", e.getSQLState(), e::toString);
      assertEquals(1, bq.queryJobs().size());
      assertTrue(bq.queryJobs().get(0).cancelled(), "jobs.cancel reached the endpoint");
    } finally {
      bq.hold(null);
    }
  }

  /** Waits (at most 30 s) for a job to be running on the endpoint. */
  private static FakeBigQueryEndpoint.Job awaitRunningJob() throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      for (FakeBigQueryEndpoint.Job j : bq.queryJobs()) {
        if (j.state().equals("RUNNING")) {
          return j;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no job started: " + bq.jobs());
  }

  /**
   * Every attack value finds exactly its own row, in one job whose SQL the endpoint (which
   * reads GoogleSQL's backslash escapes) parsed as one statement with the value intact.
   */
  @Test
  void literalsCannotBreakOut() throws Exception {
    for (int i = 0; i < ATTACKS.size(); i++) {
      String v = ATTACKS.get(i);
      bq.clear();
      List<List<Object>> rows = query("SELECT id FROM bq.inj.words WHERE s = '"
          + v.replace("'", "''") + "'");
      assertEquals(List.of(i), rows.stream().map(r -> ((Number) r.get(0)).intValue()).toList(),
          v);
      assertEquals(1, bq.queryJobs().size(), v);
      rows = query("SELECT id, s || '!' AS t FROM bq.inj.words WHERE s LIKE '"
          + v.replace("'", "''") + "'");
      assertTrue(rows.stream().anyMatch(r -> r.get(1).equals(v + "!")), v);
    }
  }

  /** A key that cannot be loaded fails with 08004, naming the kind, never the key. */
  @Test
  void badCredentialsNeverShowTheKey() throws Exception {
    String key = "{\"type\": \"service_account\", \"private_key\": \"SECRET-KEY-4711\"}";
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("type", "bigquery");
    settings.put("project", bq.project());
    settings.put("host", bq.url());
    settings.put("credentials", key);
    Path other = Files.createDirectories(dir.resolve("badkey"));
    Path file = new CatalogFile().source("bad", settings).write(other);
    try (Connection c = CatalogFile.connect(file); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT * FROM bad.shop.orders").next());
      assertEquals("08004", e.getSQLState(), e::getMessage);
      assertTrue(e.getMessage().contains("the service-account key in key 'credentials'"),
          e::getMessage);
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t.getMessage()).contains("SECRET-KEY-4711"),
            t::toString);
      }
    }
  }

  /** An endpoint where nothing listens fails with 08001, naming where it was looked for. */
  @Test
  void unreachableEndpointIs08001() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("type", "bigquery");
    settings.put("project", "p");
    settings.put("host", "http://127.0.0.1:" + port);
    settings.put("credentials", "none");
    Path other = Files.createDirectories(dir.resolve("refused"));
    Path file = new CatalogFile().source("gone", settings).write(other);
    try (Connection c = CatalogFile.connect(file); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT * FROM gone.shop.orders").next());
      assertEquals("08001", e.getSQLState(), e::getMessage);
      assertTrue(e.getMessage().contains("http://127.0.0.1:" + port), e::getMessage);
    }
  }

  /** A join of BigQuery and PostgreSQL: each side is one statement, joined in Junction. */
  @Test
  void joinsWithPostgreSql() throws Exception {
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      List<List<Object>> rows = query("SELECT s.segment, COUNT(*) AS n FROM bq.shop.orders o"
          + " JOIN pg." + pg.namespace() + ".segments s ON o.customer = s.customer"
          + " WHERE o.id <= 20 GROUP BY s.segment ORDER BY s.segment");
      // Orders 1..20 of c1 (1, 8, 15) and c2 (2, 9, 16).
      assertEquals(List.of(List.of("gold", 3L), List.of("silver", 3L)), rows.stream()
          .map(r -> List.of(r.get(0), ((Number) r.get(1)).longValue())).toList());
      List<String> toBq = recorder.sentTo("bq");
      assertFalse(toBq.isEmpty());
      assertTrue(toBq.get(0).contains("<= 20"), toBq::toString);
      assertFalse(recorder.sentTo("pg").isEmpty());
    }
  }
}
