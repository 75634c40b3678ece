package dev.junction.cli;

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

/** {@code junction check} warns about sources that SQL can only name in double quotes. */
class CheckWarningsTest {
  @TempDir
  Path dir;

  @Test
  void warnsAboutASourceNamedByAReservedWordAndStillPasses() throws Exception {
    Path config = dir.resolve("junction.yaml");
    Files.writeString(config, "sources:\n  user: {type: duckdb, path: \":memory:\"}\n"
        + "  files: {type: duckdb, path: \":memory:\"}\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(new String[] {"check", "--config", config.toString()});
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, "a warning is not a failure: " + printed);
    assertTrue(printed.contains("warn source 'user' is a reserved word in SQL: queries must"
        + " write it in double quotes (SELECT * FROM \"user\".schema.table)"), printed);
    assertFalse(printed.contains("source 'files' is a reserved word"), printed);
  }
}
