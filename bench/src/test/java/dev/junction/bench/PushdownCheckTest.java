package dev.junction.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The benchmark's check that a query went to its source whole. */
class PushdownCheckTest {
  private static final String Q = "-- ORDER BY in a comment does not count\n"
      + "SELECT p_brand, COUNT(*) FROM ${part}, ${partsupp} WHERE p_partkey = ps_partkey"
      + " GROUP BY p_brand ORDER BY p_brand LIMIT 10";

  @Test
  void wholeQuery() {
    assertNull(PushdownCheck.notPushed(Q, List.of("SELECT \"p_brand\", COUNT(*) FROM"
        + " \"s\".\"part\" INNER JOIN \"s\".\"partsupp\" ON x GROUP BY \"p_brand\""
        + " ORDER BY \"p_brand\" FETCH NEXT 10 ROWS ONLY")));
  }

  @Test
  void oneStatementWithoutTheAggregateIsNotWhole() {
    assertEquals("its 1 statement lacks table partsupp, GROUP BY, ORDER BY, LIMIT",
        PushdownCheck.notPushed(Q, List.of("SELECT * FROM \"s\".\"part\"")));
  }

  @Test
  void severalStatementsAreNotWhole() {
    assertEquals("2 statements", PushdownCheck.notPushed(Q, List.of("a", "b")));
    assertEquals("0 statements", PushdownCheck.notPushed(Q, List.of()));
  }
}
