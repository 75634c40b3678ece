package dev.junction.adapters.duckdb;

import org.duckdb.DuckDBConnection;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How {@link DuckDbDataSource} pools duplicate connections per session setting. */
class DuckDbDataSourceTest {
  private static final String WHOLE = DuckDbDialect.INSTANCE.wholeResultSession();

  private static DuckDbDataSource memory() {
    Properties p = new Properties();
    p.setProperty("jdbc_stream_results", "true");
    return new DuckDbDataSource("lake", ":memory:", null, true, p);
  }

  private static String streaming(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_setting('jdbc_stream_results')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aConnectionIsReusedNotDuplicatedPerStatement() throws SQLException {
    try (DuckDbDataSource ds = memory()) {
      DuckDBConnection first;
      try (Connection c = ds.getConnection()) {
        first = c.unwrap(DuckDBConnection.class);
      }
      try (Connection c = ds.getConnection()) {
        assertSame(first, c.unwrap(DuckDBConnection.class));
      }
    }
  }

  @Test
  void wholeResultConnectionsKeepTheirSettingAndNeverServeStreamingStatements()
      throws SQLException {
    try (DuckDbDataSource ds = memory()) {
      DuckDBConnection whole;
      try (Connection c = ds.getConnection(WHOLE)) {
        whole = c.unwrap(DuckDBConnection.class);
        assertEquals("false", streaming(c));
      }
      try (Connection c = ds.getConnection()) {
        assertNotSame(whole, c.unwrap(DuckDBConnection.class));
        assertEquals("true", streaming(c));
      }
      try (Connection c = ds.getConnection(WHOLE)) {
        assertSame(whole, c.unwrap(DuckDBConnection.class));
        assertEquals("false", streaming(c));
      }
    }
  }

  @Test
  void theInMemoryDatabaseLivesAsLongAsTheSource() throws SQLException {
    try (DuckDbDataSource ds = memory()) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t AS SELECT 42 AS x");
      }
      try (Connection c = ds.getConnection(WHOLE); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT x FROM t")) {
        rs.next();
        assertEquals(42, rs.getInt(1));
      }
    }
  }

  @Test
  void aClosedSourceHandsOutNothing() throws Exception {
    Path file = Files.createTempFile("junction-duckdb", ".duckdb");
    Files.delete(file);
    DuckDbDataSource ds = new DuckDbDataSource("lake", file.toString(), null, false,
        new Properties());
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x INTEGER)");
    }
    ds.close();
    SQLException e = assertThrows(SQLException.class, ds::getConnection);
    assertEquals("08003", e.getSQLState());
    Files.deleteIfExists(file);
  }
}
