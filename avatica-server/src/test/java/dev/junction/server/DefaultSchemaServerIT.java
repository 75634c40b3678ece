package dev.junction.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thin client (the stock Avatica driver, as DBeaver uses it without source credentials)
 * sets the default catalog and schema, which the server applies to its Junction
 * connection.
 */
class DefaultSchemaServerIT {
  @TempDir Path dir;

  @Test void setCatalogAndSchemaReachTheServersConnection() throws Exception {
    Path lake = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE items (id INTEGER)");
      st.execute("INSERT INTO items VALUES (1), (2)");
    }
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, "sources:\n  files: {type: duckdb, path: \":memory:\"}\n"
        + "  lake: {type: duckdb, path: \"" + lake + "\"}\n", StandardCharsets.UTF_8);
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1")
        .catalog(file).start();
         Connection c = s.connect("ana", "pw-ana-1")) {
      assertEquals("files", c.getCatalog());
      c.setCatalog("lake");
      c.setSchema("main");
      assertEquals("lake", c.getCatalog());
      assertEquals("main", c.getSchema());
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM items")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
      }
      // The stock Avatica client answers getUserName itself, from its own "user" property
      // (null here: it logged in with avatica_user); the server knows the caller.
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT CURRENT_USER")) {
        assertTrue(rs.next());
        assertEquals("ana", rs.getString(1));
      }
      // The stock client sends connection properties with its next request, so an
      // unknown source is reported there, as Avatica's unchecked client exception.
      c.setCatalog("laek");
      RuntimeException e = assertThrows(RuntimeException.class, c::createStatement);
      assertTrue(e.getMessage().contains("Source 'laek' not found (did you mean 'lake'?)"),
          e.getMessage());
    }
  }
}
