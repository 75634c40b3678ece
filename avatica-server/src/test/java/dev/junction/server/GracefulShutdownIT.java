package dev.junction.server;

import static dev.junction.server.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.server.auth.PasswordHasher;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM on the packaged server ({@code target/junction-cli.jar serve}, a separate
 * process): a query running at the time finishes within the grace period and the process
 * exits; with a short grace period a longer query is cut off and the process still exits.
 */
class GracefulShutdownIT {
  @TempDir static Path dir;
  private static TestingPostgreSqlServer pg;
  private static Path catalog;
  private static Path users;

  @BeforeAll static void data() throws Exception {
    pg = new TestingPostgreSqlServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".big AS"
        + " SELECT g AS x FROM generate_series(1, 6000) g");
    catalog = new CatalogFile().postgresql("pg", pg).write(dir);
    users = dir.resolve("users.txt");
    Files.writeString(users, "ana:" + PasswordHasher.hash("pw-ana-1".toCharArray()) + "\n",
        StandardCharsets.UTF_8);
  }

  @AfterAll static void cleanUp() throws SQLException {
    if (pg != null) {
      pg.close();
    }
  }

  /** The server as a child process. */
  private record Child(Process process, int port, Path log) {
    String url() {
      return "jdbc:avatica:remote:url=http://127.0.0.1:" + port
          + "/;serialization=protobuf;authentication=BASIC;avatica_user=ana;"
          + "avatica_password=pw-ana-1";
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }
  }

  private static Child start(String grace) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path settings = dir.resolve("server-" + grace + ".yaml");
    Files.writeString(settings, "auth: {users-file: " + users + "}\nshutdown-grace: " + grace
        + "\nframes: {rows: 1000}\n", StandardCharsets.UTF_8);
    Path jar = Path.of("target", "junction-cli.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "the packaged server jar " + jar + " (built by mvn package)");
    Path log = dir.resolve("server-" + grace + ".log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", jar.toString(), "serve", "--config", catalog.toString(),
        "--server-config", settings.toString(), "--port", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Child child = new Child(p, port, log);
    HttpClient http = HttpClient.newHttpClient();
    assertEventually("the server starts", Duration.ofSeconds(60), () -> {
      assertTrue(p.isAlive(), child.output());
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
    return child;
  }

  private static String query(int tables) {
    String t = "pg." + pg.namespace() + ".big";
    return tables == 2 ? "SELECT COUNT(*) FROM " + t + " a, " + t + " b WHERE a.x <> b.x"
        : "SELECT COUNT(*) FROM " + t + " a, " + t + " b, " + t + " c"
        + " WHERE a.x <> b.x AND b.x <> c.x";
  }

  @Test void sigtermLetsTheRunningQueryFinish() throws Exception {
    Child server = start("120s");
    ExecutorService client = Executors.newSingleThreadExecutor();
    Connection c = DriverManager.getConnection(server.url());
    try {
      Future<Long> count = client.submit(() -> {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query(2))) {
          rs.next();
          return rs.getLong(1);
        }
      });
      assertEventually("the query runs in PostgreSQL", Duration.ofSeconds(30),
          () -> CancelOnDisconnectIT.runningInPostgres(pg) == 1);
      server.process().destroy();
      assertEquals(6000L * 5999L, count.get(120, TimeUnit.SECONDS));
      c.close();
      assertTrue(server.process().waitFor(120, TimeUnit.SECONDS), "the server exits");
      String out = server.output();
      assertTrue(out.contains("event=server_draining"), out);
      assertTrue(out.contains("event=server_stopped"), out);
      assertFalse(out.contains("event=grace_period_expired"), out);
      assertFalse(out.contains("pw-ana-1"), out);
    } finally {
      client.shutdownNow();
      server.process().destroyForcibly();
    }
  }

  @Test void afterTheGracePeriodRunningQueriesAreCutOff() throws Exception {
    Child server = start("1s");
    ExecutorService client = Executors.newSingleThreadExecutor();
    Connection c = DriverManager.getConnection(server.url());
    try {
      Future<Long> count = client.submit(() -> {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query(3))) {
          rs.next();
          return rs.getLong(1);
        }
      });
      assertEventually("the query runs in PostgreSQL", Duration.ofSeconds(30),
          () -> CancelOnDisconnectIT.runningInPostgres(pg) == 1);
      server.process().destroy();
      assertTrue(server.process().waitFor(120, TimeUnit.SECONDS), "the server exits");
      ExecutionException cut = assertThrows(ExecutionException.class,
          () -> count.get(120, TimeUnit.SECONDS));
      assertTrue(cut.getCause() != null, ServerIT.chain(cut));
      String out = server.output();
      assertTrue(out.contains("event=grace_period_expired"), out);
      assertTrue(out.contains("event=server_stopped"), out);
    } finally {
      client.shutdownNow();
      server.process().destroyForcibly();
      CancelOnDisconnectIT.cancelLeftovers(pg);
      try {
        c.close();
      } catch (SQLException e) {
        // the server is gone
      }
    }
  }

  @Test void drainingRefusesNewWorkButLetsOpenResultsFinish() throws Exception {
    Child server = start("120s");
    try {
      Connection c = DriverManager.getConnection(server.url());
      Connection idle = DriverManager.getConnection(server.url());
      Statement st = c.createStatement();
      st.setFetchSize(500);
      ResultSet rs = st.executeQuery("SELECT x FROM pg." + pg.namespace() + ".big");
      assertTrue(rs.next());
      server.process().destroy();
      assertEventually("the server drains", Duration.ofSeconds(30),
          () -> server.output().contains("event=server_draining"));
      Exception refused = assertThrows(Exception.class, idle::createStatement);
      assertTrue(ServerIT.chain(refused).contains("shutting down"), ServerIT.chain(refused));
      int n = 1;
      while (rs.next()) {
        n++;
      }
      assertEquals(6000, n, "the open result set is fetched to the end while draining");
      rs.close();
      st.close();
      c.close();
      idle.close();
      assertTrue(server.process().waitFor(120, TimeUnit.SECONDS), "the server exits");
      assertFalse(server.output().contains("event=grace_period_expired"), server.output());
    } finally {
      server.process().destroyForcibly();
    }
  }
}
