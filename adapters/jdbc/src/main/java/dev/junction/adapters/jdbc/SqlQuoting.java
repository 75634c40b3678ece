package dev.junction.adapters.jdbc;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

/**
 * Writes user text (string literals and identifiers) into source SQL so that the source's
 * lexer reads back exactly the characters the user wrote, never more.
 *
 * <p>Two lexical families cover the sources:
 *
 * <ul>
 * <li>standard strings ({@link #appendStandardLiteral}): only {@code '} is special and is
 * doubled. PostgreSQL with {@code standard_conforming_strings = on} (pinned at connect),
 * DuckDB and SQLite read strings this way;</li>
 * <li>backslash strings ({@link #appendBackslashLiteral}): MySQL and MariaDB, unless
 * {@code NO_BACKSLASH_ESCAPES} is set (it is removed at connect), read {@code \} as an
 * escape, so it is doubled too and NUL is written {@code \0}. Calcite 1.42 doubled only
 * the quote, so a literal ending in {@code \} ended later in MariaDB than in Junction
 * (CALCITE-7667).</li>
 * </ul>
 *
 * <p>Quoted identifiers double their quote character in every source. A character no
 * source text can carry (NUL in PostgreSQL, DuckDB and SQLite text, and in every
 * identifier; an unpaired UTF-16 surrogate, which drivers turn into {@code ?}) is refused
 * with {@link ErrorCode#INVALID_CHARACTER}; dialects keep expressions with such literals in
 * Junction (see {@link PushdownDialect#supportsLiteral}), so a refusal here only reaches a
 * user whose text cannot be written at all.
 */
public final class SqlQuoting {
  private SqlQuoting() {
  }

  /** Appends {@code value} as a standard SQL string literal: {@code '} doubled. */
  public static void appendStandardLiteral(StringBuilder buf, String value, String source) {
    requireWritable(value, false, source, "string literal");
    buf.append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'') {
        buf.append('\'');
      }
      buf.append(c);
    }
    buf.append('\'');
  }

  /**
   * Appends {@code value} as a MySQL/MariaDB string literal for a session without
   * {@code NO_BACKSLASH_ESCAPES}: {@code '} doubled, {@code \} doubled, NUL as {@code \0}.
   * Other characters, control characters and comment openers included, mean themselves
   * inside the quotes.
   */
  public static void appendBackslashLiteral(StringBuilder buf, String value, String source) {
    appendBackslashLiteral(buf, value, source, true);
  }

  /**
   * Appends {@code value} as a string literal of a source that reads {@code \} as an
   * escape: {@code '} doubled, {@code \} doubled, and NUL as {@code \0} when
   * {@code nulAllowed}, else refused (Snowflake, whose manual documents no NUL escape).
   */
  public static void appendBackslashLiteral(StringBuilder buf, String value, String source,
      boolean nulAllowed) {
    requireWritable(value, nulAllowed, source, "string literal");
    buf.append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\'' -> buf.append("''");
        case '\\' -> buf.append("\\\\");
        case '\0' -> buf.append("\\0");
        default -> buf.append(c);
      }
    }
    buf.append('\'');
  }

  /**
   * Appends {@code name} between {@code quote} characters, doubling any {@code quote}
   * inside. No source accepts NUL in a name, so such a name is refused.
   */
  public static void appendIdentifier(StringBuilder buf, String name, char quote,
      String source) {
    requireWritable(name, false, source, "identifier");
    buf.append(quote);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == quote) {
        buf.append(quote);
      }
      buf.append(c);
    }
    buf.append(quote);
  }

  /**
   * Whether {@code value} can be written into a source's SQL text: no unpaired surrogate,
   * and no NUL unless {@code nulAllowed}.
   */
  public static boolean isWritable(String value, boolean nulAllowed) {
    return firstUnwritable(value, nulAllowed) < 0;
  }

  private static int firstUnwritable(String value, boolean nulAllowed) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0' && !nulAllowed) {
        return i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static void requireWritable(String value, boolean nulAllowed, String source,
      String what) {
    int at = firstUnwritable(value, nulAllowed);
    if (at >= 0) {
      char c = value.charAt(at);
      String name = c == '\0' ? "NUL (U+0000)"
          : String.format(java.util.Locale.ROOT, "an unpaired surrogate (U+%04X)", (int) c);
      throw new JunctionException(ErrorCode.INVALID_CHARACTER, "a " + what + " holds " + name
          + " at position " + (at + 1) + ", which " + source + " SQL cannot carry");
    }
  }
}
