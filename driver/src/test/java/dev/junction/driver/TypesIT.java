package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every common type of every source round-trips through Junction with the right JDBC
 * type and value, including PostgreSQL arrays, enums, uuid, json and timestamptz, which
 * Junction maps (see TypeMapping) rather than fails on.
 */
class TypesIT {
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
    pg.execute("CREATE TYPE " + s + ".mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TABLE " + s + ".t (id int PRIMARY KEY, i2 smallint, i4 integer, i8 bigint,"
            + " dec numeric(12,4), num numeric, f4 real, f8 double precision, b boolean,"
            + " c char(3), vc varchar(10), tx text, d date, tm time, ts timestamp,"
            + " tstz timestamptz, u uuid, j json, jb jsonb, bin bytea, arr int[], tarr text[],"
            + " m " + s + ".mood)",
        "INSERT INTO " + s + ".t VALUES (1, 2, 3, 4000000000, 12345678.1234, 1.5, 1.25, 2.5,"
            + " true, 'ab', 'hello', 'long text', DATE '2024-02-29', TIME '13:45:10',"
            + " TIMESTAMP '2024-05-01 12:00:00.123', TIMESTAMPTZ '2024-05-01 12:00:00+02',"
            + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"k\": 1}', '{\"k\": 2}',"
            + " '\\x010203', '{1,2,3}', '{x,y}', 'happy')",
        "INSERT INTO " + s + ".t (id) VALUES (2)",
        "CREATE TABLE " + s + ".dates (id int PRIMARY KEY, d date)", datesInsert(s + "."));
    maria.execute("CREATE TABLE dates (id int PRIMARY KEY, d date)", datesInsert(""));
    maria.execute("CREATE TABLE t (id int PRIMARY KEY, ti tinyint, tu tinyint unsigned,"
            + " i int, iu int unsigned, bi bigint, bu bigint unsigned, dc decimal(12,4),"
            + " f float, dbl double, b boolean, c char(3), vc varchar(10), tx text, d date,"
            + " tm time, dt datetime, ts timestamp NULL, bin varbinary(8), e enum('a','b'),"
            + " j json)",
        "INSERT INTO t VALUES (1, -1, 255, -7, 4000000000, 9000000000, 18446744073709551615,"
            + " 12345678.1234, 1.25, 2.5, true, 'ab', 'hello', 'long text', '2024-02-29',"
            + " '13:45:10', '2024-05-01 12:00:00', '2024-05-01 12:00:00', x'010203', 'b',"
            + " '{\"k\": 1}')",
        "INSERT INTO t (id) VALUES (2)");
    Path duck = dir.resolve("types.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, ti TINYINT, si SMALLINT, i INTEGER,"
          + " bi BIGINT, hi HUGEINT, dec DECIMAL(12,4), f FLOAT, dbl DOUBLE, b BOOLEAN,"
          + " vc VARCHAR, d DATE, tm TIME, ts TIMESTAMP, tstz TIMESTAMPTZ, u UUID,"
          + " bin BLOB, arr INTEGER[])");
      st.execute("INSERT INTO t VALUES (1, -1, 2, 3, 4000000000,"
          + " 170141183460469231731687303715884105727,"
          + " 12345678.1234, 1.25, 2.5, true, 'hello', DATE '2024-02-29', TIME '13:45:10',"
          + " TIMESTAMP '2024-05-01 12:00:00.123', TIMESTAMPTZ '2024-05-01 12:00:00+02',"
          + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x01\\x02\\x03'::BLOB, [1, 2, 3])");
      st.execute("INSERT INTO t (id) VALUES (2)");
      st.execute("CREATE TABLE dates (id INTEGER PRIMARY KEY, d DATE)");
      st.execute(datesInsert(""));
    }
    Path lite = dir.resolve("types.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, tx TEXT,"
          + " n NUMERIC, bl BLOB, vc VARCHAR(10))");
      st.execute("INSERT INTO t VALUES (1, 3, 2.5, 'hello', 7, x'010203', 'abc')");
      st.execute("INSERT INTO t (id) VALUES (2)");
    }
    catalog = new CatalogFile().postgresql("pg", pg).mariadb("my", maria).duckdb("duck", duck)
        .sqlite("lite", lite).write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null) {
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

  /** Days at the edges of the calendar arithmetic a DATE goes through, and a NULL. */
  private static final List<LocalDate> DATES = Arrays.asList(LocalDate.of(1899, 12, 31),
      LocalDate.of(1969, 12, 31), LocalDate.of(1970, 1, 1), LocalDate.of(2018, 11, 4),
      LocalDate.of(2024, 2, 29), LocalDate.of(9999, 12, 31), null);

  private static String datesInsert(String schema) {
    StringBuilder sql = new StringBuilder("INSERT INTO " + schema + "dates VALUES ");
    for (int i = 0; i < DATES.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append('(').append(i).append(", ")
          .append(DATES.get(i) == null ? "NULL" : "DATE '" + DATES.get(i) + "'").append(')');
    }
    return sql.toString();
  }

  @Test
  void datesKeepTheirDay() throws Exception {
    for (String table : List.of("pg." + pg.namespace() + ".dates",
        "my." + maria.namespace() + ".dates", "duck.main.dates")) {
      List<LocalDate> days = new ArrayList<>();
      try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT d FROM " + table + " ORDER BY id")) {
        while (rs.next()) {
          Date d = rs.getDate(1);
          days.add(d == null ? null : d.toLocalDate());
          assertEquals(d, rs.getObject(1), table);
        }
      }
      assertEquals(DATES, days, table);
    }
  }

  /** Column name to [JDBC type, value] of row 1, and checks row 2 is all NULL. */
  private static Map<String, Object[]> row(String table) throws Exception {
    Map<String, Object[]> result = new LinkedHashMap<>();
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
      ResultSetMetaData md = rs.getMetaData();
      assertTrue(rs.next());
      for (int i = 1; i <= md.getColumnCount(); i++) {
        Object v = rs.getObject(i);
        if (v instanceof Array a) {
          v = a.getArray();
        }
        result.put(md.getColumnName(i), new Object[] {md.getColumnType(i), v});
      }
      assertTrue(rs.next());
      for (int i = 2; i <= md.getColumnCount(); i++) {
        assertEquals(null, rs.getObject(i), md.getColumnName(i) + " of the all-null row");
      }
    }
    return result;
  }

  private static void check(Map<String, Object[]> row, String column, int type, Object value) {
    Object[] actual = row.get(column);
    assertEquals(type, actual[0], column + " JDBC type");
    if (value instanceof byte[] bytes) {
      assertArrayEquals(bytes, (byte[]) actual[1], column);
    } else if (value instanceof Object[] array) {
      assertEquals(Arrays.asList(array), Arrays.asList((Object[]) actual[1]), column);
    } else {
      assertEquals(value, actual[1], column);
    }
  }

  @Test
  void postgresql() throws Exception {
    Map<String, Object[]> r = row("pg." + pg.namespace() + ".t");
    check(r, "i2", Types.SMALLINT, (short) 2);
    check(r, "i4", Types.INTEGER, 3);
    check(r, "i8", Types.BIGINT, 4000000000L);
    check(r, "dec", Types.DECIMAL, new BigDecimal("12345678.1234"));
    check(r, "f4", Types.REAL, 1.25f);
    check(r, "f8", Types.DOUBLE, 2.5d);
    check(r, "b", Types.BOOLEAN, true);
    check(r, "c", Types.CHAR, "ab ");
    check(r, "vc", Types.VARCHAR, "hello");
    check(r, "tx", Types.VARCHAR, "long text");
    check(r, "d", Types.DATE, Date.valueOf("2024-02-29"));
    check(r, "ts", Types.TIMESTAMP, Timestamp.valueOf("2024-05-01 12:00:00.123"));
    check(r, "tstz", Types.TIMESTAMP, Timestamp.valueOf("2024-05-01 10:00:00"));
    check(r, "u", Types.VARCHAR, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    check(r, "j", Types.VARCHAR, "{\"k\": 1}");
    check(r, "jb", Types.VARCHAR, "{\"k\": 2}");
    check(r, "bin", Types.VARBINARY, new byte[] {1, 2, 3});
    check(r, "arr", Types.ARRAY, new Object[] {1, 2, 3});
    check(r, "tarr", Types.ARRAY, new Object[] {"x", "y"});
    check(r, "m", Types.VARCHAR, "happy");
    check(r, "num", Types.DECIMAL, new BigDecimal("1.5"));
  }

  @Test
  void postgresqlFiltersOnMappedTypes() throws Exception {
    String t = "pg." + pg.namespace() + ".t";
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      for (String where : new String[] {"m = 'happy'",
          "u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "ts > TIMESTAMP '2024-01-01 00:00:00'",
          "d = DATE '2024-02-29'", "\"dec\" > 100"}) {
        try (ResultSet rs = st.executeQuery("SELECT id FROM " + t + " WHERE " + where)) {
          assertTrue(rs.next(), where);
          assertEquals(1, rs.getInt(1), where);
        }
      }
    }
  }

  @Test
  void mariadb() throws Exception {
    Map<String, Object[]> r = row("my." + maria.namespace() + ".t");
    check(r, "ti", Types.TINYINT, (byte) -1);
    check(r, "tu", Types.SMALLINT, (short) 255);
    check(r, "i", Types.INTEGER, -7);
    check(r, "iu", Types.BIGINT, 4000000000L);
    check(r, "bi", Types.BIGINT, 9000000000L);
    check(r, "bu", Types.DECIMAL, new BigDecimal("18446744073709551615"));
    check(r, "dc", Types.DECIMAL, new BigDecimal("12345678.1234"));
    check(r, "dbl", Types.DOUBLE, 2.5d);
    check(r, "b", Types.BOOLEAN, true);
    check(r, "vc", Types.VARCHAR, "hello");
    check(r, "tx", Types.VARCHAR, "long text");
    check(r, "d", Types.DATE, Date.valueOf("2024-02-29"));
    check(r, "dt", Types.TIMESTAMP, Timestamp.valueOf("2024-05-01 12:00:00"));
    check(r, "bin", Types.VARBINARY, new byte[] {1, 2, 3});
    check(r, "e", Types.VARCHAR, "b");
  }

  @Test
  void duckdb() throws Exception {
    Map<String, Object[]> r = row("duck.main.t");
    check(r, "ti", Types.TINYINT, (byte) -1);
    check(r, "si", Types.SMALLINT, (short) 2);
    check(r, "bi", Types.BIGINT, 4000000000L);
    check(r, "hi", Types.DECIMAL, new BigDecimal("170141183460469231731687303715884105727"));
    check(r, "dec", Types.DECIMAL, new BigDecimal("12345678.1234"));
    check(r, "f", Types.REAL, 1.25f);
    check(r, "dbl", Types.DOUBLE, 2.5d);
    check(r, "b", Types.BOOLEAN, true);
    check(r, "vc", Types.VARCHAR, "hello");
    check(r, "d", Types.DATE, Date.valueOf("2024-02-29"));
    check(r, "ts", Types.TIMESTAMP, Timestamp.valueOf("2024-05-01 12:00:00.123"));
    check(r, "tstz", Types.TIMESTAMP, Timestamp.valueOf("2024-05-01 10:00:00"));
    check(r, "u", Types.VARCHAR, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    check(r, "bin", Types.VARBINARY, new byte[] {1, 2, 3});
    check(r, "arr", Types.ARRAY, new Object[] {1, 2, 3});
  }

  @Test
  void sqlite() throws Exception {
    Map<String, Object[]> r = row("lite.main.t");
    check(r, "i", Types.INTEGER, 3);
    check(r, "r", Types.DOUBLE, 2.5d);
    check(r, "tx", Types.VARCHAR, "hello");
    check(r, "vc", Types.VARCHAR, "abc");
    check(r, "bl", Types.VARBINARY, new byte[] {1, 2, 3});
  }
}
