package dev.junction.cli;

import dev.junction.driver.JunctionDriver;
import dev.junction.server.TestingJunctionServer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code junction cache invalidate}, in this process's catalog and on a running server, and
 * the result cache's figures in the server's {@code /metrics}; over a SQLite file source.
 */
class CacheCommandIT {
  @TempDir Path dir;
  private Path config;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeEach void catalog() throws Exception {
    Path db = dir.resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT)");
      st.execute("INSERT INTO orders VALUES (1, 'EU'), (2, 'US')");
    }
    config = dir.resolve("junction.yaml");
    Files.writeString(config, "sources:\n  app: {type: sqlite, path: \"" + db
        + "\", cache-ttl: 5m}\ncache: {max-bytes: 1MB}\naudit: {destination: none}\n");
  }

  private int run(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8).replace("\r", "");
  }

  private static int count(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT id, region FROM app.main.orders ORDER BY id")) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }

  @Test void invalidatesInThisProcess() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:junction:config=" + config)) {
      assertEquals(2, count(c));
      assertEquals(1, JunctionDriver.resultCacheStats(config).entries());
      assertEquals(0, run("cache", "invalidate", "--config", config.toString(), "app"),
          out() + err);
      assertEquals("invalidated 1 cached result of source app\n", out());
      assertEquals(0, JunctionDriver.resultCacheStats(config).entries());
      assertEquals(1, run("cache", "invalidate", "--config", config.toString(), "nope"));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("Source 'nope' not found"),
          err.toString(StandardCharsets.UTF_8));
    }
  }

  @Test void invalidatesOnAServerAndShowsInMetrics() throws Exception {
    try (TestingJunctionServer server = TestingJunctionServer.builder(dir).catalog(config)
        .start();
         Connection c = DriverManager.getConnection(server.url())) {
      assertEquals(2, count(c));
      assertEquals(2, count(c));
      assertTrue(server.metric("junction_result_cache_hits_total") >= 1);
      assertTrue(server.metric("junction_result_cache_misses_total") >= 1);
      assertEquals(1, server.metric("junction_result_cache_entries"));
      assertTrue(server.metric("junction_result_cache_bytes") > 0);
      assertEquals(0, server.metric("junction_result_cache_evictions_total"));
      String url = server.url().substring("jdbc:avatica:remote:url=".length())
          .replaceAll(";.*", "");
      assertEquals(0, run("cache", "invalidate", "--server", url), out() + err);
      assertEquals("invalidated 1 cached result\n", out());
      assertEquals(0, server.metric("junction_result_cache_entries"));
    }
  }
}
