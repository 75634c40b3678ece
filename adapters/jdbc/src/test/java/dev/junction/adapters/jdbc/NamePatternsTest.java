package dev.junction.adapters.jdbc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Include/exclude globs over schemas and tables. */
class NamePatternsTest {
  @Test
  void emptyPatternsExposeEverything() {
    NamePatterns p = new NamePatterns(List.of(), List.of());
    assertTrue(p.schemaVisible("public"));
    assertTrue(p.tableVisible("public", "orders"));
  }

  @Test
  void schemaAndTableGlobsMatchCaseInsensitively() {
    NamePatterns p = new NamePatterns(List.of("Sales*", "ops.report_?"), List.of("sales_old"));
    assertTrue(p.schemaVisible("sales"));
    assertTrue(p.schemaVisible("SALES_2024"));
    assertFalse(p.schemaVisible("sales_old"));
    assertTrue(p.schemaVisible("ops"), "including a table makes its schema visible");
    assertTrue(p.tableVisible("ops", "report_1"));
    assertFalse(p.tableVisible("ops", "report_10"));
    assertFalse(p.schemaVisible("hr"));
  }

  @Test
  void excludeWinsOverInclude() {
    NamePatterns p = new NamePatterns(List.of("main"), List.of("main.tmp_*"));
    assertTrue(p.tableVisible("main", "orders"));
    assertFalse(p.tableVisible("main", "tmp_load"));
  }

  @Test
  void regexCharactersAreLiteral() {
    NamePatterns p = new NamePatterns(List.of("a+b"), List.of());
    assertTrue(p.schemaVisible("a+b"));
    assertFalse(p.schemaVisible("aab"));
  }
}
