package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.calcite.avatica.AvaticaSqlException;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error responses carry the classified message, SQLState and error code and an error id,
 * never a stack trace; the trace is in the server's log under that id. Failures come from
 * the stock Avatica client where it can send them, by hand otherwise.
 */
class ErrorResponsesIT {
  private static final String ANA_PASSWORD = "ana-Pa55word";
  private static final Pattern ERROR_ID = Pattern.compile("error id ([0-9a-f]{8})");
  @TempDir static Path dir;
  private static Path catalog;
  private static TestingJunctionServer server;
  private static RawAvatica raw;

  @BeforeAll static void start() throws Exception {
    Path files = Files.createDirectories(dir.resolve("exports"));
    Files.writeString(files.resolve("cities.csv"), "id,name\n1,Lyon\n2,Kyoto\n");
    catalog = dir.resolve("junction.yaml");
    Files.writeString(catalog, "sources:\n"
        + "  files: {type: duckdb, path: \":memory:\", files: " + files + "}\n"
        + "  down: {type: postgresql, url: \"jdbc:postgresql://127.0.0.1:1/nothing\"}\n",
        StandardCharsets.UTF_8);
    server = TestingJunctionServer.builder(dir).user("ana", ANA_PASSWORD).catalog(catalog)
        .start();
    raw = new RawAvatica(server, false);
  }

  @AfterAll static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test void unknownColumn() throws Exception {
    sqlErrorCarriesStateAndIdButNoTrace("SELECT nosuch FROM files.main.cities");
  }

  @Test void unknownTable() throws Exception {
    sqlErrorCarriesStateAndIdButNoTrace("SELECT * FROM files.main.nosuch");
  }

  @Test void unreachableSource() throws Exception {
    sqlErrorCarriesStateAndIdButNoTrace("SELECT * FROM down.public.t");
  }

  @Test void syntaxError() throws Exception {
    sqlErrorCarriesStateAndIdButNoTrace("SELEC 1");
  }

  /**
   * Runs {@code sql} in-process and through the server: the client gets the same SQLState
   * and message as in-process, plus an error id, and no trace; the log has the trace.
   */
  private static void sqlErrorCarriesStateAndIdButNoTrace(String sql) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "ana");
    SQLException local;
    try (Connection c = DriverManager.getConnection("jdbc:junction:config=" + catalog, p);
         Statement st = c.createStatement()) {
      local = assertThrows(SQLException.class, () -> st.executeQuery(sql).close());
    }
    SQLException remote;
    try (Connection c = server.connect("ana", ANA_PASSWORD); Statement st = c.createStatement()) {
      remote = assertThrows(SQLException.class, () -> st.executeQuery(sql).close());
    }
    String expectedState = local.getSQLState() == null ? "HY000" : local.getSQLState();
    assertEquals(expectedState, remote.getSQLState(), remote.getMessage());
    // (digits aside: a timeout's measured milliseconds differ between the two runs)
    assertTrue(remote.getMessage().replaceAll("[0-9]+", "#").contains(
        local.getMessage().replaceAll("[0-9]+", "#")),
        remote.getMessage() + "\nin-process: " + local.getMessage());
    AvaticaSqlException avatica = assertInstanceOf(AvaticaSqlException.class, remote);
    assertEquals(List.of(), avatica.getStackTraces());
    StringWriter printed = new StringWriter();
    remote.printStackTrace(new PrintWriter(printed));
    assertFalse(printed.toString().contains("JunctionHandler")
        || printed.toString().contains("ServerMeta") || printed.toString().contains("JdbcMeta")
        || printed.toString().contains("LocalService"),
        "no server frames reach the client:\n" + printed);
    assertLogged(id(remote.getMessage()), "request_failed", true);
  }

  @Test void malformedBodiesGet400WithAShortMessage() throws Exception {
    for (byte[] body : List.of("not protobuf at all".getBytes(StandardCharsets.UTF_8),
        new byte[] {10, 3, 'x'}, new byte[0])) {
      RawAvatica.Reply r = raw.sendBytes("ana", ANA_PASSWORD, body);
      assertEquals(400, r.status(), r.body());
      Service.ErrorResponse e = r.error();
      assertTrue(e.errorMessage.startsWith("malformed Avatica request"), e.errorMessage);
      assertEquals("08P01", e.sqlState);
      assertNoTrace(r);
      assertLogged(id(e.errorMessage), "malformed_request", false);
    }
  }

  @Test void internalErrorsSayOnlyWhereToLook() throws Exception {
    String c = "ana-" + UUID.randomUUID();
    raw.send("ana", ANA_PASSWORD, new Service.OpenConnectionRequest(c, Map.of()))
        .as(Service.OpenConnectionResponse.class);
    // An ExecuteRequest without a statement handle: not an SQL error, a server failure.
    RawAvatica.Reply r = raw.send("ana", ANA_PASSWORD, new Service.ExecuteRequest(null,
        List.of(), 10));
    assertEquals(500, r.status(), r.body());
    Service.ErrorResponse e = r.error();
    String id = id(e.errorMessage);
    assertEquals("internal error " + id + "; see the server log", e.errorMessage);
    assertEquals("XX000", e.sqlState);
    assertNoTrace(r);
    assertLogged(id, "request_failed", true);
  }

  @Test void aServerSideRefusalIsAnInternalErrorWithoutTrace() throws Exception {
    String c = "ana-" + UUID.randomUUID();
    raw.send("ana", ANA_PASSWORD, new Service.OpenConnectionRequest(c, Map.of()))
        .as(Service.OpenConnectionResponse.class);
    RawAvatica.Reply twice = raw.send("ana", ANA_PASSWORD, new Service.OpenConnectionRequest(
        c, Map.of()));
    assertEquals(500, twice.status(), twice.body());
    assertEquals("XX000", twice.error().sqlState);
    assertNoTrace(twice);
    assertLogged(id(twice.error().errorMessage), "request_failed", true);
  }

  private static void assertNoTrace(RawAvatica.Reply r) {
    if (r.response() instanceof Service.ErrorResponse e) {
      assertEquals(List.of(), e.exceptions);
    }
    assertFalse(r.body().contains("\tat "), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
  }

  private static String id(String message) {
    Matcher m = ERROR_ID.matcher(message);
    if (!m.find()) {
      Matcher internal = Pattern.compile("internal error ([0-9a-f]{8})").matcher(message);
      assertTrue(internal.find(), "no error id in: " + message);
      return internal.group(1);
    }
    return m.group(1);
  }

  /** The server logged {@code event} under {@code id}, with the trace when expected. */
  private static void assertLogged(String id, String event, boolean trace) {
    List<String> lines = server.events().stream().filter(e -> e.contains("error=" + id))
        .toList();
    assertEquals(1, lines.size(), "one log line for error " + id + ": "
        + String.join("\n", server.events()));
    assertTrue(lines.get(0).startsWith("event=" + event + " "), lines.get(0));
    assertTrue(lines.get(0).contains("user=ana"), lines.get(0));
    assertEquals(trace, lines.get(0).contains("\tat "), lines.get(0));
  }
}
