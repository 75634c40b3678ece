package dev.junction.driver;

import dev.junction.testing.CatalogFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names as a new user types them: sources and aliases named by reserved words work in
 * double quotes, a syntax error names the token and gives one hint, and an unknown table
 * or column suggests the closest name. Sources are DuckDB and SQLite files, so the names
 * are the sources' own.
 */
class NamesIT {
  @TempDir
  static Path dir;
  static Path catalog;

  @BeforeAll
  static void setUp() throws Exception {
    CatalogFile file = new CatalogFile();
    for (String name : new String[] {"user", "order", "ref", "dec"}) {
      Path db = dir.resolve(name + ".db");
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
           Statement st = c.createStatement()) {
        st.execute("CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer_id INTEGER)");
        st.execute("INSERT INTO orders VALUES (1, 10), (2, 20)");
      }
      file.sqlite(name, db);
    }
    Path duck = dir.resolve("shop.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE customers (customer_id INTEGER, country VARCHAR,"
          + " ssn VARCHAR)");
      st.execute("INSERT INTO customers VALUES (10, 'DE', 's1'), (20, 'FR', 's2')");
      st.execute("CREATE TABLE secrets (x INTEGER)");
    }
    catalog = file.duckdb("shop", duck).write(dir);
    Path governedDir = java.nio.file.Files.createDirectories(dir.resolve("governed"));
    java.nio.file.Files.writeString(governedDir.resolve("policy.yaml"), String.join("\n",
        "users:",
        "  ana: {groups: [analysts]}",
        "rules:",
        "  - group: analysts",
        "    source: shop",
        "    schema: main",
        "    table: customers",
        "    allow: read",
        "    columns:",
        "      ssn: {allow: false}",
        ""));
    governed = governedDir.resolve("catalog.yaml");
    java.nio.file.Files.writeString(governed, new CatalogFile().duckdb("shop", duck).yaml()
        + "policy: policy.yaml\naudit: {destination: none}\n");
  }

  static Path governed;

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static SQLException fails(Connection c, String state, String sql) {
    SQLException e = assertThrows(SQLException.class, () -> count(c, sql));
    assertEquals(state, e.getSQLState(), e.getMessage());
    assertTrue(e instanceof SQLSyntaxErrorException, e.toString());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void reservedWordsWorkQuoted() throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      assertEquals(2, count(c, "SELECT COUNT(*) FROM \"user\".main.orders"));
      assertEquals(2, count(c, "SELECT COUNT(\"order\".order_id) FROM \"order\".main.orders"
          + " AS \"order\""));
      assertEquals(1, count(c, "SELECT COUNT(*) FROM \"ref\".main.orders \"ref\" JOIN"
          + " \"dec\".main.orders \"dec\" ON \"ref\".order_id = \"dec\".order_id"
          + " JOIN shop.main.customers \"user\" ON \"user\".customer_id = \"ref\".customer_id"
          + " WHERE \"user\".country = 'DE'"));
      c.setCatalog("ref");
      assertEquals("ref", c.getCatalog());
      assertEquals(2, count(c, "SELECT COUNT(*) FROM main.orders"));
    }
  }

  @Test
  void anUnquotedReservedWordIsNamedInTheError() throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      SQLException e = fails(c, "42601", "SELECT o.order_id FROM shop.main.customers AS order");
      assertEquals("SQL syntax error: unexpected 'order' at line 1, column 47. 'order' is a"
          + " reserved word: write it in double quotes (\"order\") to use it as a name.",
          e.getMessage());
      e = fails(c, "42601", "SELECT COUNT(*) FROM ref.main.orders");
      assertTrue(e.getMessage().contains("'ref' is a reserved word"), e.getMessage());
    }
  }

  @Test
  void aSyntaxErrorShowsTheTokenAndOneHint() throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      SQLException e = fails(c, "42601", "SELECT customer_id\nFROM shop.main.customers\n"
          + "GRUP BY customer_id");
      assertEquals("SQL syntax error: unexpected 'BY' at line 3, column 6. Check the SQL near"
          + " that position.", e.getMessage());
      e = fails(c, "42601", "SELECT customer_id FROM shop.main.customers ORDER BY");
      assertEquals("SQL syntax error: the statement ended early at line 1, column 52. Check"
          + " for a missing expression, closing parenthesis or quote.", e.getMessage());
      e = fails(c, "42601", "SELECT customer_id FROM shop.main.customers WHERE country = 'DE'"
          + " ORDR BY 1");
      assertEquals("SQL syntax error: unexpected 'ORDR' at line 1, column 66. Did you mean"
          + " ORDER? Check the SQL near that position.", e.getMessage());
    }
  }

  @Test
  void unknownNamesSuggestTheClosest() throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      SQLException e = fails(c, "42P01", "SELECT * FROM shop.main.custmers");
      assertEquals("Object 'custmers' not found within 'shop.main' (line 1, column 15). Did you"
          + " mean 'customers'?" + Errors.advice(dev.junction.spi.ErrorCode.UNDEFINED_TABLE),
          e.getMessage());
      e = fails(c, "42P01", "SELECT * FROM shp.main.customers");
      assertTrue(e.getMessage().contains("Did you mean 'shop'?"), e.getMessage());
      e = fails(c, "42703", "SELECT countyr FROM shop.main.customers");
      assertEquals("Column 'countyr' not found in any table (line 1, column 8). Did you mean"
          + " 'country'?" + Errors.advice(dev.junction.spi.ErrorCode.UNDEFINED_COLUMN),
          e.getMessage());
      e = fails(c, "42703", "SELECT c.custmer_id FROM shop.main.customers c"
          + " JOIN \"user\".main.orders o ON c.customer_id = o.customer_id");
      assertTrue(e.getMessage().contains("Did you mean 'customer_id'?"), e.getMessage());
      e = fails(c, "42703", "SELECT o.order_id FROM shop.main.customers c JOIN"
          + " \"user\".main.orders o ON c.customer_id = o.custome_id");
      assertTrue(e.getMessage().contains("Did you mean 'customer_id'?"), e.getMessage());
      e = fails(c, "42703", "SELECT zzz FROM shop.main.customers");
      assertFalse(e.getMessage().contains("Did you mean"), "nothing close: " + e.getMessage());
    }
  }

  @Test
  void suggestionsNeverNameWhatThePolicyHides() throws Exception {
    java.util.Properties ana = new java.util.Properties();
    ana.setProperty("user", "ana");
    try (Connection c = CatalogFile.connect(governed, ana)) {
      SQLException e = fails(c, "42P01", "SELECT * FROM shop.main.secret");
      assertFalse(e.getMessage().contains("secrets"), e.getMessage());
      e = fails(c, "42P01", "SELECT * FROM shop.main.custmers");
      assertTrue(e.getMessage().contains("Did you mean 'customers'?"), e.getMessage());
      e = fails(c, "42703", "SELECT ssm FROM shop.main.customers");
      assertFalse(e.getMessage().contains("ssn"), e.getMessage());
      e = fails(c, "42703", "SELECT countri FROM shop.main.customers");
      assertTrue(e.getMessage().contains("Did you mean 'country'?"), e.getMessage());
      java.util.List<String> tables = new java.util.ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables("shop", "main", "%", null)) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertEquals(java.util.List.of("customers"), tables);
    }
  }
}
