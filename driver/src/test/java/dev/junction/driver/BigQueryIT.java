package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.FakeBigQueryEndpoint;
import dev.junction.testing.RemoteSqlRecorder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        "CREATE SCHEMA big",
        "CREATE TABLE big.numbers AS SELECT i AS n FROM range(0, 25000) t(i)");
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("type", "bigquery");
    settings.put("project", bq.project());
    settings.put("host", bq.url());
    settings.put("credentials", "none");
    settings.put("page-size", 1000);
    settings.put("poll-interval", "200ms");
    catalog = new CatalogFile().source("bq", settings).write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (bq != null) {
      bq.close();
    }
  }

  @BeforeEach
  void clear() {
    bq.clear();
  }

  private static List<List<Object>> query(String sql) throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
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
  }
}
