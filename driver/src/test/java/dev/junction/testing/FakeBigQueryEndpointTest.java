package dev.junction.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How {@link FakeBigQueryEndpoint} reads GoogleSQL into DuckDB's SQL. */
class FakeBigQueryEndpointTest {
  private static String duck(String googleSql) {
    return FakeBigQueryEndpoint.translate(googleSql).replaceAll("\\s+", " ");
  }

  @Test
  void escapesBecomeValues() {
    assertEquals("SELECT 'a\\' = \"s\" FROM \"d\".\"t\"",
        duck("SELECT 'a\\\\' = `s` FROM `d`.`t`"));
  }

  @Test
  void truncatingADateIsDuckDbsDateTrunc() {
    assertEquals("SELECT CAST(\"date_trunc\"('month', \"placed\") AS DATE) FROM \"d\".\"t\"",
        duck("SELECT DATE_TRUNC(`placed`, MONTH) FROM `d`.`t`"));
  }

  @Test
  void nullsSortFirstAscendingAsInGoogleSql() {
    assertEquals("SELECT \"a\" FROM \"d\".\"t\" ORDER BY \"a\" NULLS FIRST,"
        + " \"b\" DESC NULLS LAST",
        duck("SELECT `a` FROM `d`.`t` ORDER BY `a`, `b` DESC"));
  }

  @Test
  void limitInASubquery() {
    assertEquals("SELECT COUNT(*) FROM (SELECT \"status\" FROM \"a\".\"orders\" LIMIT 3)"
        + " AS \"t1\"",
        duck("SELECT COUNT(*) FROM (SELECT `status` FROM `a`.`orders` LIMIT 3) AS `t1`"));
  }
}
