package dev.junction.driver.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo is generated once, completely, and a federated query runs on it. */
class DemoCatalogTest {
  @TempDir
  Path dir;

  @Test
  void generatesBothSourcesAndAnsweresAFederatedJoin() throws Exception {
    Path catalog = DemoCatalog.ensure(dir.resolve("demo"));
    assertTrue(Files.isRegularFile(catalog));
    assertEquals(catalog, DemoCatalog.ensure(dir.resolve("demo")), "second call reuses it");
    try (Connection c = DriverManager.getConnection("jdbc:junction:config=" + catalog);
         Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM shop.main.orders")) {
        rs.next();
        assertEquals(DemoCatalog.ORDERS, rs.getInt(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM crm.main.customers")) {
        rs.next();
        assertEquals(DemoCatalog.CUSTOMERS, rs.getInt(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT c.country, COUNT(*) FROM shop.main.orders o"
          + " JOIN crm.main.customers c ON o.customer_id = c.customer_id"
          + " GROUP BY c.country ORDER BY 2 DESC")) {
        int countries = 0;
        long orders = 0;
        while (rs.next()) {
          countries++;
          orders += rs.getLong(2);
        }
        assertEquals(12, countries);
        assertEquals(DemoCatalog.ORDERS, orders, "every order has a customer");
      }
    }
  }

  @Test
  void hasForeignKeysAndCommentsForAnErDiagram() throws Exception {
    Path catalog = DemoCatalog.ensure(dir.resolve("demo"));
    try (Connection c = DriverManager.getConnection("jdbc:junction:config=" + catalog)) {
      java.sql.DatabaseMetaData md = c.getMetaData();
      java.util.List<String> keys = new java.util.ArrayList<>();
      try (ResultSet rs = md.getImportedKeys("shop", "main", "order_items")) {
        while (rs.next()) {
          keys.add(rs.getString("FKCOLUMN_NAME") + " -> " + rs.getString("PKTABLE_NAME") + "."
              + rs.getString("PKCOLUMN_NAME"));
        }
      }
      keys.sort(null);
      assertEquals(java.util.List.of("order_id -> orders.order_id",
          "product_id -> products.product_id"), keys);
      try (ResultSet rs = md.getExportedKeys("shop", "main", "orders")) {
        assertTrue(rs.next());
        assertEquals("order_items", rs.getString("FKTABLE_NAME"));
      }
      try (ResultSet rs = md.getTables("shop", "main", "orders", null)) {
        assertTrue(rs.next());
        assertTrue(rs.getString("REMARKS").startsWith("One row per order"));
      }
    }
  }
}
