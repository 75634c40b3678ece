package dev.junction.security;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's worked example, run: an EU analyst sees only EU rows of her tenant, the last
 * four digits of card numbers and no SSN column, and the whole query reaches PostgreSQL as
 * the one statement the README shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityExampleIT {
  private TestingPostgreSqlServer pg;
  private Path catalog;
  private String orders;

  @BeforeAll void setUp(@TempDir Path dir) throws Exception {
    pg = new TestingPostgreSqlServer();
    String ns = pg.namespace();
    pg.execute("CREATE TABLE " + ns + ".orders(id INT PRIMARY KEY, region TEXT,"
            + " tenant_id INT, amount NUMERIC(12,2), card_number TEXT, ssn TEXT, note TEXT)",
        "INSERT INTO " + ns + ".orders SELECT i, (ARRAY['EU','US','APAC'])[i % 3 + 1],"
            + " CASE WHEN i % 2 = 0 THEN 42 ELSE 7 END, i * 10,"
            + " '411111111111' || lpad(i::text, 4, '0'), 'ssn-' || i, 'n' || i"
            + " FROM generate_series(1, 3000) t(i)",
        "ANALYZE " + ns + ".orders");
    Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "users:",
        "  ana:  {groups: [analysts], attributes: {region: EU, tenant_id: 42}}",
        "  carl: {groups: [admins]}",
        "rules:",
        "  - {group: admins, allow: read}",
        "  - group: analysts",
        "    source: sales",
        "    schema: " + ns,
        "    table: orders",
        "    allow: read",
        "    filter: \"region = ATTRIBUTE('region') AND tenant_id = ATTRIBUTE('tenant_id')\"",
        "    columns:",
        "      card_number: {mask: \"'XXXX-XXXX-XXXX-' || SUBSTRING(card_number FROM 13"
            + " FOR 4)\"}",
        "      ssn: {allow: false}",
        "      note: {allow: true}",
        ""));
    catalog = dir.resolve("catalog.yaml");
    Files.writeString(catalog, new CatalogFile().postgresql("sales", pg).yaml()
        + "policy: policy.yaml\naudit: {destination: none}\n");
    orders = "sales." + ns + ".orders";
  }

  @AfterAll void tearDown() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private Connection connect(String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    return DriverManager.getConnection("jdbc:junction:config=" + catalog, p);
  }

  private static String flat(String sql) {
    return sql.replaceAll("\\s+", " ").trim();
  }

  @Test void anEuAnalystSeesHerRowsMaskedAndTheQueryIsOneStatement() throws Exception {
    try (Connection c = connect("ana"); Statement s = c.createStatement();
        RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      List<String> columns = new ArrayList<>();
      int rows = 0;
      try (ResultSet rs = s.executeQuery(
          "SELECT * FROM " + orders + " WHERE amount > 100 ORDER BY id")) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          columns.add(rs.getMetaData().getColumnLabel(i));
        }
        while (rs.next()) {
          rows++;
          int id = rs.getInt("id");
          assertEquals("EU", rs.getString("region"));
          assertEquals(42, rs.getInt("tenant_id"));
          assertEquals(String.format("XXXX-XXXX-XXXX-%04d", id), rs.getString("card_number"));
        }
      }
      assertEquals(List.of("id", "region", "tenant_id", "amount", "card_number", "note"),
          columns);
      // ids 6, 12, ..., 2994 are EU and tenant 42; amount > 100 drops 6.
      assertEquals(3000 / 6 - 1, rows);
      assertEquals(List.of(flat("SELECT \"id\", \"region\", \"tenant_id\", \"amount\","
          + " 'XXXX-XXXX-XXXX-' || SUBSTRING(\"card_number\", 13, 4) AS \"card_number\","
          + " \"note\" FROM \"" + pg.namespace() + "\".\"orders\""
          + " WHERE \"region\" = 'EU' AND \"tenant_id\" = 42 AND \"amount\" > 100.00"
          + " ORDER BY \"id\"")), sent.sent().stream().map(x -> flat(x.sql())).toList());
    }
  }

  @Test void aDivisionProbeOnHiddenRowsDoesNotFailAndIsGuardedInTheSource() throws Exception {
    try (Connection c = connect("ana"); Statement s = c.createStatement();
        RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + orders
          + " WHERE 1/(CASE WHEN region = 'US' THEN 0 ELSE 1 END) = 1")) {
        rs.next();
        assertEquals(500, rs.getInt(1));
      }
      String sql = flat(sent.sent().get(0).sql());
      assertTrue(sql.contains("AND CASE WHEN \"region\" = 'EU' AND \"tenant_id\" = 42 THEN 1 /"
          + " CASE WHEN \"region\" = 'US' THEN 0 ELSE 1 END = 1 ELSE FALSE END"), sql);
    }
    try (Connection c = connect("carl"); Statement s = c.createStatement()) {
      assertThrows(SQLException.class, () -> s.executeQuery("SELECT COUNT(*) FROM " + orders
          + " WHERE 1/(CASE WHEN region = 'US' THEN 0 ELSE 1 END) = 1").next(),
          "the probe does fail for a caller who may see US rows");
    }
  }

  @Test void explainShowsPlaceholdersAndTheSsnColumnDoesNotExist() throws Exception {
    try (Connection c = connect("ana"); Statement s = c.createStatement()) {
      String plan;
      try (ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR SELECT * FROM " + orders
          + " WHERE amount > 100")) {
        rs.next();
        plan = rs.getString(1);
      }
      assertTrue(plan.contains("WHERE <row filter> AND \"amount\" > 100"), plan);
      assertTrue(plan.contains("<mask> AS \"card_number\""), plan);
      assertFalse(plan.contains("'EU'") || plan.contains("= 42") || plan.contains("XXXX"),
          plan);
      for (String form : List.of("EXPLAIN PLAN WITHOUT IMPLEMENTATION FOR ",
          "EXPLAIN PLAN INCLUDING ALL ATTRIBUTES WITHOUT IMPLEMENTATION FOR ",
          "EXPLAIN PLAN AS JSON FOR ", "EXPLAIN PLAN AS XML FOR ")) {
        try (ResultSet rs = s.executeQuery(form + "SELECT * FROM " + orders)) {
          rs.next();
          String text = rs.getString(1);
          assertFalse(text.contains("EU") || text.contains("XXXX")
              || text.contains("JUNCTION_"), form + text);
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
      SQLException hidden = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT ssn FROM " + orders));
      SQLException missing = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT nosuch FROM " + orders));
      assertEquals("42703", hidden.getSQLState());
      assertEquals(missing.getSQLState(), hidden.getSQLState());
      assertEquals(missing.getMessage().replace("nosuch", "ssn"), hidden.getMessage());
    }
  }
}
