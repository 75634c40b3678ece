package dev.junction.planner.planning;

import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParser;

import java.util.Locale;

/**
 * The words Junction's SQL parser reserves ({@code USER}, {@code ORDER}, {@code REF},
 * {@code DEC}...): a source, schema, table, column or alias so named must be written in
 * double quotes. The catalog check warns about such source names and syntax errors name
 * the word.
 */
public final class ReservedWords {
  private static final SqlAbstractParserImpl.Metadata METADATA =
      SqlParser.create("").getMetadata();

  private ReservedWords() {
  }

  /** Whether {@code word}, in any case, is reserved. */
  public static boolean isReserved(String word) {
    return word != null && !word.isEmpty()
        && METADATA.isReservedWord(word.toUpperCase(Locale.ROOT));
  }
}
