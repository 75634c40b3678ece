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
}
