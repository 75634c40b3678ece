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
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver as DBeaver drives it. On connect DBeaver's generic JDBC plugin
 * (JDBCDataSourceInfo, GenericDataSource, JDBCSQLDialect) reads the product and driver
 * names and versions, terms, identifier quoting and case rules, keywords, table types,
 * the connection's catalog, schema, user and read-only flag; browsing lists catalogs,
 * schemas, tables by type, then a table's columns, primary key, foreign keys and indexes
 * (the ER diagram); "set as default" calls setCatalog and setSchema. Each answer is
 * asserted against PostgreSQL, MariaDB and DuckDB sources with serial, identity,
 * AUTO_INCREMENT and sequence columns, defaults, comments and foreign keys.
 */
class DbeaverMetadataIT {
  private static final Logger LOG = LoggerFactory.getLogger(DbeaverMetadataIT.class);

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
    pg.execute("CREATE TABLE " + s + ".customers (id serial CONSTRAINT customers_pk PRIMARY KEY,"
            + " name text NOT NULL, country varchar(2) DEFAULT 'DE',"
            + " since date, seen timestamp(3))",
        "COMMENT ON TABLE " + s + ".customers IS 'people who buy'",
        "CREATE TABLE " + s + ".orders (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            + " customer_id int NOT NULL CONSTRAINT orders_customer_fk REFERENCES "
            + s + ".customers(id), total numeric(10,2))",
        "CREATE INDEX orders_customer ON " + s + ".orders (customer_id)",
        "INSERT INTO " + s + ".customers (name, since) VALUES ('Ada', DATE '2024-01-31')",
        "INSERT INTO " + s + ".orders (customer_id, total) VALUES (1, 9.50)");
    maria.execute("CREATE TABLE accounts (id int AUTO_INCREMENT PRIMARY KEY,"
            + " owner varchar(20) DEFAULT 'nobody') COMMENT 'ledger accounts'",
        "CREATE TABLE payments (id int PRIMARY KEY, account_id int,"
            + " CONSTRAINT payments_account FOREIGN KEY (account_id) REFERENCES accounts(id))");
    Path duck = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE SEQUENCE item_ids");
      st.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL)");
      st.execute("CREATE TABLE items (id INTEGER DEFAULT nextval('item_ids'),"
          + " product_id INTEGER REFERENCES products(id), note VARCHAR DEFAULT 'none')");
      st.execute("COMMENT ON TABLE products IS 'what we sell'");
    }
    catalog = new CatalogFile().postgresql("sales", pg).mariadb("crm", maria)
        .duckdb("lake", duck).write(dir);
    // Measured, not asserted (performance lives in benchmarks): the first listing of a
    // catalog just opened, as DBeaver's navigator makes it on connect.
    try (Connection c = connect()) {
      long start = System.nanoTime();
      int schemas = rows(c.getMetaData().getSchemas()).size();
      long schemasMs = (System.nanoTime() - start) / 1_000_000;
      start = System.nanoTime();
      int tables = rows(c.getMetaData().getTables("sales", pg.namespace(), null, null)).size();
      LOG.info("first getSchemas() over three sources: {} ms ({} schemas); first getTables():"
          + " {} ms ({} tables)", schemasMs, schemas, (System.nanoTime() - start) / 1_000_000,
          tables);
    }
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

  private static Connection connect(String... properties) throws SQLException {
    Properties p = new Properties();
    for (int i = 0; i < properties.length; i += 2) {
      p.setProperty(properties[i], properties[i + 1]);
    }
    return CatalogFile.connect(catalog, p);
  }

  /** Every row of a result set as column name to text, in order. */
  private static List<Map<String, String>> rows(ResultSet rs) throws SQLException {
    List<Map<String, String>> out = new ArrayList<>();
    try (rs) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static List<String> column(ResultSet rs, String name) throws SQLException {
    return rows(rs).stream().map(r -> r.get(name)).toList();
  }

  private static Map<String, String> columnRow(DatabaseMetaData md, String cat, String schema,
      String table, String column) throws SQLException {
    List<Map<String, String>> rows = rows(md.getColumns(cat, schema, table, column));
    assertEquals(1, rows.size(), rows.toString());
    return rows.get(0);
  }

  @Test
  void connectReadsWhatDbeaverReads() throws Exception {
    try (Connection c = connect("user", "ana")) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals("Junction", md.getDatabaseProductName());
      assertEquals("0.1.0", md.getDatabaseProductVersion());
      assertEquals("Junction JDBC Driver", md.getDriverName());
      assertEquals("0.1.0", md.getDriverVersion());
      assertEquals("\"", md.getIdentifierQuoteString());
      assertEquals(".", md.getCatalogSeparator());
      assertTrue(md.isCatalogAtStart());
      List<String> keywords = List.of(md.getSQLKeywords().split(","));
      assertTrue(keywords.contains("LIMIT") && !keywords.contains("SELECT"),
          "JDBC lists only the keywords that are not SQL:2003's: " + keywords);
      assertEquals("ana", md.getUserName());
      assertTrue(md.isReadOnly());
      assertTrue(c.isReadOnly(), "Connection.isReadOnly agrees with DatabaseMetaData");
      c.setReadOnly(false);
      assertTrue(c.isReadOnly(), "a hint Junction cannot honour: it never writes");
      assertEquals("sales", c.getCatalog(), "the first source is the default catalog");
      assertNull(c.getSchema());
      // Names match ignoring case and keep their spelling: DBeaver then never changes the
      // case of what it quotes.
      assertTrue(md.storesMixedCaseIdentifiers() && md.storesMixedCaseQuotedIdentifiers());
      assertFalse(md.supportsMixedCaseIdentifiers() || md.supportsMixedCaseQuotedIdentifiers());
      assertFalse(md.supportsTransactions() && md.supportsSavepoints());
      assertEquals(List.of("TABLE", "VIEW"), column(md.getTableTypes(), "TABLE_TYPE").stream()
          .filter(t -> t.equals("TABLE") || t.equals("VIEW")).toList());
      assertTrue(md.getSearchStringEscape() != null);
    }
  }

  @Test
  void navigatorListsCatalogsSchemasAndTablesWithRemarks() throws Exception {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals(List.of("sales", "crm", "lake", "junction"),
          column(md.getCatalogs(), "TABLE_CAT"));
      List<String> schemas = column(md.getSchemas(), "TABLE_SCHEM");
      assertTrue(schemas.containsAll(List.of(pg.namespace(), maria.namespace(), "main")),
          schemas.toString());
      List<Map<String, String>> tables = rows(md.getTables("sales", pg.namespace(), null,
          new String[] {"TABLE", "VIEW"}));
      assertEquals(List.of("customers", "orders"),
          tables.stream().map(r -> r.get("TABLE_NAME")).toList());
      assertEquals("people who buy", tables.get(0).get("REMARKS"));
      assertNull(tables.get(1).get("REMARKS"));
      assertEquals("TABLE", tables.get(0).get("TABLE_TYPE"));
      assertEquals(List.of("ledger accounts"),
          column(md.getTables("crm", maria.namespace(), "accounts", null), "REMARKS"));
      assertEquals(List.of("what we sell"),
          column(md.getTables("lake", "main", "products", null), "REMARKS"));
      assertEquals(List.of(), column(md.getTables("lake", "main", "%", new String[] {"VIEW"}),
          "TABLE_NAME"));
    }
  }

  @Test
  void columnsFollowTheJdbcSpec() throws Exception {
    String s = pg.namespace();
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      Map<String, String> id = columnRow(md, "sales", s, "customers", "id");
      assertEquals("YES", id.get("IS_AUTOINCREMENT"), "serial");
      assertTrue(id.get("COLUMN_DEF").startsWith("nextval("), id.toString());
      assertEquals("10", id.get("COLUMN_SIZE"));
      Map<String, String> name = columnRow(md, "sales", s, "customers", "name");
      assertEquals(String.valueOf(Integer.MAX_VALUE), name.get("COLUMN_SIZE"),
          "unbounded text");
      assertEquals("NO", name.get("IS_AUTOINCREMENT"));
      assertNull(name.get("COLUMN_DEF"));
      Map<String, String> country = columnRow(md, "sales", s, "customers", "country");
      assertEquals("2", country.get("COLUMN_SIZE"));
      assertTrue(country.get("COLUMN_DEF").startsWith("'DE'"), country.toString());
      Map<String, String> since = columnRow(md, "sales", s, "customers", "since");
      assertEquals(String.valueOf(Types.DATE), since.get("DATA_TYPE"));
      assertEquals("10", since.get("COLUMN_SIZE"), "yyyy-mm-dd");
      Map<String, String> seen = columnRow(md, "sales", s, "customers", "seen");
      assertEquals(String.valueOf(Types.TIMESTAMP), seen.get("DATA_TYPE"));
      assertEquals("23", seen.get("COLUMN_SIZE"), "yyyy-mm-dd hh:mm:ss.fff");
      assertEquals("3", seen.get("DECIMAL_DIGITS"));
      assertEquals("YES", columnRow(md, "sales", s, "orders", "id").get("IS_AUTOINCREMENT"),
          "identity");
      Map<String, String> total = columnRow(md, "sales", s, "orders", "total");
      assertEquals("10", total.get("COLUMN_SIZE"));
      assertEquals("2", total.get("DECIMAL_DIGITS"));
      assertEquals("NO", total.get("IS_AUTOINCREMENT"));

      String m = maria.namespace();
      assertEquals("YES", columnRow(md, "crm", m, "accounts", "id").get("IS_AUTOINCREMENT"),
          "AUTO_INCREMENT");
      Map<String, String> owner = columnRow(md, "crm", m, "accounts", "owner");
      assertEquals("NO", owner.get("IS_AUTOINCREMENT"));
      assertEquals("20", owner.get("COLUMN_SIZE"));
      assertTrue(owner.get("COLUMN_DEF").contains("nobody"), owner.toString());

      Map<String, String> item = columnRow(md, "lake", "main", "items", "id");
      assertEquals("YES", item.get("IS_AUTOINCREMENT"), "a sequence default");
      assertEquals("nextval('item_ids')", item.get("COLUMN_DEF"));
      assertEquals("'none'", columnRow(md, "lake", "main", "items", "note").get("COLUMN_DEF"));
      assertEquals("NO", columnRow(md, "lake", "main", "items", "note")
          .get("IS_AUTOINCREMENT"));
    }
  }

  @Test
  void keysAndIndexesDrawTheErDiagram() throws Exception {
    String s = pg.namespace();
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      List<Map<String, String>> pk = rows(md.getPrimaryKeys("sales", s, "customers"));
      assertEquals(1, pk.size());
      assertEquals("id", pk.get(0).get("COLUMN_NAME"));
      assertEquals("customers_pk", pk.get(0).get("PK_NAME"));
      List<Map<String, String>> fk = rows(md.getImportedKeys("sales", s, "orders"));
      assertEquals(1, fk.size());
      assertEquals("orders_customer_fk", fk.get(0).get("FK_NAME"));
      assertEquals("customers", fk.get(0).get("PKTABLE_NAME"));
      assertEquals("sales", fk.get(0).get("PKTABLE_CAT"));
      assertEquals(List.of("orders"),
          column(md.getExportedKeys("sales", s, "customers"), "FKTABLE_NAME"));
      assertTrue(column(md.getIndexInfo("sales", s, "orders", false, true), "INDEX_NAME")
          .contains("orders_customer"));

      assertEquals(List.of("payments_account"),
          column(md.getImportedKeys("crm", maria.namespace(), "payments"), "FK_NAME"));
      assertEquals(List.of("PRIMARY"),
          column(md.getPrimaryKeys("crm", maria.namespace(), "accounts"), "PK_NAME"));

      List<Map<String, String>> duckFk = rows(md.getImportedKeys("lake", "main", "items"));
      assertEquals(1, duckFk.size());
      assertEquals("products", duckFk.get(0).get("PKTABLE_NAME"));
      assertEquals("product_id", duckFk.get(0).get("FKCOLUMN_NAME"));
      assertEquals(List.of("id"),
          column(md.getPrimaryKeys("lake", "main", "products"), "COLUMN_NAME"));
    }
  }

  @Test
  void defaultCatalogAndSchemaResolveUnqualifiedNames() throws Exception {
    String s = pg.namespace();
    try (Connection c = connect()) {
      c.setCatalog("SALES");
      c.setSchema(s);
      assertEquals("sales", c.getCatalog(), "the source's own spelling");
      assertEquals(s, c.getSchema());
      assertEquals(1, count(c, "SELECT COUNT(*) FROM orders"));
      assertEquals(1, count(c, "SELECT COUNT(*) FROM sales." + s + ".orders"));
      assertEquals(0, count(c, "SELECT COUNT(*) FROM crm." + maria.namespace() + ".payments"),
          "fully qualified names still resolve from the root");
      c.setSchema("crm." + maria.namespace());
      assertEquals("crm", c.getCatalog());
      assertEquals(0, count(c, "SELECT COUNT(*) FROM accounts"));
      c.setCatalog("lake");
      assertNull(c.getSchema(), "a new default source forgets the old schema");
      assertEquals(0, count(c, "SELECT COUNT(*) FROM main.items"),
          "schema.table within the default source");
      SQLException e = assertThrows(SQLException.class, () -> c.setCatalog("sails"));
      assertEquals("42P01", e.getSQLState());
      assertTrue(e.getMessage().contains("did you mean 'sales'?"), e.getMessage());
    }
    try (Connection c = connect("schema", "sales." + s)) {
      assertEquals("sales", c.getCatalog());
      assertEquals(s, c.getSchema());
      assertEquals(1, count(c, "SELECT COUNT(*) FROM customers"));
    }
    SQLException e = assertThrows(SQLException.class, () -> connect("schema", "nowhere.x"));
    assertEquals("42P01", e.getSQLState());
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void resultColumnsNameTheirCatalogAndSchema() throws Exception {
    String s = pg.namespace();
    try (Connection c = connect();
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT o.total, p.name, 1 AS k FROM sales." + s
             + ".orders o CROSS JOIN lake.main.products p")) {
      ResultSetMetaData md = rs.getMetaData();
      assertEquals("sales", md.getCatalogName(1));
      assertEquals(s, md.getSchemaName(1));
      assertEquals("orders", md.getTableName(1));
      assertEquals("lake", md.getCatalogName(2));
      assertEquals("main", md.getSchemaName(2));
      assertEquals("products", md.getTableName(2));
      assertNull(md.getCatalogName(3), "a computed column has no origin");
    }
  }

  @Test
  void functionsAndTypesAreWhatAQueryMayUse() throws Exception {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      List<String> functions = column(md.getFunctions(null, null, "%"), "FUNCTION_NAME");
      assertTrue(functions.containsAll(List.of("UPPER", "SUBSTRING", "COUNT", "SUM", "ROUND",
          "CURRENT_DATE", "COALESCE")), functions.toString());
      assertTrue(functions.stream().noneMatch(f -> f.contains("$")), functions.toString());
      assertFalse(functions.contains("SINGLE_VALUE"), "internal aggregate");
      assertFalse(functions.contains("TUMBLE_START"), "streaming GROUP BY only");
      assertEquals(List.of("UPPER"), column(md.getFunctions(null, null, "UPP%"),
          "FUNCTION_NAME"));
      List<Map<String, String>> types = rows(md.getTypeInfo());
      List<String> names = types.stream().map(r -> r.get("TYPE_NAME")).toList();
      assertEquals(List.of("TINYINT", "BIGINT", "VARBINARY", "BINARY", "CHAR", "DECIMAL",
          "INTEGER", "SMALLINT", "FLOAT", "REAL", "DOUBLE", "VARCHAR", "BOOLEAN", "DATE",
          "TIME", "TIMESTAMP"), names, "ordered by DATA_TYPE");
      for (String type : names) {
        String cast = switch (type) {
          case "BOOLEAN" -> "CAST('true' AS BOOLEAN)";
          case "BINARY", "VARBINARY" -> "CAST(X'01' AS " + type + ")";
          case "DATE" -> "CAST('2024-01-31' AS DATE)";
          case "TIME" -> "CAST('12:00:00' AS TIME)";
          case "TIMESTAMP" -> "CAST('2024-01-31 12:00:00' AS TIMESTAMP)";
          default -> "CAST('1' AS " + type + ")";
        };
        assertEquals(1, count(c, "SELECT COUNT(" + cast + ") FROM (VALUES (1)) t(x)"), type);
      }
    }
  }
}
