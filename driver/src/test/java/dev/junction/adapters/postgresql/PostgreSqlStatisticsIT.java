package dev.junction.adapters.postgresql;

import dev.junction.adapters.jdbc.SourceSessions;
import dev.junction.spi.ColumnStatistics;
import dev.junction.spi.Source;
import dev.junction.testing.SentBytesSocketFactory;
import dev.junction.testing.TestingPostgreSqlServer;

import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Wrapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The column statistics {@link PostgreSqlAdapter} reads from a real PostgreSQL's
 * {@code pg_stats}: distinct counts and histograms, both from one query per table, counted
 * on the wire ({@link SentBytesSocketFactory}).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgreSqlStatisticsIT {
  private static final int ROWS = 20_000;
  private static final Double NONE = -1.0;
  private static TestingPostgreSqlServer pg;

  @BeforeAll
  static void load() throws Exception {
    pg = new TestingPostgreSqlServer();
    String first = pg.namespace() + ".first";
    String second = pg.namespace() + ".second";
    pg.execute("CREATE TABLE " + first + " (id int PRIMARY KEY, region int, day date,"
            + " status text)",
        "INSERT INTO " + first + " SELECT i, i % 40, DATE '2020-01-01' + i % 400,"
            + " 's' || i % 3 FROM generate_series(1, " + ROWS + ") i",
        "CREATE TABLE " + second + " AS TABLE " + first,
        "ANALYZE " + first, "ANALYZE " + second);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static Source open() {
    return SourceSessions.open("pgs", "postgresql", Map.of("url", pg.jdbcUrl(),
        "user", pg.user(), "password", pg.password()), Map.of(
        "socketFactory", SentBytesSocketFactory.class.getName(),
        "prepareThreshold", "0", "sslmode", "disable", "gssEncMode", "disable"));
  }

  private static ColumnStatistics statistics(Source source, String table) {
    Schema schema = source.schema().subSchemas().get(pg.namespace());
    assertNotNull(schema, pg.namespace());
    ColumnStatistics stats = ((Wrapper) schema.tables().get(table))
        .unwrap(ColumnStatistics.class);
    assertNotNull(stats, table);
    return stats;
  }

  private static void assertNear(double expected, OptionalDouble actual, double factor,
      String what) {
    double a = actual.orElse(NONE);
    assertTrue(a >= expected / factor && a <= expected * factor,
        what + ": expected about " + expected + ", got " + actual);
  }

  /** Reads every statistic of the table's columns, twice, and checks what it found. */
  private static void readAll(ColumnStatistics stats) {
    for (int round = 0; round < 2; round++) {
      assertNear(ROWS, stats.distinctValues(0), 1.05, "key, n_distinct -1 times the rows");
      assertNear(40, stats.distinctValues(1), 1.05, "region");
      assertNear(400, stats.distinctValues(2), 1.1, "day");
      assertNear(3, stats.distinctValues(3), 1.05, "status");
      assertNear(0.25, stats.rangeShare(1, 0, 9), 1.1, "a quarter of the regions");
      assertNear(0.25, stats.rangeShare(2, 18_262, 18_361), 1.2, "100 of the 400 days");
      assertTrue(stats.rangeShare(3, 0, 1).isEmpty(), "text has no histogram");
    }
  }

  @Test
  void distinctCountsAndHistogramsComeFromOneQueryPerTable() throws Exception {
    SentBytesSocketFactory.clear();
    Source source = open();
    try {
      readAll(statistics(source, "first"));
      assertEquals(1, SentBytesSocketFactory.occurrences("pg_stats"), "one table");
      readAll(statistics(source, "second"));
      assertEquals(2, SentBytesSocketFactory.occurrences("pg_stats"), "two tables");
      source.refresh();
      readAll(statistics(source, "first"));
      assertEquals(3, SentBytesSocketFactory.occurrences("pg_stats"),
          "expired together, read again together");
    } finally {
      source.close();
    }
  }
}
