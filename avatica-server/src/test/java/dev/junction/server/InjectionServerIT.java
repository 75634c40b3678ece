package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The issue 7 break-outs sent through the Avatica server, as a thin client would: over
 * MariaDB and over a PostgreSQL source whose catalog turns
 * {@code standard_conforming_strings} off, literals ending in a backslash find exactly the
 * rows they name, exactly one statement reaches each source, and no smuggled write lands.
 */
class InjectionServerIT {
  @TempDir static Path dir;
  private static TestingPostgreSqlServer pg;
  private static TestingMariaDbServer maria;
  private static TestingJunctionServer server;

  /** s, t pairs: the first is the attack, as data it must match exactly. */
  private static final List<String[]> ROWS = List.of(
      new String[] {"a\\", ") OR 1=1 -- "},
      new String[] {"a\\", "; COMMIT; UPDATE words SET s = 'pwned'; -- "},
      new String[] {"b", ") UNION SELECT CONCAT(user(),0x2f,@@version) -- "},
      new String[] {"a\\b", "x"},
      new String[] {"a_b", "y"},
      new String[] {"a\\_b", "z"});

  @BeforeAll static void start() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    load(pg.connect(), pg.namespace() + ".words");
    load(maria.connect(), maria.namespace() + ".words");
    Path catalog = new CatalogFile()
        .source("pg", Map.of("type", "postgresql", "url", pg.jdbcUrl(), "user", pg.user(),
            "password", pg.password(), "properties", Map.of("options",
                "-c standard_conforming_strings=off -c default_transaction_read_only=off")))
        .mariadb("my", maria)
        .write(dir);
    server = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1").catalog(catalog)
        .start();
  }

  private static void load(Connection c, String table) throws SQLException {
    try (c; Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id INTEGER, s VARCHAR(100), t VARCHAR(100))");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
          + " VALUES (?, ?, ?)")) {
        for (int i = 0; i < ROWS.size(); i++) {
          ps.setInt(1, i);
          ps.setString(2, ROWS.get(i)[0]);
          ps.setString(3, ROWS.get(i)[1]);
          ps.executeUpdate();
        }
      }
    }
  }

  @AfterAll static void stop() throws Exception {
    try (AutoCloseable s = server; AutoCloseable p = pg; AutoCloseable m = maria) {
      // closes all three
    }
  }

  private static String lit(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  private static List<Integer> ids(String sql) throws SQLException {
    try (Connection c = server.connect("ana", "pw-ana-1"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      List<Integer> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
      ids.sort(null);
      return ids;
    }
  }

  @Test void breakOutsMatchOnlyWhatTheyName() throws Exception {
    for (String source : List.of("pg", "my")) {
      String table = source + "." + (source.equals("pg") ? pg.namespace() : maria.namespace())
          + ".words";
      for (int i = 0; i < ROWS.size(); i++) {
        String[] row = ROWS.get(i);
        try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
          assertEquals(List.of(i), ids("SELECT id FROM " + table + " WHERE s = " + lit(row[0])
              + " AND t = " + lit(row[1])), source + " row " + i);
          assertEquals(1, recorder.sentTo(source).size(), recorder.sent().toString());
        }
      }
      assertEquals(List.of(3), ids("SELECT id FROM " + table + " WHERE s = 'a\\b'"));
      assertEquals(List.of(5), ids("SELECT id FROM " + table + " WHERE s LIKE 'a\\_b'"));
      assertEquals(List.of(3), ids("SELECT id FROM " + table
          + " WHERE REPLACE(s, '\\', '/') = 'a/b'"));
    }
    try (Connection c = pg.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + pg.namespace()
             + ".words WHERE s = 'pwned'")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getInt(1));
    }
    try (Connection c = maria.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + maria.namespace()
             + ".words WHERE s = 'pwned'")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getInt(1));
    }
  }
}
