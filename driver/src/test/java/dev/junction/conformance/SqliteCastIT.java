package dev.junction.conformance;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A cast of text to a number is computed in Junction, not by SQLite: SQLite compares TEXT
 * with INTEGER by storage class, so without the cast {@code '1' = 1} is false and the
 * filter matched nothing (found by the access-policy attack suite), and with it SQLite
 * reads {@code 'x'} as 0 where Junction fails (found by the differential test).
 */
class SqliteCastIT {
  @Test void castOfTextToANumberRunsInJunction(@TempDir Path dir)
      throws Exception {
    Path lite = dir.resolve("c.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t(id INTEGER, code TEXT)");
      s.execute("INSERT INTO t VALUES (1, '1'), (2, '2'), (3, '1')");
    }
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(catalog, new CatalogFile().sqlite("lite", lite).yaml());
    try (Connection c = DriverManager.getConnection("jdbc:junction:config=" + catalog);
        Statement s = c.createStatement(); RemoteSqlRecorder sent = new RemoteSqlRecorder()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT COUNT(*) FROM lite.main.t WHERE CAST(code AS INTEGER) = 1")) {
        rs.next();
        assertEquals(2, rs.getInt(1));
      }
      String sql = sent.sent().get(0).sql();
      assertFalse(sql.contains("CAST"), sql);
    }
  }
}
