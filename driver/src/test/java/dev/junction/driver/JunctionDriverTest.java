package dev.junction.driver;

import dev.junction.testing.RemoteSqlRecorder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** URL handling and connection errors, without any database server. */
class JunctionDriverTest {
  @TempDir
  Path dir;

  @Test
  void otherUrlsAreNotOurs() throws SQLException {
    assertNull(new JunctionDriver().connect("jdbc:postgresql://x/y", new Properties()));
  }

  @Test
  void missingCatalogSaysWhatToWrite() {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:junction:"));
    assertTrue(e.getMessage().contains("jdbc:junction:config=/path/junction.yaml"),
        e.getMessage());
    assertEquals("08001", e.getSQLState());
  }

  @Test
  void configAndDemoTogetherAreRejected() {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:junction:demo;config=/x.yaml"));
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
  }

  @Test
  void invalidCatalogIsAConnectionErrorNamingTheProblem() throws Exception {
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, "sources:\n  lake: {type: duckdb, pth: x.duckdb}\n");
    SQLException e = assertThrows(SQLNonTransientConnectionException.class,
        () -> DriverManager.getConnection("jdbc:junction:config=" + file));
    assertTrue(e.getMessage().contains("source 'lake'") && e.getMessage().contains("pth"),
        e.getMessage());
  }

  @Test
  void currentUserIsTheConnectionsUser() throws Exception {
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, "sources:\n  mem: {type: duckdb, path: \":memory:\"}\n");
    Properties ana = new Properties();
    ana.setProperty("user", "ana");
    try (Connection a = DriverManager.getConnection("jdbc:junction:config=" + file, ana);
         Connection b = DriverManager.getConnection("jdbc:junction:config=" + file + ";user=bo");
         ResultSet ra = a.createStatement().executeQuery("SELECT CURRENT_USER");
         ResultSet rb = b.createStatement().executeQuery("VALUES CURRENT_USER")) {
      assertTrue(ra.next() && rb.next());
      assertEquals("ana", ra.getString(1));
      assertEquals("bo", rb.getString(1));
    }
  }

  /**
   * CURRENT_USER next to source work is Junction's caller, not the source's login: the
   * dynamic function is evaluated in Junction while the aggregate is still pushed.
   */
  @Test
  void currentUserIsNeverSentToASource() throws Exception {
    Properties ana = new Properties();
    ana.setProperty("user", "ana");
    try (Connection c = DriverManager.getConnection("jdbc:junction:demo", ana);
         RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      for (String table : List.of("shop.main.orders", "crm.main.customers")) {
        recorder.clear();
        long rows;
        try (ResultSet rs = c.createStatement().executeQuery("SELECT CURRENT_USER, COUNT(*)"
            + " FROM " + table)) {
          assertTrue(rs.next());
          assertEquals("ana", rs.getString(1), table);
          rows = rs.getLong(2);
          assertTrue(rows > 0, table);
        }
        String sent = String.join("\n", recorder.sent().stream()
            .map(RemoteSqlRecorder.Sent::sql).toList());
        assertTrue(sent.contains("COUNT(*)"), "the aggregate is pushed: " + sent);
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table
            + " WHERE CURRENT_USER = 'ana' AND CURRENT_DATE > DATE '2000-01-01'")) {
          assertTrue(rs.next());
          assertEquals(rows, rs.getLong(1), table);
        }
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table
            + " WHERE CURRENT_USER = 'bo'")) {
          assertTrue(rs.next());
          assertEquals(0, rs.getLong(1), table);
        }
        sent = String.join("\n", recorder.sent().stream()
            .map(RemoteSqlRecorder.Sent::sql).toList());
        assertFalse(sent.toUpperCase(java.util.Locale.ROOT).contains("CURRENT_"),
            "no session function reaches the source: " + sent);
      }
    }
  }

  @Test
  void inMemoryDuckDbSourceAnswersQueries() throws Exception {
    Path data = dir.resolve("exports");
    Files.createDirectories(data);
    Files.writeString(data.resolve("people.csv"), "id,name\n1,ada\n2,grace\n");
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, "sources:\n  files: {type: duckdb, path: \":memory:\", files: "
        + data + "}\n");
    try (Connection c = DriverManager.getConnection("jdbc:junction:config=" + file);
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT name FROM files.main.people WHERE id = 2")) {
      assertTrue(rs.next());
      assertEquals("grace", rs.getString(1));
    }
  }

  @Test
  void catalogProblemsReachTheCallerWithTheirLines() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, String.join("\n",
        "sources:",
        "  shop:",
        "    type: duckdb",
        "    pathh: /tmp/x.duckdb",
        "  crm:",
        "    type: nosuchtype",
        ""));
    SQLException e = assertThrows(SQLNonTransientConnectionException.class,
        () -> DriverManager.getConnection("jdbc:junction:config=" + file));
    assertEquals("HY000", e.getSQLState());
    assertTrue(e.getMessage().contains("3 problems"), e.getMessage());
    assertTrue(e.getMessage().contains("line 4: "), e.getMessage());
    assertTrue(e.getMessage().contains("line 6: "), e.getMessage());
    assertTrue(e.getMessage().contains("(did you mean 'path'?)"), e.getMessage());
    assertTrue(e.getMessage().contains("line 2: source 'shop', key 'path': missing"),
        e.getMessage());
  }
}
