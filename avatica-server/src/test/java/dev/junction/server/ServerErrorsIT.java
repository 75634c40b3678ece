package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The driver's classified errors reach the stock Avatica remote client through the
 * server: the SQLState the README's error table documents, and the driver's message
 * (after the client's own {@code Error while executing SQL "..."} prefix). Needs the
 * server to pass the SQLException's state and message on (its ErrorResponses); Avatica's
 * stock handler sends {@code 00000} and the exception's causal chain instead.
 */
class ServerErrorsIT {
  private static final String PASSWORD = "pw-ana-errors-1";
  @TempDir static Path dir;
  private static TestingPostgreSqlServer pg;
  private static TestingJunctionServer server;
  private static String t;

  @BeforeAll static void start() throws Exception {
    pg = new TestingPostgreSqlServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".t (id int PRIMARY KEY, v text)",
        "INSERT INTO " + pg.namespace() + ".t VALUES (1, 'a')");
    Path catalog = new CatalogFile().postgresql("sales", pg).write(dir);
    server = TestingJunctionServer.builder(dir).user("ana", PASSWORD).catalog(catalog).start();
    t = "sales." + pg.namespace() + ".t";
  }

  @AfterAll static void stop() throws SQLException {
    if (server != null) {
      server.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  /** Runs {@code action}, which must fail with {@code state} and carry {@code message}. */
  private static SQLException fails(String state, String message, Executable action) {
    SQLException e = assertThrows(SQLException.class, action);
    assertEquals(state, e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    return e;
  }

  private static Executable query(Statement st, String sql) {
    return () -> {
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          rs.getObject(1);
        }
      }
    };
  }

  @Test void syntaxError() throws Exception {
    try (Connection c = server.connect("ana", PASSWORD); Statement st = c.createStatement()) {
      fails("42601", "SQL syntax error: ", query(st, "SELECT * FROM WHERE"));
    }
  }

  @Test void unknownTableAndColumn() throws Exception {
    try (Connection c = server.connect("ana", PASSWORD); Statement st = c.createStatement()) {
      fails("42P01", "Object 'nosuchtable' not found within",
          query(st, "SELECT * FROM sales." + pg.namespace() + ".nosuchtable"));
      fails("42703", "Column 'nosuchcolumn' not found in any table",
          query(st, "SELECT nosuchcolumn FROM " + t));
    }
  }

  @Test void writesAreReadOnlyViolations() throws Exception {
    try (Connection c = server.connect("ana", PASSWORD); Statement st = c.createStatement()) {
      fails("42501", "Junction is read-only: INSERT statements are not supported",
          () -> st.executeUpdate("INSERT INTO " + t + " VALUES (2, 'b')"));
      // The stock client's prepareStatement replaces the server's message with its own
      // "while preparing SQL: ..."; the SQLState arrives.
      fails("42501", "while preparing SQL: DELETE",
          () -> c.prepareStatement("DELETE FROM " + t + " WHERE id = ?"));
    }
  }

  @Test void aFailedCastInTheSourceNamesTheSource() throws Exception {
    try (Connection c = server.connect("ana", PASSWORD); Statement st = c.createStatement()) {
      fails("22018", "source 'sales' (postgresql) could not compute the query on its data",
          query(st, "SELECT CAST(v AS INTEGER) FROM " + t));
    }
  }

  @Test void theConnectionStaysUsable() throws Exception {
    try (Connection c = server.connect("ana", PASSWORD); Statement st = c.createStatement()) {
      fails("42601", "SQL syntax error", query(st, "SELEC 1"));
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t)) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
    }
  }
}
