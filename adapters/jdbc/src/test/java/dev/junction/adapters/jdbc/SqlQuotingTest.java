package dev.junction.adapters.jdbc;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link SqlQuoting} writes literals and identifiers. */
class SqlQuotingTest {
  private static String standard(String s) {
    StringBuilder b = new StringBuilder();
    SqlQuoting.appendStandardLiteral(b, s, "X");
    return b.toString();
  }

  private static String backslash(String s) {
    StringBuilder b = new StringBuilder();
    SqlQuoting.appendBackslashLiteral(b, s, "X");
    return b.toString();
  }

  @Test
  void standardLiteralsDoubleOnlyTheQuote() {
    assertEquals("'a\\'' OR 1=1 -- '", standard("a\\' OR 1=1 -- "));
    assertEquals("'\"`#/*\n'", standard("\"`#/*\n"));
  }

  @Test
  void backslashLiteralsEscapeBackslashQuoteAndNul() {
    assertEquals("'a\\\\'", backslash("a\\"));
    assertEquals("'a\\\\'' AND x = '') OR 1=1 -- '",
        backslash("a\\' AND x = ') OR 1=1 -- "));
    assertEquals("'\\0\\\\0'", backslash("\0\\0"));
  }

  @Test
  void identifiersDoubleTheirQuote() {
    StringBuilder b = new StringBuilder();
    SqlQuoting.appendIdentifier(b, "a`b\"c", '`', "X");
    assertEquals("`a``b\"c`", b.toString());
  }

  @Test
  void nulAndLoneSurrogatesAreRefused() {
    JunctionException e = assertThrows(JunctionException.class, () -> standard("a\0b"));
    assertEquals(ErrorCode.INVALID_CHARACTER, e.code());
    assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    assertThrows(JunctionException.class,
        () -> SqlQuoting.appendIdentifier(new StringBuilder(), "a\0", '"', "X"));
    assertThrows(JunctionException.class, () -> backslash("\uD800x"));
    assertFalse(SqlQuoting.isWritable("\uDC00", true));
    assertTrue(SqlQuoting.isWritable("\uD83D\uDE00", false));
    assertTrue(SqlQuoting.isWritable("\0", true));
  }
}
