package dev.junction.adapters.snowflake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NOT SNOWFLAKE: the real snowflake-jdbc talking plain HTTP to a local endpoint written
 * for this test (an HTTP handler below), which accepts any login, answers every statement
 * with one row (or, for a statement marked slow, only once its abort request arrived),
 * and records the request bodies. It shows what the adapter makes the driver send, which
 * only a server sees: the abort request of a cancel or timeout, the session statement of
 * {@link SnowflakeAdapter#prepareSession}, and the {@code QUERY_TAG} and
 * {@code STATEMENT_TIMEOUT_IN_SECONDS} that {@link SnowflakeAdapter#beforeExecute} sets
 * travelling as parameters of that one query request, not of the next one. Whether
 * Snowflake honours them is {@code SnowflakeLiveIT}'s to show.
 */
class SnowflakeStatementParametersIT {
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final List<String> aborts = new CopyOnWriteArrayList<>();
  /** Query texts the endpoint answers only once their abort request arrived. */
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final CountDownLatch aborted = new CountDownLatch(1);
  private final CountDownLatch holding = new CountDownLatch(1);
  private HttpServer server;
  private ExecutorService threads;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    threads = Executors.newCachedThreadPool();
    server.setExecutor(threads);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    aborted.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body = read(exchange);
    String response;
    if (path.startsWith("/session/v1/login-request")) {
      response = "{\"data\":{\"masterToken\":\"m\",\"token\":\"t\",\"validityInSeconds\":3600,"
          + "\"masterValidityInSeconds\":14400,\"displayUserName\":\"JUNCTION\","
          + "\"serverVersion\":\"9.0.0\",\"firstLogin\":false,\"healthCheckInterval\":45,"
          + "\"sessionId\":1,\"parameters\":[{\"name\":\"AUTOCOMMIT\",\"value\":true}],"
          + "\"sessionInfo\":{\"databaseName\":\"DB\",\"schemaName\":null,"
          + "\"warehouseName\":\"WH\",\"roleName\":\"R\"}},"
          + "\"code\":null,\"message\":null,\"success\":true}";
    } else if (path.startsWith("/queries/v1/abort-request")) {
      aborts.add(body);
      aborted.countDown();
      response = "{\"data\":null,\"code\":null,\"message\":null,\"success\":true}";
    } else if (path.startsWith("/queries/v1/query-request")
        && held.stream().anyMatch(body::contains)) {
      queries.add(body);
      holding.countDown();
      try {
        aborted.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // What Snowflake answers for a query its abort request stopped.
      response = "{\"data\":{\"queryId\":\"01b2c3d4-0000-0000-0000-000000000002\","
          + "\"sqlState\":\"57014\"},\"code\":\"000604\","
          + "\"message\":\"SQL execution canceled\",\"success\":false}";
    } else if (path.startsWith("/queries/v1/query-request")) {
      queries.add(body);
      response = "{\"data\":{\"parameters\":[],\"rowtype\":[{\"name\":\"X\",\"database\":\"\","
          + "\"schema\":\"\",\"table\":\"\",\"byteLength\":null,\"length\":null,"
          + "\"type\":\"fixed\",\"scale\":0,\"precision\":1,\"nullable\":false}],"
          + "\"rowset\":[[\"1\"]],\"total\":1,\"returned\":1,"
          + "\"queryId\":\"01b2c3d4-0000-0000-0000-000000000001\","
          + "\"finalDatabaseName\":\"DB\",\"finalSchemaName\":null,"
          + "\"finalWarehouseName\":\"WH\",\"finalRoleName\":\"R\",\"numberOfBinds\":0,"
          + "\"arrayBindSupported\":false,\"statementTypeId\":4096,\"version\":1,"
          + "\"sendResultTime\":0,\"queryResultFormat\":\"json\"},\"code\":null,"
          + "\"message\":\"successfully executed\",\"success\":true}";
    } else {
      response = "{\"data\":null,\"code\":null,\"message\":null,\"success\":true}";
    }
    byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String read(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    InputStream in = new ByteArrayInputStream(raw);
    if (encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("gzip")) {
      in = new GZIPInputStream(in);
    }
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private Connection connect() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "JUNCTION");
    p.setProperty("password", "x");
    p.setProperty("db", "DB");
    p.setProperty("loginTimeout", "10");
    p.setProperty("networkTimeout", "10000");
    p.setProperty("disablePlatformDetection", "true");
    return DriverManager.getConnection("jdbc:snowflake://127.0.0.1:"
        + server.getAddress().getPort() + "/?ssl=off", p);
  }

  /**
   * {@code Statement.cancel()}, which is how Junction stops a Snowflake statement (the
   * adapter keeps the JDBC canceller), sends the abort request for the running query
   * while {@code executeQuery} waits, and the query ends as cancelled ({@code 57014}).
   */
  @Test
  void cancelSendsTheAbortRequestForTheRunningQuery() throws Exception {
    held.add("SLOW_ONE");
    try (Connection c = connect(); Statement st = c.createStatement()) {
      Future<SQLException> outcome = threads.submit(() -> {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) AS SLOW_ONE FROM T")) {
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      assertTrue(holding.await(30, TimeUnit.SECONDS), "the query never reached the endpoint");
      st.cancel();
      SQLException e = outcome.get(30, TimeUnit.SECONDS);
      assertNotNull(e, "the cancelled query returned rows");
      assertEquals("57014", e.getSQLState(), e.toString());
    }
    assertEquals(1, aborts.size(), aborts.toString());
    assertTrue(aborts.get(0).contains("SLOW_ONE"), aborts.get(0));
  }

  /**
   * A query timeout ends the query the same way: snowflake-jdbc's own timer sends the
   * abort request (and Snowflake also gets {@code STATEMENT_TIMEOUT_IN_SECONDS}).
   */
  @Test
  void aQueryTimeoutSendsTheAbortRequest() throws Exception {
    held.add("SLOW_TWO");
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.setQueryTimeout(1);
      new SnowflakeAdapter().beforeExecute(st, "q");
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT COUNT(*) AS SLOW_TWO FROM T").close());
      assertEquals("57014", e.getSQLState(), e.toString());
    }
    assertEquals(1, aborts.size(), aborts.toString());
    assertTrue(aborts.get(0).contains("SLOW_TWO"), aborts.get(0));
  }

  @Test
  void theSessionStatementIsSentAsWritten() throws Exception {
    try (Connection c = connect()) {
      new SnowflakeAdapter().prepareSession(c);
    }
    assertEquals(1, queries.size(), queries.toString());
    assertTrue(queries.get(0).contains("ALTER SESSION SET MULTI_STATEMENT_COUNT = 1"),
        queries.get(0));
  }

  @Test
  void queryTagAndTimeoutTravelWithTheirStatementOnly() throws Exception {
    SnowflakeAdapter adapter = new SnowflakeAdapter();
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.setQueryTimeout(7);
      adapter.beforeExecute(st, "1c808799-8f2d-42e1-94c0-80c431d95f90");
      try (ResultSet rs = st.executeQuery("SELECT 1 AS X")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
      try (Statement next = c.createStatement(); ResultSet rs = next.executeQuery("SELECT 2")) {
        assertTrue(rs.next());
      }
    }
    assertEquals(2, queries.size(), queries.toString());
    String tagged = queries.get(0).replace(" ", "");
    assertTrue(tagged.contains(
        "\"QUERY_TAG\":\"junction:1c808799-8f2d-42e1-94c0-80c431d95f90\""), tagged);
    assertTrue(tagged.contains("\"STATEMENT_TIMEOUT_IN_SECONDS\":7"), tagged);
    assertFalse(queries.get(1).contains("QUERY_TAG"), queries.get(1));
    assertFalse(queries.get(1).contains("STATEMENT_TIMEOUT_IN_SECONDS"), queries.get(1));
  }
}
