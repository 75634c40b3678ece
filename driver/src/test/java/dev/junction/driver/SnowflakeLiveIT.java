package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Junction against a real Snowflake account, when one is given in the environment:
 * {@code SNOWFLAKE_ACCOUNT}, {@code SNOWFLAKE_USER}, {@code SNOWFLAKE_PASSWORD} or
 * {@code SNOWFLAKE_PRIVATE_KEY_FILE} (with {@code SNOWFLAKE_PRIVATE_KEY_PASSPHRASE} if
 * encrypted), {@code SNOWFLAKE_WAREHOUSE}, {@code SNOWFLAKE_DATABASE}, optionally
 * {@code SNOWFLAKE_ROLE}. Otherwise every test is skipped, with the reason in the report.
 *
 * <p>It creates a schema of its own ({@code JUNCTION_IT_<random>}, dropped afterwards) in
 * the database and checks: discovery (the schema and its table, INFORMATION_SCHEMA hidden,
 * Snowflake's types), a pushed aggregate (one remote statement, the same answer as
 * Snowflake's own), the QUERY_TAG of the remote statement in QUERY_HISTORY, and that cancel
 * and query timeout end the query in Snowflake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "credentialsPresent", disabledReason = "no Snowflake account in the"
    + " environment: set SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PASSWORD or"
    + " SNOWFLAKE_PRIVATE_KEY_FILE, SNOWFLAKE_WAREHOUSE and SNOWFLAKE_DATABASE (README,"
    + " Snowflake section)")
