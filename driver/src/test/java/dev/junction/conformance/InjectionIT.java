package dev.junction.conformance;

import dev.junction.adapters.jdbc.SourceSessions;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Source;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * User text must never change the meaning of the SQL a source runs (issue 7). Every
 * source (PostgreSQL, PostgreSQL whose catalog {@code options} turn
 * {@code standard_conforming_strings} and read-only defaults off, MariaDB, MariaDB whose
 * catalog sets {@code sql_mode} to {@code NO_BACKSLASH_ESCAPES,ANSI_QUOTES}, DuckDB and
 * SQLite) holds the same table of nasty strings, loaded with bind parameters; queries
 * whose literals are those strings (the issue's break-outs, fixed ones and seeded random
 * ones over backslashes, every quote, comment openers, {@code ;}, LIKE wildcards, NUL,
 * control characters and Latin-1 letters, and a 20,000-character value) are run through
 * Junction, and each is checked twice:
 *
 * <ul>
 * <li>the rows equal the answer computed in Java over the rows the source stored;</li>
 * <li>exactly one statement reached the source, and read with the source's own lexical
 * rules (an independent lexer here: backslash escapes for MariaDB, standard strings for
 * the others) it is the same statement as for harmless placeholder text of the same
 * length, with each literal holding exactly the user's text: no comment, no {@code ;},
 * no extra token.</li>
 * </ul>
 *
 * <p>Source sessions are checked too: pinned settings win over the catalog's, and a
 * write is refused even after a {@code COMMIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InjectionIT {
  /** A source of the test catalog and the lexical rules its SQL is read with. */
  enum Src {
    PG("pg", false, '"'), PG_LAX("pglax", false, '"'), MARIADB("my", true, '`'),
    MARIADB_ANSI("myansi", true, '`'), DUCKDB("duck", false, '"'), SQLITE("lite", false, '"');

    final String source;
    final boolean backslashEscapes;
    final char identifierQuote;

    Src(String source, boolean backslashEscapes, char identifierQuote) {
      this.source = source;
      this.backslashEscapes = backslashEscapes;
      this.identifierQuote = identifierQuote;
    }

    boolean storesNul() {
      return this == MARIADB || this == MARIADB_ANSI;
    }
  }

  private static final long SEED = 20_260_307L;
  private static final String[] ALPHABET = {"\\", "'", "\"", "`", "-", "--", "#", "/*", "*/",
      ";", "%", "_", "\0", "\n", "\r", "\t", " ", "a", "b", "é", "ÿ", "\u00a0", "\\'", "''"};
  private static final String LONG = "x\\'".repeat(5_000) + "a\\" + "'; -- /*".repeat(1_000);

  private TestingPostgreSqlServer pg;
  private TestingMariaDbServer maria;
  private Connection junction;
  private final Map<Src, String> tables = new EnumMap<>(Src.class);
  private final Map<Src, List<Row>> stored = new EnumMap<>(Src.class);
  private List<String> values;

  /** One row of the test table. */
  record Row(int id, String s, String t) {
  }

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    values = values();
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    String pgTable = pg.namespace() + ".words";
    String myTable = maria.namespace() + ".words";
    try (Connection c = pg.connect()) {
      load(c, pgTable, "text", false);
    }
    try (Connection c = maria.connect()) {
      load(c, myTable, "TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin", true);
    }
    Path duck = dir.resolve("words.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck)) {
      load(c, "words", "VARCHAR", false);
    }
    Path lite = dir.resolve("words.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite)) {
      load(c, "words", "TEXT", false);
    }
    tables.put(Src.PG, "pg." + pgTable);
    tables.put(Src.PG_LAX, "pglax." + pgTable);
    tables.put(Src.MARIADB, "my." + myTable);
    tables.put(Src.MARIADB_ANSI, "myansi." + myTable);
    tables.put(Src.DUCKDB, "duck.main.words");
    tables.put(Src.SQLITE, "lite.main.words");
    try (Connection c = pg.connect()) {
      List<Row> rows = read(c, pgTable);
      stored.put(Src.PG, rows);
      stored.put(Src.PG_LAX, rows);
    }
    try (Connection c = maria.connect()) {
      List<Row> rows = read(c, myTable);
      stored.put(Src.MARIADB, rows);
      stored.put(Src.MARIADB_ANSI, rows);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck)) {
      stored.put(Src.DUCKDB, read(c, "words"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite)) {
      stored.put(Src.SQLITE, read(c, "words"));
    }
    CatalogFile catalog = new CatalogFile().postgresql("pg", pg)
        .source("pglax", Map.of("type", "postgresql", "url", pg.jdbcUrl(), "user", pg.user(),
            "password", pg.password(), "properties", Map.of("options",
                "-c standard_conforming_strings=off -c default_transaction_read_only=off")))
        .mariadb("my", maria)
        .source("myansi", Map.of("type", "mysql", "url", maria.jdbcUrl(), "user", maria.user(),
            "password", maria.password(), "properties",
            Map.of("sessionVariables", "sql_mode='NO_BACKSLASH_ESCAPES,ANSI_QUOTES'")))
        .duckdb("duck", duck)
        .sqlite("lite", lite);
    junction = CatalogFile.connect(catalog.write(dir));
  }

  @AfterAll
  void tearDown() throws Exception {
    try (AutoCloseable j = junction; AutoCloseable p = pg; AutoCloseable m = maria) {
      // closes all three, even if one fails; each server ends its own leftover backends
    }
  }

  /** The issue's attack strings, fixed nasty ones, a long one, then seeded random ones. */
  private static List<String> values() {
    List<String> v = new ArrayList<>(List.of("a\\", ") OR 1=1 -- ",
        ") UNION SELECT CONCAT(user(),0x2f,@@version) -- ",
        "a\\'", "'; COMMIT; UPDATE words SET s = 'pwned' -- ",
        "\\'; DROP TABLE words; -- ", "a\\b", "\\", "\\\\", "'", "''", "\"", "`", "x` -- ",
        "# c", "/* c", "*/", "--", "a\\_b", "a_b", "a%b", "%", "_", "\r\n\t", "\0", "a\0b",
        "\\0", "é", "ÿ\\", "\u00a0", "", " ", "a ", "\\%", "\\_", "\u001a", LONG));
    Random random = new Random(SEED);
    while (v.size() < 100) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(10);
      for (int k = 0; k < n; k++) {
        b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      // Calcite 1.42 itself turns "\n\r" into "\n" in every string it compiles (stock
      // jdbc:calcite: answers CHAR_LENGTH('a<LF><CR>b') = 3), before any source sees it.
      if (!b.toString().contains("\n\r")) {
        v.add(b.toString());
      }
    }
    return v;
  }

  /** Row i holds value i and, as t, value i + 1: row 0 is the issue's pair. */
  private void load(Connection c, String table, String type, boolean nul)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id INTEGER, s " + type + ", t " + type + ")");
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " VALUES (?, ?, ?)")) {
      for (int i = 0; i < values.size(); i++) {
        String s = values.get(i);
        String t = values.get((i + 1) % values.size());
        if (!nul && (s.indexOf('\0') >= 0 || t.indexOf('\0') >= 0)) {
          continue;
        }
        ps.setInt(1, i);
        ps.setString(2, s);
        ps.setString(3, t);
        ps.executeUpdate();
      }
    }
  }

  private static List<Row> read(Connection c, String table) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT id, s, t FROM " + table)) {
      while (rs.next()) {
        rows.add(new Row(rs.getInt(1), rs.getString(2), rs.getString(3)));
      }
    }
    return rows;
  }

  /** Junction's own spelling of a string literal: standard SQL, only the quote doubled. */
  private static String lit(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @ParameterizedTest
  @EnumSource(Src.class)
  void equalityOnBothColumnsAsInTheIssue(Src src) throws Exception {
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      String w = values.get((i + 1) % values.size());
      check(src, "SELECT id FROM %s WHERE s = %s AND t = %s", List.of(v, w),
          r -> r.s().equals(v) && r.t().equals(w), UnaryOperator.identity());
    }
  }

  @ParameterizedTest
  @EnumSource(Src.class)
  void inListsAndNotEquals(Src src) throws Exception {
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      String w = values.get((i + 7) % values.size());
      if (v.equals(w)) {
        continue;
      }
      check(src, "SELECT id FROM %s WHERE s IN (%s, %s)", List.of(v, w),
          r -> r.s().equals(v) || r.s().equals(w), UnaryOperator.identity());
      check(src, "SELECT id FROM %s WHERE s <> %s AND id < 10", List.of(v),
          r -> !r.s().equals(v) && r.id() < 10, UnaryOperator.identity());
    }
  }

  /**
   * LIKE without ESCAPE has no escape character in Junction (standard SQL): a backslash
   * matches itself. Left out, as known gaps that are not about injection: on MariaDB,
   * patterns with {@code _} or non-ASCII letters (the dialect makes LIKE {@code BINARY},
   * so {@code _} matches one byte of a two-byte letter); where the pattern is evaluated
   * in Junction, patterns with NUL (Calcite 1.42 takes NUL for "no escape character" and
   * fails with "Invalid escape sequence").
   */
  @ParameterizedTest
  @EnumSource(Src.class)
  void likePatterns(Src src) throws Exception {
    // Calcite writes runs of % as one %, which matches the same strings.
    UnaryOperator<String> pushed = src.backslashEscapes
        ? p -> p.replaceAll("%+", "%").replace("\\", "\\\\")
        : p -> p.replaceAll("%+", "%");
    for (String v : values) {
      if (src.backslashEscapes && (v.indexOf('_') >= 0 || !v.chars().allMatch(ch -> ch < 128))
          || !src.storesNul() && v.indexOf('\0') >= 0) {
        continue;
      }
      Pattern like = likeRegex(v);
      check(src, "SELECT id FROM %s WHERE s LIKE %s", List.of(v),
          r -> like.matcher(r.s()).matches(), pushed);
      check(src, "SELECT id FROM %s WHERE s NOT LIKE %s", List.of(v),
          r -> !like.matcher(r.s()).matches(), pushed);
    }
  }

  @ParameterizedTest
  @EnumSource(Src.class)
  void likeWithTheUsersEscape(Src src) throws Exception {
    for (String[] c : new String[][] {{"a!_b", "a_b"}, {"!%", "%"}, {"a\\!_b", "a\\_b"},
        {"\\!%", "\\%"}}) {
      String pattern = c[0];
      String exact = c[1];
      List<List<Object>> rows = query("SELECT id FROM " + tables.get(src) + " WHERE s LIKE "
          + lit(pattern) + " ESCAPE '!'");
      assertEquals(ids(src, r -> r.s().equals(exact)), rows, src + " LIKE " + pattern);
    }
    List<List<Object>> rows = query("SELECT id FROM " + tables.get(src)
        + " WHERE s LIKE 'a\\_b' ESCAPE '\\'");
    assertEquals(ids(src, r -> r.s().equals("a_b")), rows, src + " ESCAPE '\\'");
  }

  /** A literal in the select list comes back exactly. */
  @ParameterizedTest
  @EnumSource(Src.class)
  void selectListLiterals(Src src) throws Exception {
    for (String v : values) {
      List<List<Object>> rows = query("SELECT id, " + lit(v) + " AS c FROM " + tables.get(src)
          + " WHERE id = 0");
      assertEquals(List.of(List.of(0, v)), rows, src + ": " + printable(v));
    }
  }

  /** Backslashes give correct answers with no attack at all. */
  @ParameterizedTest
  @EnumSource(Src.class)
  void backslashesWithoutAnAttack(Src src) throws Exception {
    String table = tables.get(src);
    assertEquals(ids(src, r -> r.s().equals("a\\b")),
        query("SELECT id FROM " + table + " WHERE s = 'a\\b'"));
    int id = values.indexOf("a\\b");
    assertEquals(List.of(List.of("a/b", "a\\b")), query("SELECT REPLACE(s, '\\', '/'),"
        + " s FROM " + table + " WHERE id = " + id));
    assertEquals(List.of(List.of("é\\")), query("SELECT U&'\\00e9\\005c' FROM " + table
        + " WHERE id = 0"));
  }

  /**
   * The write the issue smuggled past PostgreSQL ({@code '; COMMIT; UPDATE ...}) and
   * MariaDB changed nothing, and the sessions the pools hand out refuse writes, after a
   * {@code COMMIT} too, whatever the catalog's properties said.
   */
  @Test
  void serverSourceSessionsArePinnedAndReadOnly() throws Exception {
    for (Src src : List.of(Src.PG, Src.PG_LAX, Src.MARIADB, Src.MARIADB_ANSI)) {
      for (String table : List.of("words", pg.namespace() + ".words",
          maria.namespace() + ".words")) {
        assertEquals(List.of(), query("SELECT id FROM " + tables.get(src) + " WHERE s = "
            + lit("a\\") + " AND t = " + lit("; COMMIT; UPDATE " + table
            + " SET s = 'pwned'; COMMIT; -- ")));
      }
    }
    String pgTable = pg.namespace() + ".words";
    String myTable = maria.namespace() + ".words";
    try (Connection c = pg.connect()) {
      assertEquals(stored.get(Src.PG).size(), read(c, pgTable).size());
      assertFalse(read(c, pgTable).stream().anyMatch(r -> r.s().equals("pwned")));
    }
    Map<String, String> lax = Map.of("options",
        "-c standard_conforming_strings=off -c default_transaction_read_only=off");
    for (Map<String, String> properties : List.of(Map.<String, String>of(), lax)) {
      Source source = SourceSessions.open("pgs", "postgresql", Map.of("url", pg.jdbcUrl(),
          "user", pg.user(), "password", pg.password()), properties);
      try (Connection c = SourceSessions.pooledConnection(source);
           Statement st = c.createStatement()) {
        assertEquals("on", scalar(st, "SHOW standard_conforming_strings"));
        assertEquals("on", scalar(st, "SHOW default_transaction_read_only"));
        assertEquals("on", scalar(st, "SHOW transaction_read_only"));
        assertRefused(() -> st.execute("UPDATE " + pgTable
            + " SET s = 'pwned'"));
        c.rollback();
        st.execute("COMMIT");
        assertRefused(() -> st.execute("UPDATE " + pgTable
            + " SET s = 'pwned'"));
        c.rollback();
      } finally {
        source.close();
      }
    }
    Map<String, String> ansi = Map.of("sessionVariables",
        "sql_mode='NO_BACKSLASH_ESCAPES,ANSI_QUOTES,PIPES_AS_CONCAT,EMPTY_STRING_IS_NULL'",
        "allowMultiQueries", "true", "allowLocalInfile", "true");
    assertTrue(maria.jdbcUrl().contains("allowMultiQueries=true"), "the URL asks for it too");
    for (Map<String, String> properties : List.of(Map.<String, String>of(), ansi)) {
      Source source = SourceSessions.open("mys", "mysql", Map.of("url", maria.jdbcUrl(),
          "user", maria.user(), "password", maria.password()), properties);
      try (Connection c = SourceSessions.pooledConnection(source);
           Statement st = c.createStatement()) {
        String mode = scalar(st, "SELECT @@SESSION.sql_mode");
        assertFalse(mode.contains("NO_BACKSLASH_ESCAPES") || mode.contains("ANSI_QUOTES")
            || mode.contains("PIPES_AS_CONCAT"), mode);
        assertEquals("utf8mb4", scalar(st, "SELECT @@SESSION.character_set_client"));
        assertEquals("1", scalar(st, "SELECT @@SESSION.tx_read_only"));
        assertRefused(() -> st.execute("SELECT 1; SELECT 2"),
            "one statement per string, whatever the URL and properties say");
        assertRefused(() -> st.execute("UPDATE " + myTable
            + " SET s = 'pwned'"));
        st.execute("COMMIT");
        assertRefused(() -> st.execute("UPDATE " + myTable
            + " SET s = 'pwned'"));
        assertRefused(() -> st.execute("CREATE TABLE " + maria.namespace()
            + ".pwned (x INT)"));
      } finally {
        source.close();
      }
    }
    try (Connection c = maria.connect()) {
      assertEquals(stored.get(Src.MARIADB).size(), read(c, myTable).size());
      assertFalse(read(c, myTable).stream().anyMatch(r -> r.s().equals("pwned")));
    }
  }

  /** Embedded sources: the files are opened read-only, SQLite sessions query-only. */
  @Test
  void embeddedSourceSessionsAreReadOnly(@TempDir Path dir) throws Exception {
    Path lite = dir.resolve("rw.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (x INTEGER)");
    }
    for (boolean readOnly : new boolean[] {true, false}) {
      Source source = SourceSessions.open("lite", "sqlite", Map.of("path", lite.toString(),
          "read-only", readOnly), Map.of("open_mode", "6"));
      try (Connection c = SourceSessions.pooledConnection(source);
           Statement st = c.createStatement()) {
        assertRefused(() -> st.execute("INSERT INTO t VALUES (1)"),
            "read-only " + readOnly);
        assertRefused(() -> st.execute("CREATE TABLE u (x INTEGER)"));
      } finally {
        source.close();
      }
    }
    Path duck = dir.resolve("ro.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck);
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (x INTEGER)");
    }
    Source source = SourceSessions.open("duck", "duckdb", Map.of("path", duck.toString()),
        Map.of());
    try (Connection c = SourceSessions.pooledConnection(source);
         Statement st = c.createStatement()) {
      assertRefused(() -> st.execute("INSERT INTO t VALUES (1)"));
    } finally {
      source.close();
    }
  }

  /**
   * A column alias holding every quote character reaches the source quoted, its quote
   * doubled; one holding NUL, which no source takes in a name, is refused clearly.
   */
  @ParameterizedTest
  @EnumSource(Src.class)
  void quotesInIdentifiers(Src src) throws Exception {
    String alias = "a\"b`c'd\\e -- f/* #";
    int id = values.indexOf("a\\b");
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder();
         Statement st = junction.createStatement();
         ResultSet rs = st.executeQuery("SELECT s || '' AS \"" + alias.replace("\"", "\"\"")
             + "\", id FROM " + tables.get(src) + " WHERE id = " + id)) {
      assertTrue(rs.next());
      assertEquals(alias, rs.getMetaData().getColumnLabel(1));
      assertEquals("a\\b", rs.getString(1));
      List<String> sent = recorder.sentTo(src.source);
      assertEquals(1, sent.size(), recorder.sent().toString());
      Lexed lexed = lex(sent.get(0), src);
      assertFalse(lexed.skeleton().contains("<SEMI>") || lexed.skeleton().contains("<COMMENT>"),
          sent.get(0));
    }
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder();
         Statement st = junction.createStatement();
         ResultSet rs = st.executeQuery("SELECT s AS \"a\0b\" FROM " + tables.get(src)
             + " WHERE id = " + id)) {
      assertTrue(rs.next());
      assertEquals("a\0b", rs.getMetaData().getColumnLabel(1));
      assertEquals("a\\b", rs.getString(1));
      assertTrue(recorder.sentTo(src.source).stream().noneMatch(q -> q.indexOf('\0') >= 0));
    }
  }

  /**
   * Runs {@code template} (with {@code %s} for the table, then one per value) with
   * {@code args} and with same-length placeholders, and checks rows and remote SQL.
   * {@code pushed} says how a value appears in the source's literal (MariaDB's LIKE
   * patterns double their backslashes).
   */
  private void check(Src src, String template, List<String> args,
      java.util.function.Predicate<Row> expected, UnaryOperator<String> pushed)
      throws Exception {
    String table = tables.get(src);
    List<String> placeholders = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      placeholders.add(String.valueOf((char) ('p' + i)).repeat(args.get(i).length()));
    }
    String sql = format(template, table, args);
    List<List<Object>> actual;
    List<String> sent;
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      actual = query(sql);
      sent = recorder.sentTo(src.source);
    } catch (SQLException e) {
      throw new AssertionError(src + ": " + printable(sql) + " failed: " + e.getMessage(), e);
    }
    String context = "\n" + src + ": " + printable(sql) + "\nsent: " + printable(
        String.valueOf(sent));
    assertEquals(ids(src, expected), actual, "rows differ" + context);
    if (args.stream().anyMatch(a -> a.matches("%+"))) {
      // Calcite simplifies LIKE '%' to IS NOT NULL (and NOT LIKE '%' to no rows at all),
      // so no placeholder query has its shape.
      assertTrue(sent.size() <= 1, context);
      sent.forEach(q -> assertFalse(lex(q, src).skeleton().matches(".*(<SEMI>|<COMMENT>).*"),
          context));
      return;
    }
    assertEquals(1, sent.size(), "expected exactly one remote statement" + context);
    boolean unpushable = !src.storesNul() && args.stream().anyMatch(a -> a.indexOf('\0') >= 0);
    Lexed got = lex(sent.get(0), src);
    assertFalse(got.skeleton().contains("<SEMI>") || got.skeleton().contains("<COMMENT>"),
        "a statement separator or comment outside literals" + context);
    if (unpushable) {
      // The source cannot hold NUL: the filter holding it ran in Junction.
      assertTrue(got.literals().stream().noneMatch(l -> l.indexOf('\0') >= 0), context);
      return;
    }
    List<String> twinSent;
    try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      query(format(template, table, placeholders));
      twinSent = recorder.sentTo(src.source);
    }
    Lexed twin = lex(twinSent.get(0), src);
    assertEquals(twin.skeleton(), got.skeleton(), "statement shape differs from the"
        + " placeholder query's " + printable(twinSent.get(0)) + context);
    // Calcite may order IN values by value, so the literals are compared as sorted lists.
    List<String> want = new ArrayList<>();
    for (String literal : twin.literals()) {
      int arg = literal.isEmpty() ? -1 : placeholders.indexOf(literal);
      want.add(printable(arg >= 0 ? pushed.apply(args.get(arg)) : literal));
    }
    List<String> have = new ArrayList<>(got.literals().stream().map(InjectionIT::printable)
        .toList());
    want.sort(null);
    have.sort(null);
    assertEquals(want, have, "literals as the source reads them" + context);
  }

  private static String format(String template, String table, List<String> args) {
    Object[] parts = new Object[args.size() + 1];
    parts[0] = table;
    for (int i = 0; i < args.size(); i++) {
      parts[i + 1] = lit(args.get(i));
    }
    return String.format(Locale.ROOT, template, parts);
  }

  private List<List<Object>> ids(Src src, java.util.function.Predicate<Row> p) {
    return stored.get(src).stream().filter(p).map(Row::id).sorted()
        .map(id -> List.<Object>of(id)).toList();
  }

  private List<List<Object>> query(String sql) throws SQLException {
    try (Statement st = junction.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          row.add(v instanceof Number x ? (Object) x.intValue() : v);
        }
        rows.add(row);
      }
      rows.sort(java.util.Comparator.comparingInt(r -> r.get(0) instanceof Integer x ? x : 0));
      return rows;
    }
  }

  private static String scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Standard LIKE without an escape character, as a Java regex. */
  private static Pattern likeRegex(String pattern) {
    StringBuilder b = new StringBuilder();
    pattern.codePoints().forEach(cp -> {
      if (cp == '%') {
        b.append(".*");
      } else if (cp == '_') {
        b.append('.');
      } else {
        b.append(Pattern.quote(new String(Character.toChars(cp))));
      }
    });
    return Pattern.compile(b.toString(), Pattern.DOTALL);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    String t = s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
    for (char c : t.toCharArray()) {
      if (c < 32 || c == 127) {
        b.append(String.format(Locale.ROOT, "<%02x>", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** A statement as a source's lexer sees it: the text outside literals, and the literals. */
  record Lexed(String skeleton, List<String> literals) {
  }

  /**
   * A statement on a source's own pooled connection fails. Junction's decorator reports
   * the driver's error classified ({@link JunctionException}, which names the source);
   * a connection outside it throws the driver's {@link SQLException}.
   */
  private static void assertRefused(org.junit.jupiter.api.function.Executable statement,
      String... why) {
    Throwable t = assertThrows(Throwable.class, statement, why.length == 0 ? null : why[0]);
    assertTrue(t instanceof SQLException || t instanceof JunctionException, t.toString());
  }

  /**
   * Reads SQL with a source's lexical rules, written from the sources' manuals and not
   * from Junction's dialects: {@code '...'} strings with {@code ''} (and, for MariaDB,
   * backslash escapes, and {@code "..."} strings too), quoted identifiers, comments
   * ({@code --}, {@code /*}, and {@code #} for MariaDB) and {@code ;}. Fails on an
   * unterminated string.
   */
  static Lexed lex(String sql, Src src) {
    StringBuilder skeleton = new StringBuilder();
    List<String> literals = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || (src.backslashEscapes && c == '"')) {
        StringBuilder v = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= n) {
            fail("unterminated string literal in " + printable(sql));
          }
          char d = sql.charAt(j);
          if (d == c) {
            if (j + 1 < n && sql.charAt(j + 1) == c) {
              v.append(c);
              j += 2;
              continue;
            }
            j++;
            break;
          }
          if (src.backslashEscapes && d == '\\' && j + 1 < n) {
            char e = sql.charAt(j + 1);
            switch (e) {
              case '0' -> v.append('\0');
              case 'n' -> v.append('\n');
              case 'r' -> v.append('\r');
              case 't' -> v.append('\t');
              case 'b' -> v.append('\b');
              case 'Z' -> v.append('\u001a');
              case '%', '_' -> v.append('\\').append(e);
              default -> v.append(e);
            }
            j += 2;
            continue;
          }
          v.append(d);
          j++;
        }
        skeleton.append(c == '"' ? "<DQ>" : "?");
        literals.add(v.toString());
        i = j;
      } else if (c == src.identifierQuote) {
        int j = i + 1;
        while (j < n && !(sql.charAt(j) == c && (j + 1 >= n || sql.charAt(j + 1) != c))) {
          j += sql.charAt(j) == c ? 2 : 1;
        }
        skeleton.append(sql, i, Math.min(n, j + 1));
        i = j + 1;
      } else if ((c == '-' && i + 1 < n && sql.charAt(i + 1) == '-')
          || (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*')
          || (src.backslashEscapes && c == '#')) {
        skeleton.append("<COMMENT>");
        i += 2;
      } else if (c == ';') {
        skeleton.append("<SEMI>");
        i++;
      } else {
        skeleton.append(c);
        i++;
      }
    }
    return new Lexed(skeleton.toString(), literals);
  }
}
