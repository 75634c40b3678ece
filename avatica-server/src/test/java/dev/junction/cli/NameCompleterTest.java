package dev.junction.cli;

import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell's name completion through jline's Completer API, on a catalog of two sources
 * (CSV files in DuckDB, and a second DuckDB with a table whose name needs quotes).
 */
class NameCompleterTest {
  @TempDir
  Path dir;
  Connection connection;
  NameCompleter completer;

  @BeforeEach
  void catalog() throws Exception {
    Path files = Files.createDirectories(dir.resolve("exports"));
    Files.writeString(files.resolve("cities.csv"), "id,name,country\n1,Lyon,FR\n");
    Files.writeString(files.resolve("orders.csv"), "order_id,city_id,total\n1,1,9.5\n");
    Path config = dir.resolve("junction.yaml");
    Files.writeString(config, "sources:\n"
        + "  files: {type: duckdb, path: \":memory:\", files: " + files + "}\n"
        + "  fin: {type: duckdb, path: \":memory:\"}\n");
    connection = DriverManager.getConnection("jdbc:junction:config=" + config);
    completer = new NameCompleter(connection::getMetaData);
  }

  @AfterEach
  void close() throws Exception {
    connection.close();
  }

  /** What Tab offers at the end of {@code line}, as jline's reader asks for it. */
  private List<String> complete(String line) {
    ParsedLine parsed = new DefaultParser().parse(line, line.length());
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, parsed, candidates);
    String word = parsed.word().substring(0, parsed.wordCursor());
    // jline shows the candidates that start with the word typed.
    return candidates.stream().map(Candidate::value).filter(v -> v.startsWith(word))
        .toList();
  }

  @Test
  void completesSourcesSchemasTablesAndColumns() {
    assertEquals(List.of("files", "fin"), complete("SELECT * FROM f"));
    assertEquals(List.of("files.main"), complete("SELECT * FROM files.m"));
    assertEquals(List.of("files.main.cities"), complete("SELECT * FROM files.main.ci"));
    assertEquals(List.of("files.main.cities", "files.main.orders"),
        complete("SELECT * FROM files.main."));
    assertEquals(List.of("files.main.orders.order_id"),
        complete("SELECT files.main.orders.ord"));
  }

  @Test
  void completesColumnsAfterAnAliasOrTableNameAndBareColumnsOfTheLinesTables() {
    String from = " FROM files.main.orders o JOIN files.main.cities ON o.city_id = cities.id"
        + " WHERE ";
    assertEquals(List.of("o.order_id", "o.city_id", "o.total"), complete(from + "o."));
    assertEquals(List.of("cities.name"), complete(from + "cities.na"));
    assertEquals(List.of("country"), complete(from + "cou"));
    // Inside a function call: the word starts after the parenthesis.
    ParsedLine parsed = new DefaultParser().parse("SELECT SUM(o.to" + from, 15);
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, parsed, candidates);
    assertTrue(candidates.stream().anyMatch(c -> c.value().equals("SUM(o.total")),
        candidates.toString());
  }

  @Test
  void sourcesAndSchemasAwaitADotTablesAndColumnsAreComplete() {
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, new DefaultParser().parse("SELECT * FROM fil", 17), candidates);
    Candidate files = candidates.stream().filter(c -> c.value().equals("files")).findFirst()
        .orElseThrow();
    assertFalse(files.complete());
    assertEquals("source", files.group());
    candidates.clear();
    completer.complete(null, new DefaultParser().parse("SELECT * FROM files.main.ci", 27),
        candidates);
    Candidate cities = candidates.stream().filter(c -> c.value().equals("files.main.cities"))
        .findFirst().orElseThrow();
    assertTrue(cities.complete());
    assertEquals("table", cities.group());
  }

  @Test
  void namesThatNeedQuotesAreQuoted() {
    assertEquals("\"Order Items\"", NameCompleter.quote("Order Items"));
    assertEquals("order_items", NameCompleter.quote("order_items"));
    assertEquals("\"1st\"", NameCompleter.quote("1st"));
    assertEquals(List.of("files.main.cities"),
        NameCompleter.tablesIn("SELECT * FROM \"files\".main.cities WHERE").values().stream()
            .map(t -> String.join(".", t)).distinct().toList());
  }
}
