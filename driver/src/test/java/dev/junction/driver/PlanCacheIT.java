package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingPostgreSqlServer;

import org.apache.calcite.runtime.Hook;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan cache against a real PostgreSQL table under a row-filter policy: a statement run
 * again is not planned again, callers whose filters differ never share a plan (on separate
 * connections, interleaved, and with the same user name but other token attributes), a
 * policy reload or a metadata refresh takes effect on the next execution, and prepared
 * statements run again with new parameters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCacheIT {
  private TestingPostgreSqlServer pg;
  private Path dir;
  private Path catalog;
  private String orders;

  @BeforeAll void setUp(@TempDir Path tmp) throws Exception {
    dir = tmp;
    pg = new TestingPostgreSqlServer();
    String ns = pg.namespace();
    pg.execute("CREATE TABLE " + ns + ".orders(id INT PRIMARY KEY, region TEXT, amount INT)",
        "INSERT INTO " + ns + ".orders SELECT i, (ARRAY['EU','US','APAC'])[i % 3 + 1], i * 10"
            + " FROM generate_series(1, 30) t(i)");
    writePolicy("EU");
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

  /** Ana's region is {@code anaRegion}; bob's is US; anyone in analysts reads filtered. */
  private void writePolicy(String anaRegion) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "users:",
        "  ana: {groups: [analysts], attributes: {region: " + anaRegion + "}}",
        "  bob: {groups: [analysts], attributes: {region: US}}",
        "rules:",
        "  - group: analysts",
        "    source: sales",
        "    table: orders",
        "    allow: read",
        "    filter: \"region = ATTRIBUTE('region')\"",
        ""), StandardCharsets.UTF_8);
  }

  private Connection connect(String user) throws SQLException {
    return connect(user, null);
  }

  private Connection connect(String user, String attributes) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (attributes != null) {
      p.setProperty("groups", "analysts");
      p.setProperty("attributes", attributes);
    }
    return CatalogFile.connect(catalog, p);
  }

  private static PlanCache.Stats stats(Connection c) throws SQLException {
    return c.unwrap(JunctionConnection.class).planCacheStats();
  }

  /** The distinct regions a query's rows have, in order of first appearance. */
  private static List<String> regions(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        String r = rs.getString("region");
        if (!out.contains(r)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  private String sql(String tail) {
    return "SELECT id, region FROM " + orders + " " + tail;
  }

  @Test void aStatementRunAgainIsNotPlannedAgain() throws Exception {
    String sql = sql("WHERE amount > 100 ORDER BY id");
    AtomicInteger parsed = new AtomicInteger();
    try (Connection c = connect("ana"); Statement s = c.createStatement();
        Hook.Closeable ignored = Hook.PARSE_TREE.addThread(
            (java.util.function.Consumer<Object>) x -> parsed.incrementAndGet())) {
      PlanCache.Stats before = stats(c);
      for (int i = 0; i < 3; i++) {
        assertEquals(List.of("EU"), regions(s.executeQuery(sql)));
      }
      PlanCache.Stats after = stats(c);
      assertEquals(1, parsed.get(), "planned once");
      assertEquals(1, after.misses() - before.misses());
      assertEquals(2, after.hits() - before.hits());
    }
    try (Connection c = connect("ana"); Statement s = c.createStatement();
        Hook.Closeable ignored = Hook.PARSE_TREE.addThread(
            (java.util.function.Consumer<Object>) x -> parsed.incrementAndGet())) {
      assertEquals(List.of("EU"), regions(s.executeQuery(sql)));
      assertEquals(1, parsed.get(), "the same caller on another connection shares the plan");
    }
  }

  @Test void callersWithOtherFiltersNeverShareAPlan() throws Exception {
    String sql = sql("ORDER BY id");
    try (Connection ana = connect("ana"); Connection bob = connect("bob");
        Connection anaEu = connect("zed", "{\"region\": \"EU\"}");
        Connection zedApac = connect("zed", "{\"region\": \"APAC\"}");
        Connection zedNone = connect("zed", "{}");
        RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      PreparedStatement anaPs = ana.prepareStatement(sql);
      PreparedStatement bobPs = bob.prepareStatement(sql);
      for (int round = 0; round < 2; round++) {
        assertEquals(List.of("EU"), regions(ana.createStatement().executeQuery(sql)));
        assertEquals(List.of("US"), regions(bob.createStatement().executeQuery(sql)));
        assertEquals(List.of("EU"), regions(anaPs.executeQuery()));
        assertEquals(List.of("US"), regions(bobPs.executeQuery()));
        assertEquals(List.of("EU"), regions(anaEu.createStatement().executeQuery(sql)));
        assertEquals(List.of("APAC"), regions(zedApac.createStatement().executeQuery(sql)));
        assertEquals(List.of(), regions(zedNone.createStatement().executeQuery(sql)),
            "a caller without the attribute sees no rows, never another caller's");
      }
      for (String remote : sent.sentTo("sales")) {
        assertTrue(remote.contains("\"region\" = 'EU'") || remote.contains("\"region\" = 'US'")
            || remote.contains("\"region\" = 'APAC'") || remote.contains("FALSE")
            || remote.contains("NULL"), remote);
      }
    }
  }

  @Test void preparedStatementsRunAgainWithNewParameters() throws Exception {
    String sql = sql("WHERE id = ?");
    try (Connection c = connect("bob")) {
      PreparedStatement first = c.prepareStatement(sql);
      PreparedStatement second = c.prepareStatement(sql);
      for (int id = 1; id <= 9; id++) {
        PreparedStatement ps = id % 2 == 0 ? first : second;
        ps.setInt(1, id);
        List<Integer> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getInt(1));
            assertEquals("US", rs.getString(2));
          }
        }
        // id % 3 == 1 is US (the ARRAY is 1-based: i % 3 + 1 = 2).
        assertEquals(id % 3 == 1 ? List.of(id) : List.of(), ids, "id " + id);
      }
    }
  }

  @Test void timeFunctionsAreEvaluatedAtEachExecution() throws Exception {
    String sql = "SELECT CURRENT_TIMESTAMP, CURRENT_USER FROM " + orders + " WHERE id = 1";
    try (Connection c = connect("bob"); Statement s = c.createStatement()) {
      List<Object> seen = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        try (ResultSet rs = s.executeQuery(sql)) {
          assertTrue(rs.next());
          seen.add(rs.getTimestamp(1));
          assertEquals("bob", rs.getString(2));
        }
        Thread.sleep(20);
      }
      assertNotEquals(seen.get(0), seen.get(1));
    }
  }

  @Test void aPolicyReloadChangesTheNextExecution() throws Exception {
    String sql = sql("ORDER BY id");
    try (Connection c = connect("ana"); Statement s = c.createStatement()) {
      PreparedStatement prepared = c.prepareStatement(sql);
      assertEquals(List.of("EU"), regions(s.executeQuery(sql)));
      assertEquals(List.of("EU"), regions(prepared.executeQuery()));
      Path policy = dir.resolve("policy.yaml");
      FileTime old = Files.getLastModifiedTime(policy);
      try {
        writePolicy("APAC");
        Files.setLastModifiedTime(policy, FileTime.fromMillis(old.toMillis() + 5_000));
        // The policy file is looked at no more than once a second.
        Thread.sleep(1_200);
        assertEquals(List.of("APAC"), regions(s.executeQuery(sql)));
        SQLException e = assertThrows(SQLException.class, prepared::executeQuery);
        assertEquals("HY010", e.getSQLState());
        assertEquals(List.of("APAC"), regions(c.prepareStatement(sql).executeQuery()));
      } finally {
        writePolicy("EU");
        Files.setLastModifiedTime(policy, FileTime.fromMillis(old.toMillis() + 10_000));
        Thread.sleep(1_200);
      }
      assertEquals(List.of("EU"), regions(s.executeQuery(sql)));
    }
  }

  @Test void aMetadataRefreshDropsPlans() throws Exception {
    String ns = pg.namespace();
    pg.execute("CREATE TABLE " + ns + ".notes(id INT PRIMARY KEY, note TEXT)",
        "INSERT INTO " + ns + ".notes VALUES (1, 'a')");
    try (Connection c = CatalogFile.connect(new CatalogFile().postgresql("sales", pg)
        .write(Files.createTempDirectory(dir, "open")))) {
      String sql = "SELECT * FROM sales." + ns + ".notes";
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        assertEquals(2, rs.getMetaData().getColumnCount());
      }
      pg.execute("ALTER TABLE " + ns + ".notes ADD COLUMN extra INT");
      c.unwrap(JunctionConnection.class).refreshMetadata();
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        assertEquals(3, rs.getMetaData().getColumnCount());
      }
    }
  }
}
