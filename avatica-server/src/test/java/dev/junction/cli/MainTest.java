package dev.junction.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command-line tool on a catalog of CSV files and a SQLite file; no server needed. */
class MainTest {
  @TempDir
  Path dir;
  Path config;
  ByteArrayOutputStream out;
  ByteArrayOutputStream err;

  @BeforeEach
  void catalog() throws Exception {
    Path files = Files.createDirectories(dir.resolve("exports"));
    Files.writeString(files.resolve("cities.csv"), "id,name,country\n1,Lyon,FR\n2,Kyoto,JP\n"
        + "3,\"Rio, de Janeiro\",BR\n");
    config = dir.resolve("junction.yaml");
    Files.writeString(config, "sources:\n  files: {type: duckdb, path: \":memory:\", files: "
        + files + "}\n");
  }

  private int run(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
  }

  /** Runs the tool with {@code stdin} as a pipe (not a terminal) on standard input. */
  private int runWithInput(String stdin, String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return new Main(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false).run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sqlPrintsAnAlignedTable() {
    assertEquals(0, run("sql", "SELECT id, name FROM files.main.cities ORDER BY id",
        "--config", config.toString()));
    assertTrue(out().contains("| id | name            |"), out());
    assertTrue(out().contains("|  2 | Kyoto           |"), out());
    assertTrue(out().contains("(3 rows)"), out());
  }

  @Test
  void sqlPrintsCsvAndJson() {
    assertEquals(0, run("sql", "SELECT id, name FROM files.main.cities WHERE id = 3",
        "--config", config.toString(), "--format", "csv"));
    assertEquals("id,name\n3,\"Rio, de Janeiro\"\n", out().replace("\r", ""));
    assertEquals(0, run("sql", "SELECT id, name FROM files.main.cities WHERE id = 1",
        "--config", config.toString(), "--format", "json"));
    assertEquals("[\n{\"id\":1,\"name\":\"Lyon\"}\n]\n", out().replace("\r", ""));
  }

  @Test
  void sqlTakesCommentsSemicolonsStandardInputAndFiles() throws Exception {
    assertEquals(0, run("sql", "-- the cities\nSELECT COUNT(*) AS n FROM files.main.cities;",
        "--config", config.toString(), "--format", "csv"));
    assertEquals("n\n3\n", out().replace("\r", ""));
    assertEquals(0, run("sql", "--  leading comment then blank\n\n  SELECT 2 AS two ; ",
        "--config", config.toString(), "--format", "csv"));
    assertEquals("two\n2\n", out().replace("\r", ""));
    assertEquals(0, runWithInput("SELECT name FROM files.main.cities WHERE id = 2\n", "sql",
        "--config", config.toString(), "--format", "csv"));
    assertEquals("name\nKyoto\n", out().replace("\r", ""));
    assertEquals(0, runWithInput("SELECT 1 AS uno;", "sql", "-", "--format", "csv",
        "--config", config.toString()), () -> err());
    assertEquals("uno\n1\n", out().replace("\r", ""));
    Path script = dir.resolve("q.sql");
    Files.writeString(script, "/* two statements; the second has a ';' in a string */\n"
        + "SELECT id FROM files.main.cities WHERE name = 'Lyon';\n"
        + "-- a comment; with a semicolon\n"
        + "SELECT 'a;b' AS \"x;y\";\n\n-- trailing comment\n");
    assertEquals(0, run("sql", "-f", script.toString(), "--config", config.toString(),
        "--format", "csv"));
    assertEquals("id\n1\nx;y\na;b\n", out().replace("\r", ""));
  }

  @Test
  void sqlStopsAtTheFirstFailingStatementAndNamesIt() throws Exception {
    Path script = dir.resolve("bad.sql");
    Files.writeString(script, "SELECT 1 AS a;\n\nSELECT nosuch FROM files.main.cities;\n"
        + "SELECT 3 AS c;\n");
    assertEquals(1, run("sql", "-f", script.toString(), "--config", config.toString(),
        "--format", "csv"));
    assertEquals("a\n1\n", out().replace("\r", ""));
    assertTrue(err().contains("junction: statement 2 (line 3): ")
        && err().contains("Column 'nosuch' not found"), err());
  }

  @Test
  void sqlInputProblemsAreUsageErrors() throws Exception {
    assertEquals(2, run("sql", "-f", dir.resolve("missing.sql").toString()));
    assertTrue(err().contains("sql -f: no such file: "), err());
    assertEquals(2, run("sql", "SELECT 1", "-f", config.toString()));
    assertTrue(err().contains("give the SQL as an argument or with -f, not both"), err());
    assertEquals(2, runWithInput("-- only a comment\n;\n", "sql"));
    assertTrue(err().contains("no SQL statement in the input"), err());
    assertEquals(2, run("sql"));
    assertTrue(err().contains("sql needs a query"), err());
  }

  @Test
  void jsonHasRealNumbersBooleansNullsAndIsoTimes() {
    String query = "SELECT CAST(12345678901234567890.125 AS DECIMAL(25,3)) AS d,"
        + " 7 AS i, TRUE AS b, CAST(NULL AS INTEGER) AS n, 0.5e0 AS f,"
        + " DATE '2024-02-29' AS dt, TIMESTAMP '2024-02-29 13:14:15' AS ts,"
        + " TIMESTAMP '2024-02-29 13:14:15.250' AS ms, TIME '08:00:00' AS t,"
        + " ARRAY[1, 2] AS a, 'q\"u' AS s";
    String row = "{\"D\":12345678901234567890.125,\"I\":7,\"B\":true,\"N\":null,"
        + "\"F\":0.5,\"DT\":\"2024-02-29\",\"TS\":\"2024-02-29T13:14:15\","
        + "\"MS\":\"2024-02-29T13:14:15.25\",\"T\":\"08:00:00\",\"A\":[1,2],"
        + "\"S\":\"q\\\"u\"}";
    assertEquals(0, run("sql", query, "--format", "json", "--config", config.toString()));
    assertEquals("[\n" + row.toLowerCase(java.util.Locale.ROOT) + "\n]\n",
        out().replace("\r", "").toLowerCase(java.util.Locale.ROOT));
    assertEquals(0, run("sql", "SELECT id FROM files.main.cities ORDER BY id", "--format",
        "jsonl", "--config", config.toString()));
    assertEquals("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n", out().replace("\r", ""));
    assertEquals(0, run("sql", "SELECT id FROM files.main.cities WHERE id > 9", "--format",
        "json", "--config", config.toString()));
    assertEquals("[]\n", out().replace("\r", ""));
  }

  @Test
  void textFormatsPrintTimestampsWithoutSpuriousFraction() {
    java.util.TimeZone zone = java.util.TimeZone.getDefault();
    try {
      // Far from UTC: a value printed through the JVM's zone would move.
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Pacific/Kiritimati"));
      assertEquals(0, run("sql", "SELECT TIMESTAMP '2024-01-02 03:04:05' AS ts,"
          + " TIMESTAMP '2024-01-02 03:04:05.5' AS frac, DATE '2024-01-02' AS d",
          "--config", config.toString()));
      assertTrue(out().contains("| 2024-01-02 03:04:05 | 2024-01-02 03:04:05.5 | 2024-01-02 |"),
          out());
      assertEquals(0, run("sql", "SELECT TIMESTAMP '2024-01-02 03:04:05' AS ts", "--format",
          "csv", "--config", config.toString()));
      assertEquals("ts\n2024-01-02 03:04:05\n", out().replace("\r", ""));
    } finally {
      java.util.TimeZone.setDefault(zone);
    }
  }

  @Test
  void aClosedOutputStopsReadingTheResult() throws Exception {
    StringBuilder csv = new StringBuilder("n\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append('\n');
    }
    Files.writeString(dir.resolve("exports").resolve("numbers.csv"), csv);
    for (ResultPrinter.Format format : ResultPrinter.Format.values()) {
      PrintStream closing = closedAfterOneLine();
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(
              "jdbc:junction:config=" + config);
           java.sql.Statement st = c.createStatement();
           java.sql.ResultSet rs = st.executeQuery("SELECT n FROM files.main.numbers")) {
        assertFalse(new ResultPrinter(closing, format).print(rs), format.name());
        assertTrue(rs.next(), format + ": the printer stopped before the last row");
      }
    }
    // Through the command: no error, status 0, as a tool cut off by | head.
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream closing = closedAfterOneLine();
    assertEquals(0, new Main(java.io.InputStream.nullInputStream(), closing,
        new PrintStream(errBytes, true, StandardCharsets.UTF_8), true, false)
        .run(new String[] {"sql", "SELECT n FROM files.main.numbers", "--format", "csv",
            "--config", config.toString()}));
    assertTrue(closing.checkError());
    assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
  }

