package dev.junction.planner.planning;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The words that must be quoted when they name something. */
class ReservedWordsTest {
  @Test void sqlKeywordsAreReservedInAnyCase() {
    for (String w : List.of("user", "ORDER", "Ref", "dec", "value", "year", "select")) {
      assertTrue(ReservedWords.isReserved(w), w);
    }
  }

  @Test void ordinaryNamesAreNot() {
    for (String w : List.of("sales", "orders", "crm", "main", "public", "shop", "", "a b")) {
      assertFalse(ReservedWords.isReserved(w), w);
    }
    assertFalse(ReservedWords.isReserved(null));
  }
}
