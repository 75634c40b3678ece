package dev.junction.driver;

import dev.junction.driver.cache.ResultCache;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingPostgreSqlServer;

import com.github.benmanes.caffeine.cache.Ticker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The result cache through the driver, over a real PostgreSQL source ({@code sales},
 * {@code cache-ttl: 5m}) and a DuckDB one ({@code lake}, {@code cache-ttl: 0}) under a
 * row-filter policy, with a fake clock: callers with other filters never see each other's
 * rows, callers with the same effective filter share an entry, parameters are part of the
 * key, non-deterministic statements and system tables are not cached, a big result streams
 * through, TTLs per source, invalidation by source, a policy reload, bypass and force.
 * Whether a result came from the cache is proven by the SQL that reached the source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultCacheIT {
  private final AtomicLong now = new AtomicLong();
  private TestingPostgreSqlServer pg;
  private Path dir;
  private Path catalog;
  private String orders;
  private String big;

  @BeforeAll void setUp(@TempDir Path tmp) throws Exception {
    dir = tmp;
    pg = new TestingPostgreSqlServer();
    String ns = pg.namespace();
    pg.execute("CREATE TABLE " + ns + ".orders(id INT PRIMARY KEY, region TEXT, amount INT)",
        "INSERT INTO " + ns + ".orders SELECT i, (ARRAY['EU','US','APAC'])[i % 3 + 1], i * 10"
            + " FROM generate_series(1, 30) t(i)",
        "CREATE TABLE " + ns + ".big(id INT PRIMARY KEY, pad TEXT)",
        "INSERT INTO " + ns + ".big SELECT i, repeat('x', 100) FROM generate_series(1, 2000)"
            + " t(i)");
    Path duck = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE rates(region VARCHAR, rate INT)");
      s.execute("INSERT INTO rates VALUES ('EU', 1), ('US', 2), ('APAC', 3)");
    }
    writePolicy("EU");
    catalog = dir.resolve("catalog.yaml");
    Map<String, Object> sales = new java.util.LinkedHashMap<>(Map.of("type", "postgresql",
        "url", pg.jdbcUrl(), "user", pg.user(), "password", pg.password()));
    sales.put("cache-ttl", "5m");
    Files.writeString(catalog, new CatalogFile().source("sales", sales)
        .source("lake", Map.of("type", "duckdb", "path", duck.toString(), "cache-ttl", "0"))
        .yaml() + "cache: {max-bytes: 1MB, max-entry-bytes: 64KB, ttl: 1m}\n"
        + "policy: policy.yaml\naudit: {destination: none}\n");
    orders = "sales." + ns + ".orders";
    big = "sales." + ns + ".big";
    CatalogRegistry.INSTANCE.useTicker(now::get);
  }

  @AfterAll void tearDown() throws Exception {
    CatalogRegistry.INSTANCE.useTicker(Ticker.systemTicker());
    if (pg != null) {
      pg.close();
    }
  }

  /** Every test starts with an empty cache. */
  @BeforeEach void empty() throws Exception {
    try (Connection c = connect("ops"); Statement s = c.createStatement()) {
      s.executeQuery("CALL junction.invalidate_cache()").close();
    }
  }

  /**
   * Ana and eve: region EU; bob: US; analysts read orders filtered, lake in full, and their
   * own running queries; ops read everything, every caller's queries included.
   */
  private void writePolicy(String anaRegion) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "users:",
        "  ana: {groups: [analysts], attributes: {region: " + anaRegion + "}}",
        "  eve: {groups: [analysts], attributes: {region: EU}}",
        "  bob: {groups: [analysts], attributes: {region: US}}",
        "  ops: {groups: [ops], attributes: {junction-queries: all}}",
        "rules:",
        "  - {group: ops, allow: read}",
        "  - group: analysts",
        "    source: sales",
        "    allow: read",
        "    filter: \"region = ATTRIBUTE('region')\"",
        "    table: orders",
        "  - {group: analysts, source: lake, allow: read}",
        "  - {group: analysts, source: junction, table: queries, allow: read}",
        "limits:",
        "  users:",
        "    ops: {query-timeout: 10m}",
        ""), StandardCharsets.UTF_8);
  }

  private Connection connect(String user) throws SQLException {
    return connect(user, new Properties());
  }

  private Connection connect(String user, Properties p) throws SQLException {
    p.setProperty("user", user);
    return CatalogFile.connect(catalog, p);
  }

  private static ResultCache.Stats stats(Connection c) throws SQLException {
    ResultCache cache = JunctionDriver.resultCache(c.unwrap(
        org.apache.calcite.avatica.AvaticaConnection.class));
    return cache.stats();
  }

  /** The counters since {@code before} (entries and bytes as they are now). */
  private static ResultCache.Stats since(ResultCache.Stats before, Connection c)
      throws SQLException {
    ResultCache.Stats now = stats(c);
    return new ResultCache.Stats(now.hits() - before.hits(), now.misses() - before.misses(),
        now.evictions() - before.evictions(), now.entries(), now.bytes());
  }

  /** The rows of a result as text, one "a|b" string a row. */
  private static List<String> rows(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  private static List<String> query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return rows(s.executeQuery(sql));
    }
  }

  private String regionsSql() {
    return "SELECT DISTINCT region FROM " + orders + " ORDER BY region";
  }

  @Test void callersWithOtherFiltersNeverSeeEachOthersRows() throws Exception {
    try (Connection ana = connect("ana"); Connection bob = connect("bob");
         RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      ResultCache.Stats before = stats(ana);
      for (int round = 0; round < 3; round++) {
        assertEquals(List.of("EU"), query(ana, regionsSql()));
        assertEquals(List.of("US"), query(bob, regionsSql()));
      }
      ResultCache.Stats s = since(before, ana);
      assertEquals(2, s.misses(), "one entry per effective filter");
      assertEquals(4, s.hits());
      assertEquals(2, s.entries());
      assertEquals(2, sent.sentTo("sales").size(), "each filter ran once in the source");
    }
  }

  @Test void callersWithTheSameEffectiveFilterShareAnEntry() throws Exception {
    try (Connection ana = connect("ana"); Connection eve = connect("eve");
         RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      ResultCache.Stats before = stats(ana);
      assertEquals(List.of("EU"), query(ana, regionsSql()));
      assertEquals(List.of("EU"), query(eve, regionsSql()));
      ResultCache.Stats s = since(before, ana);
      assertEquals(1, s.misses());
      assertEquals(1, s.hits(), "eve was served ana's result: their filters are equal");
      assertEquals(1, sent.sentTo("sales").size());
    }
  }

  @Test void parameterValuesArePartOfTheKey() throws Exception {
    try (Connection ops = connect("ops");
         PreparedStatement ps = ops.prepareStatement(
             "SELECT id, region FROM " + orders + " WHERE id = ?")) {
      ResultCache.Stats before = stats(ops);
      ps.setInt(1, 1);
      assertEquals(List.of("1|US"), rows(ps.executeQuery()));
      ps.setInt(1, 3);
      assertEquals(List.of("3|EU"), rows(ps.executeQuery()));
      ps.setInt(1, 1);
      assertEquals(List.of("1|US"), rows(ps.executeQuery()));
      ResultCache.Stats s = since(before, ops);
      assertEquals(2, s.misses());
      assertEquals(1, s.hits());
    }
    Properties newYork = new Properties();
    newYork.setProperty("timeZone", "America/New_York");
    try (Connection utc = connect("ops"); Connection ny = connect("ops", newYork)) {
      ResultCache.Stats before = stats(utc);
      query(utc, regionsSql());
      query(ny, regionsSql());
      assertEquals(2, since(before, utc).misses(), "the time zone is part of the key");
    }
  }

  @Test void nonDeterministicStatementsSystemTablesAndNoSourceAreNotCached() throws Exception {
    try (Connection ops = connect("ops"); RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      ResultCache.Stats before = stats(ops);
      for (String sql : List.of(
          "SELECT id, RAND() FROM " + orders + " WHERE id = 1",
          "SELECT id, CURRENT_TIMESTAMP FROM " + orders + " WHERE id = 1",
          "SELECT id, CURRENT_USER FROM " + orders + " WHERE id = 1",
          "SELECT * FROM junction.cache",
          "SELECT /*+ result_cache(force) */ * FROM (VALUES (1, 2)) t(a, b)")) {
        query(ops, sql);
        query(ops, sql);
      }
      ResultCache.Stats s = since(before, ops);
      assertEquals(0, s.hits() + s.misses(), "never looked up");
      assertEquals(0, s.entries());
      assertEquals(6, sent.sentTo("sales").size());
    }
  }

  @Test void aResultOverMaxEntryBytesStreamsThroughUncached() throws Exception {
    try (Connection ops = connect("ops"); RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      String sql = "SELECT id, pad FROM " + big + " ORDER BY id";
      for (int i = 0; i < 2; i++) {
        List<String> rows = query(ops, sql);
        assertEquals(2000, rows.size());
        assertEquals("2000|" + "x".repeat(100), rows.get(1999));
      }
      assertEquals(0, stats(ops).entries());
      assertEquals(2, sent.sentTo("sales").size());
    }
  }

  @Test void eachSourcesTtlApplies() throws Exception {
    try (Connection ops = connect("ops"); RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      String sql = regionsSql();
      query(ops, sql);
      now.addAndGet(Duration.ofMinutes(4).toNanos());
      query(ops, sql);
      assertEquals(1, sent.sentTo("sales").size(), "within sales' cache-ttl of 5m");
      now.addAndGet(Duration.ofMinutes(2).toNanos());
      query(ops, sql);
      assertEquals(2, sent.sentTo("sales").size(), "after it");
      String lake = "SELECT region, rate FROM lake.main.rates ORDER BY region";
      query(ops, lake);
      query(ops, lake);
      assertEquals(2, sent.sentTo("lake").size(), "lake's cache-ttl is 0");
      String join = "SELECT o.id, r.rate FROM " + orders + " o JOIN lake.main.rates r"
          + " ON o.region = r.region WHERE o.id < 4 ORDER BY o.id";
      assertEquals(List.of("1|2", "2|3", "3|1"), query(ops, join));
      query(ops, join);
      assertEquals(4, sent.sentTo("lake").size(), "the smallest TTL of a join's sources");
    }
  }

  @Test void theHintAndThePropertyBypassOrForce() throws Exception {
    String lake = "SELECT region, rate FROM lake.main.rates ORDER BY region";
    String forced = "SELECT /*+ result_cache(force) */ region, rate FROM lake.main.rates"
        + " ORDER BY region";
    Properties force = new Properties();
    force.setProperty("resultCache", "force");
    Properties bypass = new Properties();
    bypass.setProperty("resultCache", "bypass");
    try (Connection ops = connect("ops"); Connection forcing = connect("ops", force);
         Connection bypassing = connect("ops", bypass);
         RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      query(ops, forced);
      query(ops, forced);
      assertEquals(1, sent.sentTo("lake").size(), "forced past lake's cache-ttl of 0");
      query(forcing, lake);
      query(forcing, lake);
      assertEquals(1, sent.sentTo("lake").size(),
          "the property forces too, and the plan is the same as the hinted statement's");
      query(ops, lake);
      assertEquals(2, sent.sentTo("lake").size(), "without force, ttl 0 never reads it");
      query(forcing, "SELECT region FROM lake.main.rates WHERE rate > 1");
      query(forcing, "SELECT region FROM lake.main.rates WHERE rate > 1");
      assertEquals(3, sent.sentTo("lake").size(), "forced by the property alone");
      query(ops, regionsSql());
      query(bypassing, regionsSql());
      query(ops, "SELECT /*+ result_cache(bypass) */ DISTINCT region FROM " + orders
          + " ORDER BY region");
      assertEquals(3, sent.sentTo("sales").size(), "bypassed twice");
      query(ops, regionsSql());
      assertEquals(3, sent.sentTo("sales").size(), "the entry is still there");
      SQLException e = assertThrows(SQLException.class, () -> query(ops,
          "SELECT /*+ result_cache(sometimes) */ region FROM lake.main.rates"));
      assertEquals("42601", e.getSQLState());
      assertTrue(e.getMessage().contains("result_cache(bypass)"), e.getMessage());
      Properties wrong = new Properties();
      wrong.setProperty("resultCache", "always");
      SQLException p = assertThrows(SQLException.class, () -> connect("ops", wrong));
      assertTrue(p.getMessage().contains("resultCache") && p.getMessage().contains("bypass"),
          p.getMessage());
    }
  }

  @Test void theHintIsAcceptedInExplainAndSubqueriesUnderAPolicy() throws Exception {
    try (Connection ana = connect("ana")) {
      List<String> plan = query(ana, "EXPLAIN PLAN FOR SELECT /*+ result_cache(bypass) */"
          + " region FROM " + orders);
      assertTrue(plan.get(0).contains("<row filter>"), plan.toString());
      assertEquals(List.of("EU"), query(ana, "SELECT DISTINCT region FROM (SELECT"
          + " /*+ result_cache(force) */ region FROM " + orders + ") t"));
    }
  }

  @Test void invalidationBySource() throws Exception {
    try (Connection ops = connect("ops"); Connection ana = connect("ana");
         RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      query(ops, regionsSql());
      query(ops, "SELECT /*+ result_cache(force) */ region FROM lake.main.rates");
      assertEquals(2, stats(ops).entries());
      assertEquals(List.of("lake|1"), query(ops, "CALL junction.invalidate_cache('lake')"));
      assertEquals(1, stats(ops).entries());
      query(ops, regionsSql());
      assertEquals(1, sent.sentTo("sales").size(), "sales' entry stayed");
      assertEquals(List.of("sales|1"), query(ops, "call Junction.Invalidate_Cache ( 'sales' );"));
      query(ops, regionsSql());
      assertEquals(2, sent.sentTo("sales").size());
      SQLException denied = assertThrows(SQLException.class,
          () -> query(ana, "CALL junction.invalidate_cache()"));
      assertEquals("42501", denied.getSQLState());
      SQLException unknown = assertThrows(SQLException.class,
          () -> query(ops, "CALL junction.invalidate_cache('nope')"));
      assertEquals("42P01", unknown.getSQLState());
      assertEquals(1, stats(ops).entries());
    }
  }

  @Test void aPolicyReloadInvalidates() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    FileTime old = Files.getLastModifiedTime(policy);
    try (Connection ana = connect("ana")) {
      assertEquals(List.of("EU"), query(ana, regionsSql()));
      assertEquals(1, stats(ana).entries());
      try {
        writePolicy("APAC");
        Files.setLastModifiedTime(policy, FileTime.fromMillis(old.toMillis() + 5_000));
        // The policy file is looked at no more than once a second (PolicyHolder's clock).
        Thread.sleep(1_200);
        assertEquals(List.of("APAC"), query(ana, regionsSql()));
        assertEquals(1, stats(ana).entries(), "the old policy's entry was dropped");
      } finally {
        writePolicy("EU");
        Files.setLastModifiedTime(policy, FileTime.fromMillis(old.toMillis() + 10_000));
        Thread.sleep(1_200);
      }
      assertEquals(List.of("EU"), query(ana, regionsSql()));
    }
  }

  @Test void theSystemSchemaObeysThePolicy() throws Exception {
    try (Connection ops = connect("ops"); Connection ana = connect("ana");
         Connection bob = connect("bob")) {
      ResultCache.Stats before = stats(ops);
      query(ana, regionsSql());
      query(ana, regionsSql());
      assertEquals(List.of((before.hits() + 1) + "|" + (before.misses() + 1) + "|1"),
          query(ops, "SELECT hits, misses, entries FROM junction.cache"));
      SQLException e = assertThrows(SQLException.class,
          () -> query(ana, "SELECT * FROM junction.cache"));
      assertEquals("42P01", e.getSQLState(), "not granted: as if it did not exist");
      try (Statement s = ana.createStatement()) {
        s.setFetchSize(1);
        ResultSet running = s.executeQuery("SELECT /*+ result_cache(bypass) */ id FROM "
            + orders);
        assertTrue(running.next());
        List<String> seenByOps = query(ops,
            "SELECT user_name, sources, sql_text FROM junction.queries WHERE user_name = 'ana'");
        assertEquals(1, seenByOps.size(), seenByOps.toString());
        assertTrue(seenByOps.get(0).startsWith("ana|sales|SELECT /*+"), seenByOps.toString());
        assertEquals(List.of(), query(bob, "SELECT user_name FROM junction.queries"
            + " WHERE user_name <> 'bob'"), "bob sees only his own");
        List<String> own = query(ana, "SELECT user_name, rows_fetched FROM junction.queries"
            + " WHERE sources = 'sales'");
        assertEquals(1, own.size(), own.toString());
        assertTrue(own.get(0).startsWith("ana|sales="), own.toString());
        running.close();
      }
      assertFalse(query(ops, "SELECT sql_text FROM junction.queries").stream()
          .anyMatch(q -> q.contains("result_cache(bypass)")), "ended queries leave");
    }
  }

  @Test void sourcesAndLimitsTablesShowPoolsAndTheCallersOwnLimits() throws Exception {
    try (Connection ops = connect("ops")) {
      query(ops, "SELECT /*+ result_cache(bypass) */ COUNT(*) FROM " + orders);
      List<String> sources = query(ops, "SELECT source_name, type, reachability, pool_max,"
          + " last_error FROM junction.sources ORDER BY source_name");
      assertTrue(sources.contains("sales|postgresql|up|8|null"), sources.toString());
      assertTrue(sources.stream().anyMatch(r -> r.startsWith("lake|duckdb|")),
          sources.toString());
      List<String> limits = query(ops, "SELECT limit_name, limit_value, set_in"
          + " FROM junction.limits WHERE limit_name IN ('query-timeout', 'max-rows')"
          + " ORDER BY limit_name");
      assertEquals(2, limits.size(), limits.toString());
      assertEquals("max-rows|0|null", limits.get(0));
      assertTrue(limits.get(1).startsWith("query-timeout|600s|policy ")
          && limits.get(1).endsWith("limits.users.ops"), limits.toString());
    }
  }

  @Test void theSystemSchemaIsInDatabaseMetaDataAsThePolicyAllows() throws Exception {
    try (Connection ops = connect("ops"); Connection ana = connect("ana")) {
      assertTrue(rows(ops.getMetaData().getCatalogs()).contains("junction"));
      assertEquals(List.of("junction|null|cache|SYSTEM TABLE",
              "junction|null|limits|SYSTEM TABLE", "junction|null|queries|SYSTEM TABLE",
              "junction|null|sources|SYSTEM TABLE"),
          rows(ops.getMetaData().getTables("junction", null, "%", null)).stream()
              .map(r -> String.join("|", List.of(r.split("\\|")).subList(0, 4))).toList());
      assertEquals(List.of("junction|null|queries|SYSTEM TABLE"),
          rows(ana.getMetaData().getTables("junction", null, "%", null)).stream()
              .map(r -> String.join("|", List.of(r.split("\\|")).subList(0, 4))).toList());
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = ops.getMetaData().getColumns("junction", null, "cache", "%")) {
        while (rs.next()) {
          columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
        }
      }
      assertEquals(List.of("hits BIGINT", "misses BIGINT", "evictions BIGINT",
          "entries BIGINT", "bytes BIGINT"), columns);
    }
  }
}
