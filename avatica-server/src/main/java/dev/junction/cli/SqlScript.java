package dev.junction.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text (a command-line argument, a file or standard input) into statements at
 * each {@code ;} that is outside a string literal, a quoted identifier and a comment.
 *
 * <p>Design: one pass over the text with four states (plain, {@code '...'} with
 * {@code ''} as an escaped quote, {@code "..."} and {@code `...`} identifiers, {@code --}
 * and {@code /* *}{@code /} comments). Comments stay in a statement's text (the parser
 * skips them) but a piece holding nothing but comments and blanks is no statement, so a
 * leading comment or a trailing {@code ;} never reaches the parser as an empty query.
 * Dollar quoting is not SQL that Junction's parser accepts, so it is not recognised.
 */
final class SqlScript {
  private SqlScript() {
  }

  /**
   * One statement of a script, without its {@code ;}, and the line it starts on (1 for the
   * first line; the statement's first line that is not blank or a comment).
   */
  record Statement(String sql, int line) {
  }

  /** The statements of {@code text}, in order; empty when it holds only comments. */
  static List<Statement> split(String text) {
    List<Statement> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean hasCode = false;
    int line = 1;
    int startLine = 1;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      char next = i + 1 < n ? text.charAt(i + 1) : '\0';
      if (c == '-' && next == '-') {
        int end = text.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(text, i, end);
        i = end;
      } else if (c == '/' && next == '*') {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        line += count(text, i, end);
        current.append(text, i, end);
        i = end;
      } else if (c == '\'' || c == '"' || c == '`') {
        if (!hasCode) {
          hasCode = true;
          startLine = line;
        }
        int end = closing(text, i, c);
        line += count(text, i, end);
        current.append(text, i, end);
        i = end;
      } else if (c == ';') {
        add(out, current, hasCode, startLine);
        current.setLength(0);
        hasCode = false;
        i++;
      } else {
        if (c == '\n') {
          line++;
        } else if (!hasCode && !Character.isWhitespace(c)) {
          hasCode = true;
          startLine = line;
        }
        current.append(c);
        i++;
      }
    }
    add(out, current, hasCode, startLine);
    return out;
  }

  /** The index just past the quote that closes the one at {@code start}. */
  private static int closing(String text, int start, char quote) {
    int i = start + 1;
    while (i < text.length()) {
      if (text.charAt(i) == quote) {
        if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return text.length();
  }

  private static int count(String text, int from, int to) {
    int lines = 0;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }

  private static void add(List<Statement> out, StringBuilder sql, boolean hasCode, int line) {
    if (hasCode) {
      out.add(new Statement(sql.toString().strip(), line));
    }
  }
}
