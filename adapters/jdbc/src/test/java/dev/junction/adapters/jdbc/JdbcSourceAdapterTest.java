package dev.junction.adapters.jdbc;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shared adapter base's URL handling for options Junction forces. */
class JdbcSourceAdapterTest {
  private static final Set<String> FORCED = Set.of("allowMultiQueries", "allowLocalInfile");

  @Test
  void forcedOptionsLeaveTheUrlWhateverTheirCase() {
    assertEquals("jdbc:mariadb://h/db?useSsl=true&a=b", JdbcSourceAdapter.withoutOptions(
        "jdbc:mariadb://h/db?ALLOWMULTIQUERIES=true&useSsl=true&allowLocalInfile&a=b", FORCED));
    assertEquals("jdbc:mariadb://h/db", JdbcSourceAdapter.withoutOptions(
        "jdbc:mariadb://h/db?allowMultiQueries=true", FORCED));
  }

  @Test
  void urlsWithoutThemAreUnchanged() {
    assertEquals("jdbc:mariadb://h/db", JdbcSourceAdapter.withoutOptions(
        "jdbc:mariadb://h/db", FORCED));
    assertEquals("jdbc:postgresql://h/db?sslmode=require", JdbcSourceAdapter.withoutOptions(
        "jdbc:postgresql://h/db?sslmode=require", Set.of()));
  }
}
