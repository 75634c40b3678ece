package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.ResultRows;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A grouping over a join of PostgreSQL accounts and DuckDB payments, whose aggregates read
 * only payments, is computed in part in DuckDB (grouped by the join key) and finished in
 * Junction. Every answer equals the same query planned with {@code partialAggregates=false},
 * which sends DuckDB no grouping; the data holds NULL amounts, NULL and unmatched account
 * keys, and an account region that is NULL.
 */
class PartialAggregatePushdownIT {
  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static Path catalog;
  static String accounts;

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    String s = pg.namespace();
    accounts = "sales." + s + ".accounts";
    // 200 accounts in 4 regions and a NULL one; payments name accounts 0..209 (200..209
    // do not exist) or none.
    pg.execute("CREATE TABLE " + s + ".accounts (id int PRIMARY KEY, region varchar(10),"
            + " tier int NOT NULL)",
        "INSERT INTO " + s + ".accounts SELECT i, CASE WHEN i % 5 = 4 THEN NULL"
            + " ELSE 'r' || (i % 5) END, 1 + i % 3 FROM generate_series(0, 199) i",
        "CREATE TABLE " + s + ".tags (id int PRIMARY KEY, name varchar(10), weight int)",
        "INSERT INTO " + s + ".tags SELECT i, CASE WHEN i % 2 = 0 THEN 'k' ELSE 'K' END"
            + " || (i % 20), i % 7 FROM generate_series(0, 9999) i",
        "ANALYZE " + s + ".accounts",
        "ANALYZE " + s + ".tags");
    Path duck = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE payments (id INTEGER PRIMARY KEY, account_id INTEGER,"
          + " amount DECIMAL(10,2), qty INTEGER NOT NULL, kind VARCHAR)");
      st.execute("CREATE TABLE labels AS SELECT 'k' || i AS name, i % 3 AS grp"
          + " FROM range(0, 20) t(i)");
      st.execute("INSERT INTO payments SELECT i,"
          + " CASE WHEN i % 101 = 0 THEN NULL ELSE i % 210 END,"
          + " CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 1000) * 0.25 END,"
          + " i % 13, CASE WHEN i % 4 = 0 THEN 'card' WHEN i % 4 = 1 THEN 'cash'"
          + " WHEN i % 4 = 2 THEN 'wire' ELSE NULL END FROM range(0, 20000) t(i)");
    }
    catalog = new CatalogFile().postgresql("sales", pg).duckdb("lake", duck).write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  /** SUM, COUNT, COUNT(*), MIN, MAX and AVG (a sum and a count) per region. */
  @Test
  void everySplittableAggregateIsPushed() throws Exception {
    String lake = pushed("SELECT a.region, SUM(p.amount) AS total, COUNT(*) AS n,"
        + " COUNT(p.amount) AS priced, MIN(p.amount) AS lo, MAX(p.amount) AS hi,"
        + " AVG(p.amount) AS mean, MIN(p.kind) AS first_kind, SUM(p.qty) AS qty"
        + " FROM " + accounts + " a JOIN lake.main.payments p ON p.account_id = a.id"
        + " GROUP BY a.region ORDER BY a.region");
    assertTrue(lake.contains("GROUP BY \"account_id\""), lake);
    for (String call : List.of("SUM(", "COUNT(*)", "COUNT(\"amount\")", "MIN(", "MAX(")) {
      assertTrue(lake.contains(call), call + " in " + lake);
    }
  }

  /**
   * Three inputs: the payments' partial sums pass through the join order chosen for the
   * rest (labels join the accounts, not the payments), grouped by a label.
   */
  @Test
  void partialResultsPassThroughFurtherJoins() throws Exception {
    String lake = compared("SELECT l.name, SUM(p.amount) AS total, COUNT(*) AS n,"
        + " MAX(p.qty) AS most FROM " + accounts + " a"
        + " JOIN lake.main.payments p ON p.account_id = a.id"
        + " JOIN lake.main.labels l ON l.grp = a.tier - 1"
        + " GROUP BY l.name ORDER BY l.name");
    assertTrue(lake.contains("GROUP BY \"account_id\""), lake);
  }

  /**
   * Payments kept by a left join whatever their key (NULL, or no such account): each key's
   * group meets the same accounts, or none, as each of its rows did.
   */
  @Test
  void rowsWithNullOrUnmatchedKeysKeepTheirCounts() throws Exception {
    String lake = pushed("SELECT a.region, a.tier, COUNT(*) AS n, SUM(p.amount) AS total"
        + " FROM lake.main.payments p LEFT JOIN " + accounts + " a ON p.account_id = a.id"
        + " GROUP BY a.region, a.tier ORDER BY a.region, a.tier");
    assertTrue(lake.contains("GROUP BY \"account_id\""), lake);
    List<List<Object>> rows = query("SELECT COUNT(*) FROM (SELECT a.region, COUNT(*) AS n"
        + " FROM lake.main.payments p LEFT JOIN " + accounts + " a ON p.account_id = a.id"
        + " GROUP BY a.region) t", true);
    assertEquals(5L, ((Number) rows.get(0).get(0)).longValue());
  }

  /**
   * A total over no rows: no account matches, so the sum is NULL and the counts 0 (the
   * partial counts are added with SUM0, not SUM).
   */
  @Test
  void aTotalOverAnEmptyJoinIsNullAndZero() throws Exception {
    String sql = "SELECT SUM(p.amount) AS total, COUNT(*) AS n, COUNT(p.amount) AS priced,"
        + " MIN(p.amount) AS lo, AVG(p.amount) AS mean"
        + " FROM " + accounts + " a JOIN lake.main.payments p ON p.account_id = a.id"
        + " WHERE a.region = 'nowhere'";
    // No account is left to key the payments with, so DuckDB receives nothing: the plan
    // shows the statement it would have received.
    assertTrue(pushed(sql).isEmpty());
    String plan = explain(sql);
    assertTrue(plan.contains("source=[lake], sql=[SELECT \"account_id\", SUM(")
        && plan.contains("GROUP BY \"account_id\""), plan);
    List<Object> row = query(sql, true).get(0);
    assertNull(row.get(0));
    assertEquals(0L, ((Number) row.get(1)).longValue());
    assertEquals(0L, ((Number) row.get(2)).longValue());
    assertNull(row.get(3));
    assertNull(row.get(4));
  }

  /** The payments' own filter keeps none of them: the partial grouping returns nothing. */
  @Test
  void anEmptyAggregatedSide() throws Exception {
    String lake = pushed("SELECT a.region, SUM(p.amount) AS total, COUNT(*) AS n"
        + " FROM " + accounts + " a JOIN lake.main.payments p ON p.account_id = a.id"
        + " WHERE p.kind = 'cheque' GROUP BY a.region");
    assertTrue(lake.contains("GROUP BY \"account_id\""), lake);
    assertTrue(query("SELECT a.region, SUM(p.amount) FROM " + accounts + " a JOIN"
        + " lake.main.payments p ON p.account_id = a.id WHERE p.kind = 'cheque'"
        + " GROUP BY a.region", true).isEmpty());
  }

  /** An aggregate over both sides' columns cannot be computed in one source. */
  @Test
  void anAggregateOfBothSidesIsNotPushed() throws Exception {
    String lake = notPushed("SELECT a.region, SUM(p.amount * a.tier) AS weighted"
        + " FROM " + accounts + " a JOIN lake.main.payments p ON p.account_id = a.id"
        + " GROUP BY a.region ORDER BY a.region");
    assertFalse(lake.contains("GROUP BY"), lake);
  }

  /** A DISTINCT aggregate is not split: its partial results cannot be added. */
  @Test
  void aDistinctAggregateIsNotPushed() throws Exception {
    String lake = notPushed("SELECT a.region, COUNT(DISTINCT p.amount) AS amounts,"
        + " SUM(p.amount) AS total"
        + " FROM " + accounts + " a JOIN lake.main.payments p ON p.account_id = a.id"
        + " GROUP BY a.region ORDER BY a.region");
    assertFalse(lake.contains("GROUP BY"), lake);
  }

  /**
   * Grouped by the payment's own key as well as the account's, the partial grouping would
   * keep every row: not worth it.
   */
  @Test
  void aGroupingThatKeepsEveryRowIsNotPushed() throws Exception {
    String lake = notPushed("SELECT p.id, a.region, SUM(p.amount) AS total"
        + " FROM " + accounts + " a JOIN lake.main.payments p ON p.account_id = a.id"
        + " GROUP BY p.id, a.region ORDER BY p.id");
    assertFalse(lake.contains("GROUP BY"), lake);
  }

  /**
   * PostgreSQL orders strings by its locale, and a source may group them case-insensitively
   * (MariaDB): a partial grouping by a string, or a minimum of one, stays in Junction unless
   * the source compares strings as Junction does (DuckDB). Tags 'k1' and 'K1' are two keys.
   */
  @Test
  void aStringKeyIsGroupedOnlyWhereStringsCompareExactly() throws Exception {
    String sql = "SELECT l.grp, SUM(t.weight) AS w, COUNT(*) AS n, MIN(t.name) AS first_name"
        + " FROM sales." + pg.namespace() + ".tags t JOIN lake.main.labels l"
        + " ON t.name = l.name GROUP BY l.grp ORDER BY l.grp";
    compared(sql);
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      query(sql, true);
      List<String> sales = rec.sentTo("sales");
      assertEquals(1, sales.size(), sales.toString());
      assertFalse(sales.get(0).contains("GROUP BY"), sales.get(0));
    }
  }

  /** The switch is a connection property, checked when the connection opens. */
  @Test
  void theSwitchIsValidated() {
    Properties p = new Properties();
    p.setProperty("partialAggregates", "maybe");
    SQLException e = assertThrows(SQLException.class, () -> {
      try (Connection c = CatalogFile.connect(catalog, p)) {
        c.getMetaData();
      }
    });
    assertTrue(e.getMessage().contains("partialAggregates"), e.getMessage());
  }

  /** The plan of {@code sql}, partial aggregates on. */
  private static String explain(String sql) throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      st.setQueryTimeout(60);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + sql)) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }

  /**
   * Runs {@code sql} with partial aggregates and without, asserts equal answers and that
   * DuckDB received no grouping without them, and returns DuckDB's statements with them,
   * one a line (empty if it received none).
   */
  private static String pushed(String sql) throws Exception {
    return compared(sql);
  }

  /** {@link #pushed}, for a query where no partial aggregate applies. */
  private static String notPushed(String sql) throws Exception {
    return compared(sql);
  }

  private static String compared(String sql) throws Exception {
    List<List<Object>> off = query(sql, false);
    try (RemoteSqlRecorder rec = new RemoteSqlRecorder()) {
      List<List<Object>> on = query(sql, true);
      assertEquals(normalized(off), normalized(on), sql);
      return String.join("\n", rec.sentTo("lake").stream()
          .map(s -> s.replaceAll("\\s+", " ")).toList());
    }
  }

  /** Rows in order, with decimals compared by value (scale aside). */
  private static List<List<Object>> normalized(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      List<Object> values = new ArrayList<>();
      for (Object v : row) {
        values.add(v instanceof BigDecimal d ? d.stripTrailingZeros()
            : v instanceof Number n && !(v instanceof Double) ? n.longValue() : v);
      }
      out.add(values);
    }
    out.sort((a, b) -> a.toString().compareTo(b.toString()));
    return out;
  }

  private static List<List<Object>> query(String sql, boolean partial) throws Exception {
    Properties p = new Properties();
    p.setProperty("partialAggregates", Boolean.toString(partial));
    try (RemoteSqlRecorder rec = partial ? null : new RemoteSqlRecorder();
         Connection c = CatalogFile.connect(catalog, p); Statement st = c.createStatement()) {
      st.setQueryTimeout(60);
      List<List<Object>> rows;
      try (ResultSet rs = st.executeQuery(sql)) {
        rows = ResultRows.of(rs);
      }
      if (rec != null) {
        for (String s : rec.sentTo("lake")) {
          assertFalse(s.contains("GROUP BY"), "sent with partialAggregates=false: " + s);
        }
      }
      return rows;
    }
  }
}