  /** A stdout whose reader went away after the first line (| head -1). */
  private static PrintStream closedAfterOneLine() {
    return new PrintStream(new java.io.OutputStream() {
      private boolean lineDone;

      @Override public void write(int b) throws java.io.IOException {
        if (lineDone) {
          throw new java.io.IOException("Broken pipe");
        }
        lineDone = b == '\n';
      }
    }, false, StandardCharsets.UTF_8);
  }

  @Test
  void explainShowsTheSourceSql() {
    assertEquals(0, run("explain", "SELECT name FROM files.main.cities WHERE country = 'JP'",
        "--config", config.toString()));
    assertTrue(out().contains("source=[files]") && out().contains("WHERE \"country\" = 'JP'"),
        out());
  }

  @Test
  void checkReportsEverySource() throws Exception {
    assertEquals(0, run("check", "--config", config.toString()));
    assertTrue(out().contains("ok   files (duckdb)"), out());
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad,
        "sources:\n  pg: {type: postgresql, url: \"jdbc:postgresql://127.0.0.1:1/x\"}\n");
    assertEquals(1, run("check", "--config", bad.toString()));
    assertTrue(out().contains("FAIL pg (postgresql)"), out());
  }

  @Test
  void hashPasswordRefusesControlCharacters() {
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream("secret\0\0\n"
          .getBytes(StandardCharsets.UTF_8)));
      assertEquals(1, run("hash-password", "ana"));
      assertTrue(err().contains("the password contains a control character (U+0000)"), err());
      assertEquals("", out());
      assertFalse(err().contains("secret"), err());
      System.setIn(new java.io.ByteArrayInputStream("secret-pass\n"
          .getBytes(StandardCharsets.UTF_8)));
      assertEquals(0, run("hash-password", "ana"));
      assertTrue(out().startsWith("ana:pbkdf2-sha256$"), out());
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void errorsAreOneLineWithoutStackTrace() {
    assertEquals(1, run("sql", "SELECT nosuch FROM files.main.cities", "--config",
        config.toString()));
    assertTrue(err().contains("Column 'nosuch' not found"), err());
    assertFalse(err().contains("\tat "), err());
    assertEquals(2, run("sql", "--frobnicate"));
    assertTrue(err().contains("unknown option '--frobnicate'"), err());
    assertEquals(2, run("explain"));
    assertTrue(err().contains("explain needs a query"), err());
  }

  @Test
  void helpIsGeneratedForTheToolAndEachCommand() {
    assertEquals(0, run("help"));
    for (String command : new String[] {"shell", "sql", "explain", "check", "policy", "serve",
        "hash-password", "help"}) {
      assertTrue(out().contains("  " + command), command + " in\n" + out());
    }
    assertEquals(0, run("--help"));
    assertTrue(out().startsWith("Usage: junction"), out());
    assertEquals(0, run("help", "serve"));
    assertTrue(out().contains("--server-config=FILE") && out().contains("--insecure-plaintext"),
        out());
    assertEquals(0, run("sql", "--help"));
    assertTrue(out().contains("--format=table|csv|json|jsonl"), out());
  }

  @Test
  void usageErrorsExitWithTwoAndSuggest() {
    assertEquals(2, run());
    assertTrue(err().contains("junction: missing command"), err());
    assertEquals(2, run("sqll"));
    assertTrue(err().contains("unknown command 'sqll'; allowed: shell, sql, explain, check,"
        + " policy, cache, serve, hash-password, help (did you mean 'sql'?)"), err());
    assertEquals(2, run("sql", "SELECT 1", "--confg", "x"));
    assertTrue(err().contains("unknown option '--confg' (did you mean '--config'?)"), err());
    assertEquals(2, run("serve", "--port", "70000"));
    assertTrue(err().contains("--port: '70000' is not allowed; allowed: 0 to 65535"), err());
    assertEquals(2, run("serve", "--serialization", "xml"));
    assertTrue(err().contains("--serialization"), err());
    assertEquals(2, run("hash-password"));
    assertTrue(err().contains("hash-password needs a user name"), err());
  }

  @Test
  void checkPrintsEveryCatalogProblemWithItsLine() throws Exception {
    Path bad = dir.resolve("typo.yaml");
    Files.writeString(bad, "sources:\n  files:\n    type: duckdb\n    pth: x\n");
    assertEquals(1, run("check", "--config", bad.toString()));
    assertTrue(err().contains("Invalid catalog " + bad + ": 2 problems"), err());
    assertTrue(err().contains("  - line 4: source 'files', key 'pth': unknown key"), err());
    assertTrue(err().contains("(did you mean 'path'?)"), err());
    assertTrue(err().contains("  - line 2: source 'files', key 'path': missing"), err());
  }

  @Test
  void serverSettingsProblemsExitWithTwoAndNameTheirLine() throws Exception {
    Path settings = dir.resolve("server.yaml");
    Files.writeString(settings, "listen:\n  port: 99999\nlog-format: xml\n");
    assertEquals(2, run("serve", "--server-config", settings.toString()));
    assertTrue(err().contains("  - line 2: key 'listen.port': '99999' is not allowed"), err());
    assertTrue(err().contains("  - line 3: key 'log-format': 'xml' is not allowed"), err());
  }
}
