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
    assertEquals("{\"id\": 1, \"name\": \"Lyon\"}\n", out().replace("\r", ""));
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
    assertTrue(out().contains("--format=table|csv|json"), out());
  }

  @Test
  void usageErrorsExitWithTwoAndSuggest() {
    assertEquals(2, run());
    assertTrue(err().contains("junction: missing command"), err());
    assertEquals(2, run("sqll"));
    assertTrue(err().contains("unknown command 'sqll'; allowed: shell, sql, explain, check,"
        + " policy, serve, hash-password, help (did you mean 'sql'?)"), err());
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
