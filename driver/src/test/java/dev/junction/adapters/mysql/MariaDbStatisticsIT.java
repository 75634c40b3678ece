package dev.junction.adapters.mysql;

import dev.junction.testing.TestingMariaDbServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distinct counts {@link MySqlAdapter} reads from a real MariaDB: the engine-independent
 * statistics where {@code ANALYZE TABLE ... PERSISTENT FOR ALL} collected them, an index's
 * cardinality where only InnoDB's own statistics exist, nothing for a column neither
 * covers.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MariaDbStatisticsIT {
  private static final int ROWS = 20_000;
  private static TestingMariaDbServer maria;

  @BeforeAll
  static void load() throws Exception {
    maria = new TestingMariaDbServer();
    String s = maria.namespace();
    for (String table : new String[] {"analyzed", "indexed"}) {
      maria.execute("CREATE TABLE " + s + "." + table + " (id INT PRIMARY KEY, region INT,"
              + " status VARCHAR(10), KEY (region))",
          "INSERT INTO " + s + "." + table + " SELECT seq, seq % 40, CONCAT('s', seq % 3)"
              + " FROM seq_1_to_" + ROWS);
    }
    maria.execute("ANALYZE TABLE " + s + ".analyzed PERSISTENT FOR ALL",
        "ANALYZE TABLE " + s + ".indexed");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (maria != null) {
      maria.close();
    }
  }

  private static void assertNear(double expected, Double actual, double factor, String what) {
    assertTrue(actual != null && actual >= expected / factor && actual <= expected * factor,
        what + ": expected about " + expected + ", got " + actual);
  }

  @Test
  void engineIndependentStatisticsCountEveryColumn() throws Exception {
    try (Connection c = maria.connect()) {
      Map<String, Double> v = new MySqlAdapter().distinctValues(c, maria.namespace(),
          "analyzed", ROWS);
      assertNear(ROWS, v.get("id"), 1.05, "key");
      assertNear(40, v.get("region"), 1.05, "indexed column");
      assertNear(3, v.get("status"), 1.05, "column without an index");
    }
  }

  @Test
  void withoutThemAnIndexCardinalityIsTheEstimate() throws Exception {
    try (Connection c = maria.connect()) {
      Map<String, Double> v = new MySqlAdapter().distinctValues(c, maria.namespace(),
          "indexed", ROWS);
      assertNear(40, v.get("region"), 3, "InnoDB's sampled cardinality");
      assertFalse(v.containsKey("status"), "no statistic, no guess: " + v);
    }
  }
}
