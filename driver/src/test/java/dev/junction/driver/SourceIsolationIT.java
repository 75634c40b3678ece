package dev.junction.driver;

import dev.junction.spi.SourceStatus;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failing source fails only the queries that name it. Each case takes one of four
 * sources (PostgreSQL, MariaDB, DuckDB, SQLite) down, puts it first in the catalog (where
 * it used to be the default schema every name was looked up in) and runs queries on the
 * other three, alone and joined, before and after a query on the broken one; the broken
 * one fails with its class of SQLState, naming the source and where it is. The shared
 * servers stay up: a source is "down" by pointing it at a refused port, a role that does
 * not exist, a socket that accepts and never answers, or a file that is not a database.
 *
 * <p>The silent socket also counts connections: healthy queries must open none, so name
 * resolution provably never touches a source a query does not name. (A login abandoned
 * at its timeout may go on in the driver's thread: pgjdbc retries without TLS after its
 * own SSL response timeout, so each check counts on its own socket or before the
 * broken source is first used.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SourceIsolationIT {
  /** The catalogs' connect timeout; a failure that cannot pass must come well before it. */
  private static final int CONNECT_TIMEOUT_SECONDS = 3;
  private static final String PASSWORD = "isolation-secret-7Q";

  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path duck;
  static Path lite;
  static Path notADatabase;
  static Silent silent;
  static int refusedPort;

  /** A port that accepts connections and never says a word, counting them. */
  static final class Silent implements AutoCloseable {
    final ServerSocket server;
    final AtomicInteger accepted = new AtomicInteger();
    final List<Socket> held = new CopyOnWriteArrayList<>();
    final Thread acceptor;

    Silent() throws IOException {
      server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            held.add(server.accept());
            accepted.incrementAndGet();
          } catch (IOException e) {
            return;
          }
        }
      }, "silent-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override public void close() throws IOException {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".accounts (id INTEGER, region TEXT)",
        "INSERT INTO " + pg.namespace() + ".accounts VALUES (1, 'eu'), (2, 'us'), (3, 'eu')");
    maria.execute("CREATE TABLE tickets (id INTEGER, account_id INTEGER)",
        "INSERT INTO tickets VALUES (10, 1), (11, 1), (12, 3), (13, 2)");
    duck = dir.resolve("lake.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE events (account_id INTEGER, kind VARCHAR)");
      st.execute("INSERT INTO events VALUES (1, 'login'), (2, 'login'), (2, 'logout')");
    }
    lite = dir.resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE notes (account_id INTEGER, body TEXT)");
      st.execute("INSERT INTO notes VALUES (3, 'call back'), (1, 'vip')");
    }
    notADatabase = dir.resolve("not-a-database.bin");
    Files.writeString(notADatabase, "this file is not a database\n".repeat(400),
        StandardCharsets.UTF_8);
    silent = new Silent();
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      refusedPort = s.getLocalPort();
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    try (AutoCloseable a = pg; AutoCloseable b = maria; AutoCloseable c = silent) {
      // closes all three, whichever fails
    }
  }

  /** One way a source is down, and what its query must report. */
  record Down(String source, String how, Map<String, Object> settings, String sqlState,
      String location, String says) {
    @Override public String toString() {
      return source + " " + how;
    }
  }

  static Stream<Arguments> cases() {
    String pgHost = hostAndPort(pg.jdbcUrl());
    List<Down> cases = new ArrayList<>();
    cases.add(new Down("pg", "role that does not exist", Map.of("type", "postgresql",
        "url", pg.jdbcUrl(), "user", "junction_nobody", "password", PASSWORD),
        "08004", pgHost, "refused the login"));
    cases.add(new Down("pg", "refused port", Map.of("type", "postgresql",
        "url", "jdbc:postgresql://127.0.0.1:" + refusedPort + "/test", "user", pg.user()),
        "08001", "127.0.0.1:" + refusedPort, "nothing accepts connections"));
    cases.add(new Down("pg", "silent port", Map.of("type", "postgresql",
        "url", "jdbc:postgresql://127.0.0.1:" + silent.port() + "/test", "user", pg.user()),
        "08001", "127.0.0.1:" + silent.port(), "no answer"));
    cases.add(new Down("my", "user that does not exist", Map.of("type", "mysql",
        "url", maria.jdbcUrl(), "user", "junction_nobody", "password", PASSWORD),
        "08004", hostAndPort(maria.jdbcUrl()), "refused the login"));
    cases.add(new Down("my", "refused port", Map.of("type", "mysql",
        "url", "jdbc:mariadb://127.0.0.1:" + refusedPort + "/test", "user", maria.user()),
        "08001", "127.0.0.1:" + refusedPort, "nothing accepts connections"));
    cases.add(new Down("duck", "file that is not a database", Map.of("type", "duckdb",
        "path", notADatabase.toString()), "08001", notADatabase.toString(), "cannot open"));
    cases.add(new Down("lite", "file that is not a database", Map.of("type", "sqlite",
        "path", notADatabase.toString()), "08001", notADatabase.toString(), "cannot open"));
    return cases.stream().map(Arguments::of);
  }

  /** The {@code host:port} of a test server's URL, which names its port. */
  private static String hostAndPort(String url) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("//([^/?]+)").matcher(url);
    assertTrue(m.find(), url);
    return m.group(1);
  }

  private static Map<String, Map<String, Object>> healthy() {
    Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
    sources.put("pg", Map.of("type", "postgresql", "url", pg.jdbcUrl(), "user", pg.user(),
        "password", pg.password()));
    sources.put("my", Map.of("type", "mysql", "url", maria.jdbcUrl(), "user", maria.user(),
        "password", maria.password()));
    sources.put("duck", Map.of("type", "duckdb", "path", duck.toString()));
    sources.put("lite", Map.of("type", "sqlite", "path", lite.toString()));
    return sources;
  }

  /** A query on each source, and its answer. */
  private static Map<String, String> queries() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("pg", "SELECT COUNT(*) FROM pg." + pg.namespace() + ".accounts");
    q.put("my", "SELECT COUNT(*) FROM my." + maria.namespace() + ".tickets");
    q.put("duck", "SELECT COUNT(*) FROM duck.main.events");
    q.put("lite", "SELECT COUNT(*) FROM lite.main.notes");
    return q;
  }

  private static final Map<String, Long> COUNTS =
      Map.of("pg", 3L, "my", 4L, "duck", 3L, "lite", 2L);

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aDownSourceFailsOnlyItsOwnQueries(Down down) throws Exception {
    Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
    Map<String, Object> broken = new LinkedHashMap<>(down.settings());
    if (broken.containsKey("url")) {
      broken.put("connect-timeout", CONNECT_TIMEOUT_SECONDS + "s");
    }
    sources.put(down.source(), broken);
    healthy().forEach((name, settings) -> sources.putIfAbsent(name, settings));
    CatalogFile file = new CatalogFile();
    sources.forEach(file::source);
    Path catalog = file.write(Files.createTempDirectory(dir, "catalog"));
    int acceptedBefore = silent.accepted.get();
    List<String> others = queries().keySet().stream()
        .filter(s -> !s.equals(down.source())).toList();
    try (Connection c = CatalogFile.connect(catalog)) {
      for (String s : others) {
        assertEquals(COUNTS.get(s), count(c, queries().get(s)), s);
      }
      assertEquals(joined(others), count(c, join(others.get(0), others.get(1))),
          "a join of two healthy sources");
      if (down.how().equals("silent port")) {
        assertEquals(acceptedBefore, silent.accepted.get(), "no healthy query reached it");
      }

      long start = System.nanoTime();
      SQLException e = assertThrows(SQLException.class,
          () -> count(c, queries().get(down.source())));
      long millis = (System.nanoTime() - start) / 1_000_000;
      String m = e.getMessage();
      assertEquals(down.sqlState(), e.getSQLState(), m);
      assertTrue(m.startsWith("source '" + down.source() + "' ("), m);
      assertTrue(m.contains(down.location()), m);
      assertTrue(m.contains(down.says()), m);
      assertTrue(m.contains(". Check "), "says what to check: " + m);
      assertFalse(m.contains(PASSWORD), m);
      assertFalse(m.contains("total=") || m.contains("Connection is not available"), m);
      assertFalse(m.contains("SSL"), m);
      if (!down.how().equals("silent port")) {
        assertTrue(millis < CONNECT_TIMEOUT_SECONDS * 1000L,
            "a failure that cannot pass is reported without waiting: " + millis + " ms");
      }

      for (String s : others) {
        assertEquals(COUNTS.get(s), count(c, queries().get(s)), s + " after the failure");
      }
      Map<String, SourceStatus> status = c.unwrap(JunctionConnection.class).sourceStatus();
      SourceStatus failed = status.get(down.source());
      assertEquals(SourceStatus.Reachability.DOWN, failed.reachability(), failed.toString());
      String last = failed.lastError().orElseThrow();
      assertTrue(last.startsWith("source '" + down.source() + "' (") && last.contains(
          down.says()), last);
      assertFalse(last.contains(PASSWORD), last);
      assertTrue(failed.lastErrorAt().isPresent());
      for (String s : others) {
        assertEquals(SourceStatus.Reachability.UP, status.get(s).reachability(), s);
        assertTrue(status.get(s).lastError().isEmpty(), s);
      }
      assertEquals(8, status.get(down.source().equals("pg") ? "my" : "pg").pool()
          .orElseThrow().max(), "server sources pool");
    }
    if (down.how().equals("silent port")) {
      assertTrue(silent.accepted.get() > acceptedBefore, "the broken source's query tried it");
    }
  }

  /** The silent port is never reached by queries that do not name its source. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("silentFirst")
  void resolutionNeverConnectsToASourceTheQueryDoesNotName(String query) throws Exception {
    try (Silent quiet = new Silent()) {
      CatalogFile file = new CatalogFile().source("quiet", Map.of("type", "postgresql",
          "url", "jdbc:postgresql://127.0.0.1:" + quiet.port() + "/test", "user", "x",
          "connect-timeout", "1s"));
      healthy().forEach(file::source);
      Path catalog = file.write(Files.createTempDirectory(dir, "quiet"));
      try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(query)) {
        assertTrue(rs.next());
        c.getMetaData().getTables("my", null, "%", null).close();
      }
      assertEquals(0, quiet.accepted.get(), query);
    }
  }

  static Stream<String> silentFirst() {
    return Stream.of("VALUES 1",
        "SELECT COUNT(*) FROM my." + maria.namespace() + ".tickets",
        "SELECT COUNT(*) FROM duck.main.events e JOIN lite.main.notes n"
            + " ON e.account_id = n.account_id",
        "SELECT COUNT(*) FROM \"MY\"." + maria.namespace() + ".\"TICKETS\"");
  }

  private static String join(String a, String b) {
    return "SELECT COUNT(*) FROM " + table(a) + " x JOIN " + table(b)
        + " y ON x." + key(a) + " = y." + key(b);
  }

  private static String table(String source) {
    return switch (source) {
      case "pg" -> "pg." + pg.namespace() + ".accounts";
      case "my" -> "my." + maria.namespace() + ".tickets";
      case "duck" -> "duck.main.events";
      default -> "lite.main.notes";
    };
  }

  private static String key(String source) {
    return source.equals("pg") ? "id" : "account_id";
  }

  /** The expected size of the join of the first two sources' tables. */
  private static long joined(List<String> sources) {
    Map<String, List<Integer>> keys = Map.of("pg", List.of(1, 2, 3), "my", List.of(1, 1, 3, 2),
        "duck", List.of(1, 2, 2), "lite", List.of(3, 1));
    long n = 0;
    for (int x : keys.get(sources.get(0))) {
      for (int y : keys.get(sources.get(1))) {
        if (x == y) {
          n++;
        }
      }
    }
    return n;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }
}
