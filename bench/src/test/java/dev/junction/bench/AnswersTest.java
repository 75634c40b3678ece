package dev.junction.bench;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the benchmark decides that two answers agree. */
class AnswersTest {
  private static String[] row(Object... values) {
    String[] r = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      r[i] = Answers.encode(values[i]);
    }
    return r;
  }

  @Test
  void numbersAgreeWithinTheTolerance() {
    assertNull(Answers.compare(List.<String[]>of(row("A", new BigDecimal("25.5"))),
        List.<String[]>of(row("A   ", 25.500000001d)), true));
    assertNull(Answers.compare(List.<String[]>of(row(new BigDecimal("1234.56"))),
        List.<String[]>of(row(new BigDecimal("1234.565"))), true), "TPC-H rounds to the cent");
    assertNotNull(Answers.compare(List.<String[]>of(row(new BigDecimal("1234.56"))),
        List.<String[]>of(row(new BigDecimal("1234.60"))), true));
  }

  @Test
  void textIsNotANumberAndNullIsNotEmpty() {
    assertNotNull(Answers.compare(List.<String[]>of(row("13")), List.<String[]>of(row(13)), false));
    assertNotNull(Answers.compare(List.<String[]>of(row((Object) null)),
        List.<String[]>of(row("")), false));
    assertNull(Answers.compare(List.<String[]>of(row(java.sql.Date.valueOf("1995-01-02"))),
        List.<String[]>of(row(java.time.LocalDate.of(1995, 1, 2))), false));
  }

  @Test
  void rowCountsMustMatch() {
    String difference = Answers.compare(List.of(row(1), row(2)), List.<String[]>of(row(1)),
        false);
    assertTrue(difference.startsWith("expected 2 rows but got 1"), difference);
  }

  @Test
  void reorderedTiesAreOnlyAnOrderDifference() {
    List<String[]> expected = List.<String[]>of(row(1, "a"), row(1, "b"));
    List<String[]> actual = List.<String[]>of(row(1, "b"), row(1, "a"));
    assertTrue(Answers.orderOnly(Answers.compare(expected, actual, true)));
    assertNull(Answers.compare(expected, actual, false));
    assertEquals(false, Answers.orderOnly(Answers.compare(expected,
        List.<String[]>of(row(1, "b"), row(1, "c")), true)));
  }
}
