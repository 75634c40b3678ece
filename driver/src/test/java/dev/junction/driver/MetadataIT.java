package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DatabaseMetaData is what DBeaver's navigator and ER diagram read: sources as catalogs,
 * remote schemas as schemas, columns with types and remarks, keys and indexes from the
 * source, and a listing of a schema with 1,000 tables.
 */
class MetadataIT {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataIT.class);

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
    pg.execute("CREATE TABLE " + s + ".customers (id int PRIMARY KEY, name varchar(40) NOT NULL,"
            + " balance numeric(12,2))",
        "COMMENT ON COLUMN " + s + ".customers.name IS 'legal name'",
        "CREATE TABLE " + s + ".orders (id int PRIMARY KEY,"
            + " customer_id int NOT NULL REFERENCES " + s + ".customers(id), placed date)",
        "CREATE INDEX orders_placed ON " + s + ".orders (placed)",
        "CREATE SCHEMA " + s + "_wide",
        "DO $$ BEGIN FOR i IN 1..1000 LOOP EXECUTE format('CREATE TABLE " + s
            + "_wide.t%s (id int PRIMARY KEY, v text)', i); END LOOP; END $$");
    maria.execute("CREATE TABLE accounts (id int PRIMARY KEY, owner varchar(20) COMMENT 'who')",
        "CREATE TABLE payments (id int PRIMARY KEY, account_id int,"
            + " FOREIGN KEY (account_id) REFERENCES accounts(id))");
    catalog = new CatalogFile().postgresql("sales", pg).mariadb("crm", maria).write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null) {
      pg.execute("DROP SCHEMA IF EXISTS " + pg.namespace() + "_wide CASCADE");
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

  private static List<String> column(ResultSet rs, String name) throws Exception {
    List<String> values = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        values.add(rs.getString(name));
      }
    }
    return values;
  }

  @Test
  void sourcesAreCatalogsAndRemoteSchemasAreSchemas() throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals(List.of("sales", "crm", "junction"), column(md.getCatalogs(), "TABLE_CAT"));
      List<String> schemas = column(md.getSchemas("sales", null), "TABLE_SCHEM");
      assertTrue(schemas.contains(pg.namespace()), schemas.toString());
      assertTrue(!schemas.contains("pg_catalog") && !schemas.contains("information_schema"),
          schemas.toString());
      assertEquals(List.of(maria.namespace()),
          column(md.getSchemas("crm", maria.namespace()), "TABLE_SCHEM"));
      assertEquals(List.of("customers", "orders"),
          column(md.getTables("sales", pg.namespace(), "%", null), "TABLE_NAME"));
    }
  }

  @Test
  void columnsHaveTypesSizesNullabilityAndRemarks() throws Exception {
    try (Connection c = CatalogFile.connect(catalog);
         ResultSet rs = c.getMetaData().getColumns("sales", pg.namespace(), "customers", null)) {
      assertTrue(rs.next());
      assertEquals("id", rs.getString("COLUMN_NAME"));
      assertEquals(Types.INTEGER, rs.getInt("DATA_TYPE"));
      assertEquals(DatabaseMetaData.columnNoNulls, rs.getInt("NULLABLE"));
      assertTrue(rs.next());
      assertEquals("name", rs.getString("COLUMN_NAME"));
      assertEquals(Types.VARCHAR, rs.getInt("DATA_TYPE"));
      assertEquals(40, rs.getInt("COLUMN_SIZE"));
      assertEquals("legal name", rs.getString("REMARKS"));
      assertEquals("NO", rs.getString("IS_NULLABLE"));
      assertTrue(rs.next());
      assertEquals("balance", rs.getString("COLUMN_NAME"));
      assertEquals(Types.DECIMAL, rs.getInt("DATA_TYPE"));
      assertEquals(12, rs.getInt("COLUMN_SIZE"));
      assertEquals(2, rs.getInt("DECIMAL_DIGITS"));
      assertEquals("YES", rs.getString("IS_NULLABLE"));
    }
    try (Connection c = CatalogFile.connect(catalog);
         ResultSet rs = c.getMetaData().getColumns("crm", maria.namespace(), "accounts", "owner")) {
      assertTrue(rs.next());
      assertEquals("who", rs.getString("REMARKS"));
    }
  }

  @Test
  void keysAndIndexesComeFromTheSource() throws Exception {
    String s = pg.namespace();
    try (Connection c = CatalogFile.connect(catalog)) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals(List.of("id"), column(md.getPrimaryKeys("sales", s, "orders"), "COLUMN_NAME"));
      try (ResultSet rs = md.getImportedKeys("sales", s, "orders")) {
        assertTrue(rs.next());
        assertEquals("sales", rs.getString("PKTABLE_CAT"));
        assertEquals(s, rs.getString("PKTABLE_SCHEM"));
        assertEquals("customers", rs.getString("PKTABLE_NAME"));
        assertEquals("id", rs.getString("PKCOLUMN_NAME"));
        assertEquals("customer_id", rs.getString("FKCOLUMN_NAME"));
      }
      assertEquals(List.of("orders"),
          column(md.getExportedKeys("sales", s, "customers"), "FKTABLE_NAME"));
      List<String> indexes = column(md.getIndexInfo("sales", s, "orders", false, true),
          "INDEX_NAME");
      assertTrue(indexes.contains("orders_placed"), indexes.toString());
      try (ResultSet rs = md.getImportedKeys("crm", maria.namespace(), "payments")) {
        assertTrue(rs.next());
        assertEquals(maria.namespace(), rs.getString("PKTABLE_SCHEM"));
        assertEquals("accounts", rs.getString("PKTABLE_NAME"));
      }
      try (ResultSet rs = md.getTypeInfo()) {
        assertTrue(rs.next());
      }
    }
  }

  @Test
  void refreshShowsNewTablesBeforeTheTtl() throws Exception {
    String s = pg.namespace();
    try (Connection c = CatalogFile.connect(catalog)) {
      assertEquals(List.of(), column(c.getMetaData().getTables("sales", s, "late_arrival", null),
          "TABLE_NAME"), "absent before it is created");
      pg.execute("CREATE TABLE " + s + ".late_arrival (id int)");
      assertEquals(List.of(), column(c.getMetaData().getTables("sales", s, "late_arrival", null),
          "TABLE_NAME"), "the cached table list holds until the TTL or a refresh");
      c.unwrap(JunctionConnection.class).refreshMetadata();
      assertEquals(List.of("late_arrival"), column(c.getMetaData().getTables("sales", s,
          "late_arrival", null), "TABLE_NAME"));
      try (ResultSet rs = c.createStatement().executeQuery(
          "SELECT COUNT(*) FROM sales." + s + ".late_arrival")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getInt(1));
      }
      pg.execute("DROP TABLE " + s + ".late_arrival");
      c.unwrap(JunctionConnection.class).refreshMetadata();
      assertEquals(List.of(), column(c.getMetaData().getTables("sales", s, "late_arrival", null),
          "TABLE_NAME"), "a dropped table is gone after a refresh");
    } finally {
      pg.execute("DROP TABLE IF EXISTS " + s + ".late_arrival");
    }
  }

  @Test
  void schemaWithAThousandTablesLists() throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      long start = System.nanoTime();
      List<String> tables = column(c.getMetaData().getTables("sales", pg.namespace() + "_wide",
          "%", null), "TABLE_NAME");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1000, tables.size());
      LOG.info("listed 1000 tables in {} ms", ms);
      try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM sales."
          + pg.namespace() + "_wide.t999")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getInt(1));
      }
    }
  }
}
