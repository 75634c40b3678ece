package dev.junction.conformance;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads SQL with Snowflake's lexical rules, written from Snowflake's SQL reference and not
 * from Junction's dialect: {@code '...'} strings with {@code ''} and backslash escapes
 * ({@code \'}, {@code \"}, {@code \\}, {@code \b}, {@code \f}, {@code \n}, {@code \r},
 * {@code \t}, {@code \0}, octal {@code \ooo}, {@code \xhh}, {@code \\uhhhh}; a backslash
 * before any other character stands for that character), {@code $$...$$} strings,
 * {@code "..."} identifiers with {@code ""}, comments ({@code --}, {@code //},
 * {@code /* *}{@code /}) and {@code ;}. Fails on an unterminated string or identifier.
 */
final class SnowflakeLexer {
  private SnowflakeLexer() {
  }

  /**
   * A statement as Snowflake reads it: the text outside literals and identifiers (each
   * literal as {@code ?}, each comment as {@code <COMMENT>}, each {@code ;} as
   * {@code <SEMI>}), the literals' values and the identifiers' names.
   */
  record Lexed(String skeleton, List<String> literals, List<String> identifiers) {
  }

  static Lexed lex(String sql) {
    StringBuilder skeleton = new StringBuilder();
    List<String> literals = new ArrayList<>();
    List<String> identifiers = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        StringBuilder v = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= n) {
            fail("unterminated string literal in " + sql);
          }
          char d = sql.charAt(j);
          if (d == '\'') {
            if (j + 1 < n && sql.charAt(j + 1) == '\'') {
              v.append('\'');
              j += 2;
              continue;
            }
            j++;
            break;
          }
          if (d == '\\' && j + 1 < n) {
            j = escape(sql, j + 1, v);
            continue;
          }
          v.append(d);
          j++;
        }
        skeleton.append('?');
        literals.add(v.toString());
        i = j;
      } else if (c == '$' && sql.startsWith("$$", i)) {
        int end = sql.indexOf("$$", i + 2);
        if (end < 0) {
          fail("unterminated $$ string in " + sql);
        }
        skeleton.append('?');
        literals.add(sql.substring(i + 2, end));
        i = end + 2;
      } else if (c == '"') {
        StringBuilder v = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= n) {
            fail("unterminated identifier in " + sql);
          }
          if (sql.charAt(j) == '"') {
            if (j + 1 < n && sql.charAt(j + 1) == '"') {
              v.append('"');
              j += 2;
              continue;
            }
            j++;
            break;
          }
          v.append(sql.charAt(j++));
        }
        skeleton.append("<ID>");
        identifiers.add(v.toString());
        i = j;
      } else if (sql.startsWith("--", i) || sql.startsWith("//", i)
          || sql.startsWith("/*", i)) {
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
    return new Lexed(skeleton.toString(), literals, identifiers);
  }

  /** Reads the escape sequence whose first character is at {@code at}; returns its end. */
  private static int escape(String sql, int at, StringBuilder v) {
    char e = sql.charAt(at);
    switch (e) {
      case 'b' -> v.append('\b');
      case 'f' -> v.append('\f');
      case 'n' -> v.append('\n');
      case 'r' -> v.append('\r');
      case 't' -> v.append('\t');
      case 'x' -> {
        v.append((char) Integer.parseInt(sql.substring(at + 1, at + 3), 16));
        return at + 3;
      }
      case 'u' -> {
        v.append((char) Integer.parseInt(sql.substring(at + 1, at + 5), 16));
        return at + 5;
      }
      default -> {
        if (e >= '0' && e <= '7') {
          int end = at;
          while (end < at + 3 && end < sql.length() && sql.charAt(end) >= '0'
              && sql.charAt(end) <= '7') {
            end++;
          }
          v.append((char) Integer.parseInt(sql.substring(at, end), 8));
          return end;
        }
        v.append(e);
      }
    }
    return at + 1;
  }
}
