package dev.junction.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Splitting SQL text into statements. */
class SqlScriptTest {
  private static List<String> sql(String text) {
    return SqlScript.split(text).stream().map(SqlScript.Statement::sql).toList();
  }

  @Test
  void splitsAtSemicolonsOutsideQuotesAndComments() {
    assertEquals(List.of("SELECT 'a;b'", "SELECT \"x;y\" FROM t", "SELECT `c;d`"),
        sql("SELECT 'a;b'; SELECT \"x;y\" FROM t;SELECT `c;d`"));
    assertEquals(List.of("SELECT 'it''s; ok'"), sql("SELECT 'it''s; ok';"));
    assertEquals(List.of("SELECT 1 -- one; two", "/* three; */ SELECT 3"),
        sql("SELECT 1 -- one; two\n;/* three; */ SELECT 3"));
  }

  @Test
  void commentsAndBlanksAloneAreNoStatement() {
    assertEquals(List.of(), sql("-- nothing\n  ;; /* still; nothing */ ;\n"));
    assertEquals(List.of("-- leading\nSELECT 1"), sql("-- leading\nSELECT 1;\n-- trailing"));
  }

  @Test
  void eachStatementKnowsItsFirstLine() {
    List<SqlScript.Statement> s = SqlScript.split("SELECT 1;\n\n/* a\nb */\n"
        + "-- c\n  SELECT\n 'x\ny';\nSELECT 3");
    assertEquals(List.of(1, 6, 9), s.stream().map(SqlScript.Statement::line).toList());
  }

  @Test
  void anUnclosedQuoteOrCommentRunsToTheEnd() {
    assertEquals(List.of("SELECT 'a; b"), sql("SELECT 'a; b"));
    assertEquals(List.of("SELECT 1 /* x; y"), sql("SELECT 1 /* x; y"));
  }
}
