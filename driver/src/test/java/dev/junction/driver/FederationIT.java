package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.ResultRows;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One catalog over real PostgreSQL, MariaDB and DuckDB: federated joins return correct
 * rows, and single-source work is pushed into the source as one statement.
 */
class FederationIT {
  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path catalog;

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    String s = pg.namespace();
    pg.execute("CREATE TABLE " + s + ".orders (id int PRIMARY KEY, customer_id int NOT NULL,"
            + " amount numeric(10,2), placed date)",
        "CREATE TABLE " + s + ".regions (id int PRIMARY KEY, name varchar(20))",
        "CREATE SCHEMA " + s + "_b",
        "CREATE TABLE " + s + "_b.notes (order_id int, note text)",
        "INSERT INTO " + s + ".orders SELECT i, i % 50, (i % 97) * 1.25,"
            + " DATE '2024-01-01' + i % 365 FROM generate_series(1, 5000) i",
        "INSERT INTO " + s + ".regions VALUES (1, 'north'), (2, 'south')",
        "INSERT INTO " + s + "_b.notes VALUES (1, 'first'), (2, 'second')",
        "ANALYZE " + s + ".orders");
    maria.execute("CREATE TABLE customers (id int PRIMARY KEY, name varchar(40),"
            + " country varchar(2), region_id int)",
        "INSERT INTO customers SELECT seq, CONCAT('c', seq), IF(seq % 2 = 0, 'DE', 'FR'),"
            + " 1 + seq % 2 FROM seq_0_to_49");
    Path duck = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE events (order_id INTEGER, kind VARCHAR)");
      st.execute("INSERT INTO events SELECT i, CASE WHEN i % 3 = 0 THEN 'click' ELSE 'view' END"
          + " FROM range(1, 20001) t(i)");
    }
    catalog = new CatalogFile().postgresql("sales", pg).mariadb("crm", maria)
        .duckdb("lake", duck).write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null) {
      pg.execute("DROP SCHEMA IF EXISTS " + pg.namespace() + "_b CASCADE");
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

  private static List<List<Object>> query(String sql) throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      return ResultRows.of(rs);
    }
  }

  @Test
  void federatedJoinAcrossThreeSources() throws Exception {
    String s = pg.namespace();
    List<List<Object>> rows = query("SELECT c.country, COUNT(*) AS n, SUM(o.amount) AS total"
        + " FROM sales." + s + ".orders o JOIN crm." + maria.namespace() + ".customers c"
        + " ON o.customer_id = c.id"
        + " WHERE o.id IN (SELECT order_id FROM lake.main.events WHERE kind = 'click')"
        + " GROUP BY c.country ORDER BY c.country");
    assertEquals(2, rows.size());
    assertEquals("DE", rows.get(0).get(0));
    long total = ((Number) rows.get(0).get(1)).longValue()
        + ((Number) rows.get(1).get(1)).longValue();
    // orders 1..5000 with id % 3 = 0 and customer_id in 0..49 (all exist).
    assertEquals(1666, total);
  }

  @Test
  void singleSourceAggregateIsPushedWhole() throws Exception {
    String s = pg.namespace();
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      List<List<Object>> rows = query("SELECT customer_id, COUNT(*), SUM(amount)"
          + " FROM sales." + s + ".orders WHERE placed >= DATE '2024-06-01'"
          + " GROUP BY customer_id HAVING COUNT(*) > 10 ORDER BY customer_id LIMIT 5");
      assertEquals(5, rows.size());
      List<String> sent = rec.sentTo("sales");
      assertEquals(1, sent.size(), sent.toString());
      String sql = sent.get(0);
      assertTrue(sql.contains("GROUP BY") && sql.contains("HAVING") && sql.contains("ORDER BY")
          && sql.contains("WHERE"), sql);
      assertTrue(sql.contains("FETCH NEXT 5 ROWS ONLY") || sql.contains("LIMIT 5"), sql);
    }
  }

  @Test
  void repeatedAggregateIsSentOnceAsWithItem() throws Exception {
    String s = pg.namespace();
    String sql = "WITH totals AS (SELECT customer_id, SUM(amount) AS total FROM sales." + s
        + ".orders WHERE placed >= DATE '2024-06-01' GROUP BY customer_id)"
        + " SELECT customer_id, total FROM totals WHERE total = (SELECT MAX(total) FROM totals)";
    List<List<Object>> rows;
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      rows = query(sql);
      List<String> sent = rec.sentTo("sales");
      assertEquals(1, sent.size(), sent.toString());
      assertTrue(sent.get(0).startsWith("WITH ") && sent.get(0).indexOf("GROUP BY")
          == sent.get(0).lastIndexOf("GROUP BY"), sent.get(0));
    }
    assertEquals(1, rows.size(), rows.toString());
    // With a parameter inside the shared aggregate the WITH item would move its '?' ahead
    // of the others, so the aggregate is written at each use; the answer is the same.
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder();
         Connection c = CatalogFile.connect(catalog);
         PreparedStatement ps = c.prepareStatement(sql.replace("DATE '2024-06-01'", "?"))) {
      ps.setObject(1, LocalDate.of(2024, 6, 1));
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(rows.get(0).get(0), rs.getObject(1));
        assertEquals(0, ((BigDecimal) rows.get(0).get(1))
            .compareTo(rs.getBigDecimal(2)));
        assertFalse(rs.next());
      }
      List<String> sent = rec.sentTo("sales");
      assertEquals(1, sent.size(), sent.toString());
      assertFalse(sent.get(0).startsWith("WITH "), sent.get(0));
    }
  }

  @Test
  void joinBetweenTwoSchemasOfOneSourceIsPushed() throws Exception {
    String s = pg.namespace();
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      List<List<Object>> rows = query("SELECT o.id, n.note FROM sales." + s + ".orders o"
          + " JOIN sales." + s + "_b.notes n ON n.order_id = o.id ORDER BY o.id");
      assertEquals(List.of(List.of(1, "first"), List.of(2, "second")), rows);
      List<String> sent = rec.sentTo("sales");
      assertEquals(1, sent.size(), sent.toString());
      assertTrue(sent.get(0).contains("JOIN"), sent.get(0));
    }
  }

  @Test
  void explainShowsSourceSql() throws Exception {
    String s = pg.namespace();
    List<List<Object>> rows = query("EXPLAIN PLAN FOR SELECT id FROM sales." + s
        + ".orders WHERE amount > 100");
    String plan = rows.get(0).get(0).toString();
    assertTrue(plan.contains("source=[sales]") && plan.contains("SELECT \"id\" FROM")
        && plan.contains("WHERE"), plan);
  }

  /**
   * A sort over a cross-source join runs in Junction as a {@code LocalSort}, and its order
   * (several keys, both directions, NULLS FIRST, with and without OFFSET/FETCH) is the one
   * Java's comparators give the same rows read unsorted.
   */
  @Test
  void crossSourceOrderByIsSortedLocally() throws Exception {
    String from = " FROM sales." + pg.namespace() + ".orders o JOIN crm." + maria.namespace()
        + ".customers c ON o.customer_id = c.id WHERE o.id <= 300";
    String select = "SELECT c.name, o.amount, o.placed, o.id";
    String order = " ORDER BY c.name DESC, o.amount NULLS FIRST, o.placed DESC, o.id";
    String plan = query("EXPLAIN PLAN FOR " + select + from + order).get(0).get(0).toString();
    assertTrue(plan.contains("LocalSort(") && !plan.contains("EnumerableSort"), plan);
    List<List<Object>> expected = new ArrayList<>(query(select + from));
    expected.sort(Comparator.<List<Object>, String>comparing(r -> (String) r.get(0))
        .reversed()
        .thenComparing(r -> (BigDecimal) r.get(1),
            Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(r -> (Date) r.get(2), Comparator.reverseOrder())
        .thenComparing(r -> (Integer) r.get(3)));
    assertEquals(300, expected.size());
    assertEquals(expected, query(select + from + order));
    assertEquals(expected.subList(5, 15),
        query(select + from + order + " OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY"));
  }

  @Test
  void decimalsKeepPrecision() throws Exception {
    String s = pg.namespace();
    List<List<Object>> rows = query("SELECT amount FROM sales." + s + ".orders WHERE id = 5");
    assertEquals(new BigDecimal("6.25"), rows.get(0).get(0));
  }
}
