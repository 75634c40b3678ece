package dev.junction.conformance;

import dev.junction.conformance.ConformanceData.ColumnType;
import dev.junction.conformance.ConformanceData.Table;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NOT SNOWFLAKE. The conformance battery for the Snowflake dialect, run through Junction's
 * real planning and pushdown over the test-only source {@code snowflake-dialect-over-duckdb}
 * (the Snowflake adapter's dialect; metadata and execution from an embedded DuckDB holding
 * the battery's tables with Snowflake's column types: integers as NUMBER(38, 0), that is
 * DECIMAL(38, 0)). No Snowflake is reachable from the build machine.
 *
 * <ul>
 * <li>{@link #snowflakeSql}: for every shape, the statements that reached the source equal
 * the expected Snowflake SQL stored in {@code snowflake/battery-sql.txt}, text for text
 * (whitespace aside). The text was reviewed against Snowflake's SQL reference; a change in
 * planning or in the dialect shows up here as a diff. The SQL of this run is written to
 * {@code target/snowflake-battery-sql.txt};</li>
 * <li>the inherited battery ({@link BaseConformanceIT#shape}): rows against the reference
 * and the pushed fragments, for the shapes whose Snowflake SQL DuckDB reads as Snowflake
 * would ({@link #ONLY_SQL_CHECKED} lists the others and why);</li>
 * <li>{@link #literalsReachTheSourceIntact}: nasty string literals (backslashes, quotes,
 * comment openers, unicode) reach the source in SQL that Snowflake's lexical rules read
 * back as exactly the user's text, with nothing outside the literal.</li>
 * </ul>
 */
class SnowflakeDialectOverDuckDbIT extends BaseConformanceIT {
  private static final Set<Behavior> BEHAVIORS = EnumSet.of(
      Behavior.PUSHDOWN_NOT_IN_SUBQUERY, Behavior.SUPPORTS_MULTIPLE_SCHEMAS,
      Behavior.PUSHDOWN_RIGHT_JOIN, Behavior.PUSHDOWN_FULL_JOIN,
      Behavior.PUSHDOWN_INTERSECT_EXCEPT, Behavior.PUSHDOWN_EXTRACT,
      Behavior.PUSHDOWN_FLOOR_DATE, Behavior.PUSHDOWN_CAST_DATE, Behavior.PUSHDOWN_SEMI_JOIN,
      Behavior.PUSHDOWN_VARIANCE);

  /**
   * Shapes whose Snowflake SQL is only compared as text, with why DuckDB cannot stand in
   * for Snowflake on them.
   */
  static final Map<String, String> ONLY_SQL_CHECKED = Map.of("stddev_variance",
      "DuckDB keeps NUMBER(10, 2) x NUMBER(10, 2) in 64 bits and overflows on"
          + " 98765432.10 squared; Snowflake multiplies into NUMBER(21, 4)");

  private static final String EXPECTED = "/snowflake/battery-sql.txt";
  /** Where the test-only source leaves the QUERY_TAG it would have sent. */
  private static final String TAG_PROPERTY = "junction.test.snowflake-over-duckdb.query-id";
  private Path duckDbFile;
  private final Map<String, List<String>> actualSql = new TreeMap<>();
  private Map<String, List<String>> expectedSql;

  @Override protected boolean hasBehavior(Behavior behavior) {
    return BEHAVIORS.contains(behavior);
  }

  /** The shapes DuckDB can answer for Snowflake. */
  @Override List<Shape> shapes() {
    return Shapes.ALL.stream().filter(s -> !ONLY_SQL_CHECKED.containsKey(s.name())).toList();
  }

  /** Every shape of the battery. */
  static List<Shape> allShapes() {
    return Shapes.ALL;
  }

  @Override protected CatalogFile createSource(Path dir) throws Exception {
    Path file = dir.resolve("snowflake-over-duckdb.duckdb");
    duckDbFile = file;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA b");
      }
      loadTables(c, this::remoteTable);
      // DuckDB's appender loads INTEGER columns; Snowflake's are NUMBER(38, 0).
      try (Statement st = c.createStatement()) {
        for (Table t : ConformanceData.TABLES) {
          for (ConformanceData.Column col : t.columns()) {
            if (col.type() == ColumnType.INTEGER) {
              st.execute("ALTER TABLE " + remoteTable(t) + " ALTER COLUMN " + col.name()
                  + " TYPE DECIMAL(38,0)");
            }
          }
        }
        st.execute("ANALYZE");
      }
    }
    return new CatalogFile().source(SOURCE, Map.of("type", "snowflake-dialect-over-duckdb",
        "path", file.toString()));
  }

  /**
   * The QUERY_TAG of a remote statement names the Junction query it serves by the id the
   * audit line of that query carries (the test-only source records the tag it would send
   * in a system property).
   */
  @Test
  void theQueryTagCarriesTheAuditLinesQueryId(@TempDir Path dir) throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Path catalog = dir.resolve("audited.yaml");
    Files.writeString(catalog, new CatalogFile().source("audited", Map.of("type",
        "snowflake-dialect-over-duckdb", "path", duckDbFile.toString())).yaml()
        + "audit: {destination: file, file: \"" + audit + "\"}\n", StandardCharsets.UTF_8);
    System.clearProperty(TAG_PROPERTY);
    try (Connection c = CatalogFile.connect(catalog)) {
      query(c, "SELECT COUNT(*) FROM audited.main.orders WHERE status = 'open'");
    }
    String tag = System.getProperty(TAG_PROPERTY);
    List<String> lines = Files.readAllLines(audit, StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), lines.toString());
    java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"query_id\":\"([^\"]+)\"")
        .matcher(lines.get(0));
    assertTrue(id.find(), lines.get(0));
    assertEquals("junction:" + id.group(1), tag);
  }

  private String remoteTable(Table t) {
    return (t.secondSchema() ? "b" : "main") + "." + t.name();
  }

  @Override protected String junctionTable(Table t) {
    return SOURCE + "." + remoteTable(t);
  }

  @Override protected void collectStatistics(Statement st, List<String> tables)
      throws SQLException {
    st.execute("ANALYZE");
  }

  @Override protected void dropSource() {
    // The file lives in the test's temporary directory.
  }

  /** Snowflake's own column types (integers become NUMBER(38, 0) after loading). */
  @Override protected String ddlType(ColumnType type) {
    return type == ColumnType.VARCHAR ? "VARCHAR" : super.ddlType(type);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allShapes")
  void snowflakeSql(Shape shape) throws Exception {
    String sql = resolve(shape.sql(), this::junctionTable);
    List<String> sent;
    SQLException failure = null;
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      try {
        query(junction, sql);
      } catch (SQLException e) {
        failure = e;
      }
      sent = recorder.sentTo(SOURCE).stream().map(SnowflakeDialectOverDuckDbIT::oneLine)
          .toList();
    }
    synchronized (actualSql) {
      actualSql.put(shape.name(), sent);
    }
    if (failure != null && !ONLY_SQL_CHECKED.containsKey(shape.name())) {
      throw new AssertionError(shape + " failed: " + failure.getMessage() + "\nsent: "
          + sent, failure);
    }
    List<String> expected = expected().get(shape.name());
    assertNotNull(expected, shape + ": no expected Snowflake SQL in " + EXPECTED
        + "; this run sent " + sent);
    assertEquals(expected, sent, shape + ": the SQL Snowflake would receive changed"
        + " (this run's SQL is in target/snowflake-battery-sql.txt)");
  }

  /**
   * String literals and a column alias made of what breaks lexers reach the source as
   * SQL that Snowflake's lexical rules (backslash escapes in {@code '...'}, {@code ''},
   * {@code "..."} identifiers with {@code ""}) read back as exactly the user's text, with
   * the same statement shape as for harmless text of the same length.
   */
  @Test
  void literalsReachTheSourceIntact() throws Exception {
    List<String> values = new ArrayList<>(List.of("a\\", "a\\'", "\\'; DROP TABLE t; -- ",
        "') OR 1=1 -- ", "\\", "\\\\", "'", "''", "\"", "a\\b", "/* c", "*/", "--", "\\0",
        "\\x41", "\\u0041", "\\n", "é\\", "ÿ\\'", "\r\n\t", "$$", "a$$b", "\\%", "\\_"));
    String[] alphabet = {"\\", "'", "\"", "-", "--", "/*", "*/", ";", "$$", "a", "é", "\n",
        "\\'", "''", "\\\\"};
    Random random = new Random(20_261_203L);
    while (values.size() < 80) {
      StringBuilder b = new StringBuilder();
      for (int k = random.nextInt(8); k > 0; k--) {
        b.append(alphabet[random.nextInt(alphabet.length)]);
      }
      values.add(b.toString());
    }
    String table = SOURCE + ".main.customers";
    for (String v : values) {
      String template = "SELECT id FROM " + table + " WHERE name = %s OR city = %s";
      List<String> got = sentFor(String.format(Locale.ROOT, template, lit(v), lit(v + "x")));
      String twin = "p".repeat(v.length());
      List<String> want = sentFor(String.format(Locale.ROOT, template, lit(twin),
          lit(twin + "x")));
      assertEquals(1, got.size(), got.toString());
      SnowflakeLexer.Lexed lexed = SnowflakeLexer.lex(got.get(0));
      SnowflakeLexer.Lexed placeholder = SnowflakeLexer.lex(want.get(0));
      assertEquals(placeholder.skeleton(), lexed.skeleton(), "for " + v);
      assertEquals(List.of(v, v + "x").stream().sorted().toList(),
          lexed.literals().stream().sorted().toList(), "literals for " + v);
    }
    String alias = "a\"b'c\\d -- e/*";
    List<String> sent = sentFor("SELECT name AS \"" + alias.replace("\"", "\"\"")
        + "\" FROM " + table + " WHERE id = 1");
    SnowflakeLexer.Lexed lexed = SnowflakeLexer.lex(sent.get(0));
    assertTrue(lexed.identifiers().contains(alias), lexed.identifiers().toString());
    assertFalse(lexed.skeleton().contains("--") || lexed.skeleton().contains(";"),
        sent.get(0));
  }

  /**
   * Where Snowflake's arithmetic differs from Junction's, the SQL says what Junction
   * means: an integer division divides exactly ({@code (a - MOD(a, b)) / b}; Snowflake's
   * {@code 7 / 2} is 3.5), a fraction cast to an integer is truncated first (Snowflake
   * rounds), and a date cast to text stays in Junction (Snowflake's output format decides
   * it). The rows equal the reference's.
   */
  @Test
  void arithmeticSnowflakeReadsDifferentlyIsSentAsJunctionMeansIt() throws Exception {
    String sql = "SELECT order_id, CAST(qty AS INTEGER) / 7, CAST(price AS INTEGER),"
        + " CAST(-price AS INTEGER) FROM " + SOURCE + ".main.items WHERE line = 1";
    List<String> sent;
    List<List<Object>> rows;
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      rows = query(junction, sql);
      sent = recorder.sentTo(SOURCE).stream().map(SnowflakeDialectOverDuckDbIT::oneLine)
          .toList();
    }
    assertEquals(List.of("SELECT \"order_id\", CAST((CAST(\"qty\" AS INTEGER)"
        + " - MOD(CAST(\"qty\" AS INTEGER), 7)) / 7 AS INTEGER),"
        + " CAST(TRUNC(\"price\") AS INTEGER), CAST(TRUNC(- \"price\") AS INTEGER)"
        + " FROM \"main\".\"items\" WHERE \"line\" = 1"), sent);
    List<List<Object>> expected = query(reference, "SELECT order_id, CAST(qty AS INTEGER) // 7,"
        + " CAST(TRUNC(price) AS INTEGER), CAST(TRUNC(-price) AS INTEGER) FROM items"
        + " WHERE line = 1");
    assertEquals(sortedRows(expected), sortedRows(rows));
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      rows = query(junction, "SELECT id, CAST(placed AS VARCHAR(10)) FROM " + SOURCE
          + ".main.orders WHERE id < 5");
      sent = recorder.sentTo(SOURCE);
    }
    assertEquals(1, sent.size(), sent.toString());
    assertFalse(sent.get(0).contains("VARCHAR"), sent.get(0));
    assertEquals(sortedRows(query(reference, "SELECT id, CAST(placed AS VARCHAR)"
        + " FROM orders WHERE id < 5")), sortedRows(rows));
  }

  private static List<String> sortedRows(List<List<Object>> rows) {
    return rows.stream().map(String::valueOf).sorted().toList();
  }

  private List<String> sentFor(String sql) throws SQLException {
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      try (Statement st = junction.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          rs.getObject(1);
        }
      }
      return recorder.sentTo(SOURCE);
    } catch (SQLException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String lit(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static String oneLine(String sql) {
    return sql.replaceAll("\\s*\\n\\s*", " ").strip();
  }

  private Map<String, List<String>> expected() throws IOException {
    if (expectedSql == null) {
      Map<String, List<String>> map = new LinkedHashMap<>();
      try (InputStream in = getClass().getResourceAsStream(EXPECTED)) {
        if (in != null) {
          String name = null;
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .split("\n")) {
            if (line.startsWith("[") && line.endsWith("]")) {
              name = line.substring(1, line.length() - 1);
              map.put(name, new ArrayList<>());
            } else if (!line.isBlank() && name != null) {
              map.get(name).add(line.strip());
            }
          }
        }
      }
      expectedSql = map;
    }
    return expectedSql;
  }

  /** Writes this run's SQL, in the expected file's format, for review and diffing. */
  @AfterAll
  void writeActualSql() throws IOException {
    StringBuilder b = new StringBuilder();
    actualSql.forEach((name, statements) -> {
      b.append('[').append(name).append("]\n");
      statements.forEach(s -> b.append(s).append('\n'));
      b.append('\n');
    });
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("snowflake-battery-sql.txt"), b.toString(),
          StandardCharsets.UTF_8);
    }
  }
}