class SnowflakeLiveIT {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeLiveIT.class);
  private static final String SOURCE = "sf";
  private static final int ROWS = 10_000;

  private final Map<String, String> env = System.getenv();
  private String schema;
  private Connection direct;
  private Connection junction;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    schema = "JUNCTION_IT_" + Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT);
    direct = DriverManager.getConnection("jdbc:snowflake://" + env.get("SNOWFLAKE_ACCOUNT")
        + ".snowflakecomputing.com/", directProperties());
    try (Statement st = direct.createStatement()) {
      st.setQueryTimeout(120);
      st.execute("CREATE SCHEMA \"" + schema + "\"");
      st.execute("CREATE TABLE \"" + schema + "\".ORDERS (ID NUMBER(38, 0), STATUS VARCHAR,"
          + " AMOUNT NUMBER(10, 2), PLACED DATE, SHIPPED TIMESTAMP_NTZ, NOTE VARIANT)");
      st.execute("INSERT INTO \"" + schema + "\".ORDERS SELECT SEQ4(),"
          + " ARRAY_CONSTRUCT('open', 'shipped', 'returned')[UNIFORM(0, 2, RANDOM())]::VARCHAR,"
          + " UNIFORM(1, 100000, RANDOM()) / 100, DATEADD(DAY, SEQ4() % 365, '2024-01-01'),"
          + " NULL, PARSE_JSON('{\"a\": 1}') FROM TABLE(GENERATOR(ROWCOUNT => " + ROWS + "))");
    }
    Map<String, Object> settings = new HashMap<>();
    settings.put("type", "snowflake");
    settings.put("account", env.get("SNOWFLAKE_ACCOUNT"));
    settings.put("user", env.get("SNOWFLAKE_USER"));
    settings.put("warehouse", env.get("SNOWFLAKE_WAREHOUSE"));
    settings.put("database", env.get("SNOWFLAKE_DATABASE"));
    if (env.get("SNOWFLAKE_ROLE") != null) {
      settings.put("role", env.get("SNOWFLAKE_ROLE"));
    }
    if (env.get("SNOWFLAKE_PASSWORD") != null) {
      settings.put("password", "${env:SNOWFLAKE_PASSWORD}");
    } else {
      settings.put("private-key-file", env.get("SNOWFLAKE_PRIVATE_KEY_FILE"));
      if (env.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE") != null) {
        settings.put("private-key-passphrase", "${env:SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}");
      }
    }
    settings.put("connect-timeout", "30s");
    settings.put("include", schema);
    junction = CatalogFile.connect(new CatalogFile().source(SOURCE, settings).write(dir));
  }

  /** Whether the environment names an account to test against; logs what is missing. */
  static boolean credentialsPresent() {
    Map<String, String> env = System.getenv();
    List<String> missing = new ArrayList<>();
    for (String name : List.of("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_WAREHOUSE",
        "SNOWFLAKE_DATABASE")) {
      if (env.get(name) == null) {
        missing.add(name);
      }
    }
    if (env.get("SNOWFLAKE_PASSWORD") == null && env.get("SNOWFLAKE_PRIVATE_KEY_FILE") == null) {
      missing.add("SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_FILE");
    }
    if (!missing.isEmpty()) {
      LOG.warn("SnowflakeLiveIT skipped: no Snowflake account in the environment (missing {})",
          String.join(", ", missing));
    }
    return missing.isEmpty();
  }

  private Properties directProperties() {
    Properties p = new Properties();
    p.setProperty("user", env.get("SNOWFLAKE_USER"));
    p.setProperty("warehouse", env.get("SNOWFLAKE_WAREHOUSE"));
    p.setProperty("db", env.get("SNOWFLAKE_DATABASE"));
    p.setProperty("loginTimeout", "30");
    p.setProperty("networkTimeout", "120000");
    if (env.get("SNOWFLAKE_ROLE") != null) {
      p.setProperty("role", env.get("SNOWFLAKE_ROLE"));
    }
    if (env.get("SNOWFLAKE_PASSWORD") != null) {
      p.setProperty("password", env.get("SNOWFLAKE_PASSWORD"));
    } else {
      p.setProperty("authenticator", "SNOWFLAKE_JWT");
      p.setProperty("private_key_file", env.get("SNOWFLAKE_PRIVATE_KEY_FILE"));
      if (env.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE") != null) {
        p.setProperty("private_key_file_pwd", env.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"));
      }
    }
    return p;
  }

  @AfterAll
  void tearDown() throws Exception {
    try (AutoCloseable j = junction; AutoCloseable d = direct) {
      if (direct != null) {
        try (Statement st = direct.createStatement()) {
          st.setQueryTimeout(120);
          st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
      }
    }
  }

  private String table() {
    return SOURCE + ".\"" + schema + "\".ORDERS";
  }

  @Test
  void discoversTheSchemaItsTableAndSnowflakesTypes() throws Exception {
    DatabaseMetaData md = junction.getMetaData();
    List<String> schemas = new ArrayList<>();
    try (ResultSet rs = md.getSchemas(null, SOURCE + "%")) {
      while (rs.next()) {
        schemas.add(rs.getString("TABLE_SCHEM"));
      }
    }
    assertTrue(schemas.stream().anyMatch(s -> s.endsWith(schema)), schemas.toString());
    assertFalse(schemas.stream().anyMatch(s -> s.toUpperCase(Locale.ROOT)
        .endsWith("INFORMATION_SCHEMA")), schemas.toString());
    Map<String, String> types = new HashMap<>();
    try (Statement st = junction.createStatement();
         ResultSet rs = st.executeQuery("SELECT * FROM " + table() + " WHERE ID < 0")) {
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        types.put(rs.getMetaData().getColumnName(i), rs.getMetaData().getColumnTypeName(i));
      }
    }
    assertEquals(Map.of("ID", "DECIMAL", "STATUS", "VARCHAR", "AMOUNT", "DECIMAL",
        "PLACED", "DATE", "SHIPPED", "TIMESTAMP", "NOTE", "VARCHAR"), types);
  }

  @Test
  void anAggregateIsPushedWholeAndTaggedWithTheJunctionQueryId() throws Exception {
    String sql = "SELECT STATUS, COUNT(*), SUM(AMOUNT) FROM " + table()
        + " WHERE STATUS LIKE '%e%' GROUP BY STATUS ORDER BY STATUS";
    List<List<Object>> rows;
    List<String> sent;
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      rows = rows(junction, sql);
      sent = recorder.sentTo(SOURCE);
    }
    assertEquals(1, sent.size(), sent.toString());
    assertTrue(sent.get(0).contains("GROUP BY"), sent.get(0));
    assertEquals(rows(direct, "SELECT STATUS, COUNT(*), SUM(AMOUNT) FROM \"" + schema
        + "\".ORDERS WHERE STATUS LIKE '%e%' GROUP BY STATUS ORDER BY STATUS"), rows);
    rows(junction, sql);
    List<String> tags = new ArrayList<>();
    try (PreparedStatement ps = direct.prepareStatement("SELECT QUERY_TAG FROM TABLE("
        + "INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1000)) WHERE QUERY_TEXT = ?"
        + " ORDER BY START_TIME")) {
      ps.setQueryTimeout(120);
      ps.setString(1, sent.get(0));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tags.add(rs.getString(1));
        }
      }
    }
    assertEquals(2, tags.size(), tags.toString());
    for (String tag : tags) {
      assertTrue(tag.matches("junction:[0-9a-f-]{36}"), tag);
    }
    assertNotEquals(tags.get(0), tags.get(1), "each Junction query has its own id");
  }

  /** A query that runs for minutes on any warehouse size: a three-way cross join. */
  private String slowQuery(String marker) {
    return "SELECT COUNT(*) FROM " + table() + " a, " + table() + " b, " + table() + " c"
        + " WHERE a.AMOUNT + b.AMOUNT + c.AMOUNT > 0 AND a.STATUS <> '" + marker + "'";
  }

  @Test
  void cancelEndsTheQueryInSnowflake() throws Exception {
    String marker = "cancel-" + System.nanoTime();
    AtomicReference<Statement> running = new AtomicReference<>();
    CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
      try (Statement st = junction.createStatement()) {
        running.set(st);
        st.executeQuery(slowQuery(marker)).close();
        return null;
      } catch (SQLException e) {
        return e;
      }
    });
    awaitRunning(marker);
    running.get().cancel();
    SQLException e = outcome.get(5, TimeUnit.MINUTES);
    assertTrue(e != null && "57014".equals(e.getSQLState()), String.valueOf(e));
    assertEndedInSnowflake(marker);
  }

  @Test
  void aQueryTimeoutEndsTheQueryInSnowflake() throws Exception {
    String marker = "timeout-" + System.nanoTime();
    try (Statement st = junction.createStatement()) {
      st.setQueryTimeout(5);
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery(slowQuery(marker)).close());
      assertEquals("57014", e.getSQLState(), e.toString());
    }
    assertEndedInSnowflake(marker);
  }

  /** Waits (bounded) until the statement with {@code marker} runs in Snowflake. */
  private void awaitRunning(String marker) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (!statuses(marker).isEmpty()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the query never showed in QUERY_HISTORY");
  }

  /** Waits (bounded) until Snowflake reports the statement with {@code marker} ended. */
  private void assertEndedInSnowflake(String marker) throws Exception {
    List<String> statuses = List.of();
    for (int i = 0; i < 600; i++) {
      statuses = statuses(marker);
      if (!statuses.isEmpty() && statuses.stream().noneMatch(s -> s.equals("RUNNING")
          || s.equals("QUEUED") || s.equals("RESUMING_WAREHOUSE"))) {
        break;
      }
      Thread.sleep(100);
    }
    assertFalse(statuses.isEmpty(), "not in QUERY_HISTORY");
    assertTrue(statuses.stream().allMatch(s -> s.startsWith("FAILED")), statuses.toString());
  }

  private List<String> statuses(String marker) throws SQLException {
    List<String> statuses = new ArrayList<>();
    try (PreparedStatement ps = direct.prepareStatement("SELECT EXECUTION_STATUS FROM TABLE("
        + "INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 1000)) WHERE QUERY_TEXT LIKE ?"
        + " AND QUERY_TAG LIKE 'junction:%'")) {
      ps.setQueryTimeout(60);
      ps.setString(1, "%" + marker + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          statuses.add(rs.getString(1));
        }
      }
    }
    return statuses;
  }

  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(120);
      try (ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            row.add(v instanceof BigDecimal b ? b.stripTrailingZeros()
                : v instanceof Number x ? new BigDecimal(x.toString()).stripTrailingZeros() : v);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }
}
