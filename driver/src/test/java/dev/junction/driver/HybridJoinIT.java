package dev.junction.driver;

import dev.junction.adapters.jdbc.SourceSessions;
import dev.junction.spi.Source;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-source joins where one side is small after filtering: the small side's keys are
 * pushed into the big side's query instead of scanning the big side whole, and inner,
 * outer, semi and anti joins all return the rows a single database would.
 */
class HybridJoinIT {
  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static Path catalog;
  static Path reference;

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    String s = pg.namespace();
    pg.execute("CREATE TABLE " + s + ".orders (id int PRIMARY KEY, customer int, status text)",
        "INSERT INTO " + s + ".orders SELECT i, i % 5000, CASE WHEN i % 7 = 0 THEN 'open'"
            + " ELSE 'done' END FROM generate_series(1, 50000) i",
        "ANALYZE " + s + ".orders",
        // Big enough that Calcite's 15% guess for an equality (30,000 rows) is too many keys
        // to send: only the column's distinct count from pg_stats makes the keys pushable.
        "CREATE TABLE " + s + ".big_orders (id int PRIMARY KEY, customer int)",
        "INSERT INTO " + s + ".big_orders SELECT i, i % 20000 FROM generate_series(1, 200000) i",
        "ANALYZE " + s + ".big_orders");
    Path duck = dir.resolve("lake.duckdb");
    reference = dir.resolve("reference.duckdb");
    for (Path p : List.of(duck, reference)) {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + p);
           Statement st = c.createStatement()) {
        st.execute("CREATE TABLE lineitem AS SELECT i AS id, (i % 60000) + 1 AS order_id,"
            + " (i % 13) * 1.5 AS price FROM range(0, 500000) t(i)");
        // Small DuckDB tables whose keys go the other way, into PostgreSQL: 300 order ids
        // (some NULL, some missing) and one status text.
        st.execute("CREATE TABLE picks AS SELECT CASE WHEN i % 50 = 0 THEN NULL"
            + " ELSE (i * 613) % 210000 + 1 END::INTEGER AS order_id, 'label' || (i % 4)"
            + " AS label FROM range(0, 300) t(i)");
        st.execute("CREATE TABLE statuses AS SELECT 'open' AS status");
        // 100,000 visits of the first 1,000 orders, every one of them visited.
        st.execute("CREATE TABLE visits AS SELECT i AS id, (i % 1000) + 1 AS order_id"
            + " FROM range(0, 100000) t(i)");
        if (p.equals(reference)) {
          st.execute("CREATE TABLE orders AS SELECT i AS id, i % 5000 AS customer,"
              + " CASE WHEN i % 7 = 0 THEN 'open' ELSE 'done' END AS status"
              + " FROM range(1, 50001) t(i)");
          st.execute("CREATE TABLE big_orders AS SELECT i AS id, i % 20000 AS customer"
              + " FROM range(1, 200001) t(i)");
        }
      }
    }
    catalog = new CatalogFile().postgresql("sales", pg).duckdb("lake", duck).write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static String count(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      StringBuilder b = new StringBuilder();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          b.append(rs.getObject(i) instanceof Number num ? num.longValue() : rs.getObject(i))
              .append('|');
        }
        b.append('\n');
      }
      return b.toString();
    }
  }

  private static void assertSameAsReference(String template) throws Exception {
    String federated = template.replace("${orders}", "sales." + pg.namespace() + ".orders")
        .replace("${big_orders}", "sales." + pg.namespace() + ".big_orders")
        .replace("${lineitem}", "lake.main.lineitem").replace("${picks}", "lake.main.picks")
        .replace("${statuses}", "lake.main.statuses").replace("${visits}", "lake.main.visits");
    String local = template.replace("${orders}", "orders").replace("${lineitem}", "lineitem")
        .replace("${big_orders}", "big_orders").replace("${picks}", "picks")
        .replace("${statuses}", "statuses").replace("${visits}", "visits");
    try (Connection j = CatalogFile.connect(catalog);
         Connection r = DriverManager.getConnection("jdbc:duckdb:" + reference)) {
      assertEquals(count(r, local), count(j, federated), template);
    }
  }

  @Test
  void smallSideKeysArePushedIntoTheBigSide() throws Exception {
    String sql = "SELECT o.id, COUNT(*), SUM(l.price) FROM sales." + pg.namespace()
        + ".orders o JOIN lake.main.lineitem l ON l.order_id = o.id"
        + " WHERE o.customer = 42 GROUP BY o.id ORDER BY o.id";
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder();
         Connection c = CatalogFile.connect(catalog)) {
      String rows = count(c, sql);
      assertEquals(10, rows.lines().count(), rows);
      List<String> lake = rec.sentTo("lake");
      assertEquals(1, lake.size(), lake.toString());
      assertTrue(lake.get(0).contains("\"order_id\" = ANY(?)"),
          "lineitem must be filtered by the keys, as one list, got " + lake);
    }
  }

  @Test
  void keysThatFilterNothingAreNotSent() throws Exception {
    // The first 1,000 orders are every order the visits name: their keys would keep all
    // 100,000 visits, so DuckDB reads them beside PostgreSQL, not after it, without keys.
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      assertSameAsReference("SELECT COUNT(*), SUM(v.id), MIN(o.customer) FROM ${orders} o"
          + " JOIN ${visits} v ON v.order_id = o.id WHERE o.id <= 1000");
      List<String> lake = rec.sentTo("lake");
      assertEquals(1, lake.size(), lake.toString());
      assertFalse(lake.get(0).contains("ANY("), lake.toString());
    }
    // Ten of them keep a hundredth of the visits: those keys are sent.
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      assertSameAsReference("SELECT COUNT(*), SUM(v.id), MIN(o.customer) FROM ${orders} o"
          + " JOIN ${visits} v ON v.order_id = o.id WHERE o.id <= 10");
      List<String> lake = rec.sentTo("lake");
      assertEquals(1, lake.size(), lake.toString());
      assertTrue(lake.get(0).contains("\"order_id\" = ANY(?)"), lake.toString());
    }
  }

  @Test
  void manyKeysStillTravelAsOneStatement() throws Exception {
    // 1,000 orders: four batches of 256 keys before, one list now.
    String sql = "SELECT COUNT(*), SUM(l.price) FROM ${orders} o JOIN ${lineitem} l"
        + " ON l.order_id = o.id WHERE o.customer < 100";
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      assertSameAsReference(sql);
      List<String> lake = rec.sentTo("lake");
      assertEquals(1, lake.size(), lake.toString());
      assertTrue(lake.get(0).contains("= ANY(?)"), lake.toString());
    }
  }

  @Test
  void keysTravelIntoPostgreSqlAsOneArray() throws Exception {
    // Integer keys with NULLs and keys with no match, then a text key.
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      assertSameAsReference("SELECT p.label, COUNT(*), SUM(o.customer) FROM ${picks} p"
          + " JOIN ${big_orders} o ON o.id = p.order_id GROUP BY p.label ORDER BY 1");
      List<String> sales = rec.sentTo("sales");
      assertEquals(1, sales.size(), sales.toString());
      assertTrue(sales.get(0).contains("\"id\" = ANY(?)"), sales.toString());
    }
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      assertSameAsReference("SELECT COUNT(*), MIN(o.id), MAX(o.id) FROM ${statuses} s"
          + " JOIN ${orders} o ON o.status = s.status");
      List<String> sales = rec.sentTo("sales");
      assertEquals(1, sales.size(), sales.toString());
      assertTrue(sales.get(0).contains("\"status\" = ANY(?)"),
          sales.toString());
    }
  }

  @Test
  void postgreSqlPlansKeyArraysForTheKeysBound() throws Exception {
    // pgjdbc names a statement used five times on a connection, and PostgreSQL may then
    // plan it once for all values, assuming 10 keys: over a column without an index that
    // plan compares each row with every key. Junction's sessions plan for the values bound,
    // so the plan's filter holds the keys themselves, not the parameter $1, however often
    // the statement ran.
    StringBuilder keys = new StringBuilder("'{0");
    for (int i = 1; i < 1000; i++) {
      keys.append(',').append(i * 5);
    }
    String execute = "EXPLAIN EXECUTE keyed(" + keys + "}')";
    Source source = SourceSessions.open("plans", "postgresql", Map.of("url", pg.jdbcUrl(),
        "user", pg.user(), "password", pg.password()), Map.of());
    try (Connection c = SourceSessions.pooledConnection(source);
         Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SHOW plan_cache_mode")) {
        assertTrue(rs.next());
        assertEquals("force_custom_plan", rs.getString(1));
      }
      st.execute("PREPARE keyed(int[]) AS SELECT id FROM " + pg.namespace()
          + ".orders WHERE customer = ANY($1)");
      assertFalse(lastPlan(st, execute, 8).contains("$1"), "planned with the keys");
      // The control: a generic plan shows the parameter, so the check above can tell.
      st.execute("SET plan_cache_mode = force_generic_plan");
      assertTrue(lastPlan(st, execute, 1).contains("$1"), "generic plan");
      c.rollback();
    } finally {
      source.close();
    }
  }

  /** The plan of the last of {@code times} runs of {@code explain}. */
  private static String lastPlan(Statement st, String explain, int times) throws SQLException {
    StringBuilder plan = new StringBuilder();
    for (int i = 0; i < times; i++) {
      plan.setLength(0);
      try (ResultSet rs = st.executeQuery(explain)) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    return plan.toString();
  }

  @Test
  void noKeyMeansNoStatement() throws Exception {
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      assertSameAsReference("SELECT COUNT(*) FROM ${orders} o JOIN ${lineitem} l"
          + " ON l.order_id = o.id WHERE o.customer = -1");
      assertEquals(List.of(), rec.sentTo("lake"));
      assertSameAsReference("SELECT o.id, COUNT(l.id) FROM (SELECT * FROM ${orders}"
          + " WHERE customer = -1) o LEFT JOIN ${lineitem} l ON l.order_id = o.id GROUP BY o.id");
    }
  }

  @Test
  void anEqualityOnAColumnIsEstimatedFromItsDistinctValues() throws Exception {
    String sql = "SELECT o.id, COUNT(*) FROM sales." + pg.namespace() + ".big_orders o"
        + " JOIN lake.main.lineitem l ON l.order_id = o.id WHERE o.customer = %s"
        + " GROUP BY o.id ORDER BY o.id";
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder();
         Connection c = CatalogFile.connect(catalog)) {
      String rows = count(c, String.format(Locale.ROOT, sql, "42"));
      // Customer 42 has orders 42, 20042, ...; lineitem holds orders 1 to 60,000.
      assertEquals(3, rows.lines().count(), rows);
      List<String> lake = rec.sentTo("lake");
      assertTrue(lake.size() == 1 && lake.get(0).contains("= ANY(?)"),
          "lineitem must be filtered by the pushed keys, got " + lake);
    }
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder();
         Connection c = CatalogFile.connect(catalog);
         PreparedStatement ps = c.prepareStatement(String.format(Locale.ROOT, sql,
             "?"))) {
      ps.setInt(1, 42);
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          n++;
        }
      }
      assertEquals(3, n);
      List<String> lake = rec.sentTo("lake");
      assertTrue(lake.size() == 1 && lake.get(0).contains("= ANY(?)"),
          "a parameter is one value too: keys pushed, got " + lake);
    }
  }

  @Test
  void joinKindsMatchASingleDatabase() throws Exception {
    String small = "(SELECT * FROM ${orders} WHERE customer = 42)";
    assertSameAsReference("SELECT o.id, l.id FROM " + small + " o JOIN ${lineitem} l"
        + " ON l.order_id = o.id ORDER BY 1, 2");
    assertSameAsReference("SELECT o.id, COUNT(l.id) FROM " + small + " o LEFT JOIN ${lineitem} l"
        + " ON l.order_id = o.id AND l.price > 10 GROUP BY o.id ORDER BY 1");
    assertSameAsReference("SELECT o.id FROM " + small + " o WHERE EXISTS (SELECT 1 FROM"
        + " ${lineitem} l WHERE l.order_id = o.id AND l.price > 15) ORDER BY 1");
    assertSameAsReference("SELECT o.id FROM " + small + " o WHERE NOT EXISTS (SELECT 1 FROM"
        + " ${lineitem} l WHERE l.order_id = o.id AND l.price > 15) ORDER BY 1");
    assertSameAsReference("SELECT COUNT(*) FROM ${lineitem} l RIGHT JOIN " + small + " o"
        + " ON l.order_id = o.id");
    assertSameAsReference("SELECT COUNT(*), COUNT(o.id), COUNT(l.id) FROM (SELECT * FROM"
        + " ${lineitem} WHERE id < 100) l FULL JOIN " + small + " o ON l.order_id = o.id");
    assertSameAsReference("SELECT o.status, COUNT(*) FROM ${orders} o JOIN ${lineitem} l"
        + " ON l.order_id = o.id GROUP BY o.status ORDER BY 1");
  }
}
