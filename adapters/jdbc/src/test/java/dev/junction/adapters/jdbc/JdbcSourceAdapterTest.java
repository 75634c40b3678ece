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

  @Test
  void hostAndPortComeFromTheUrlWithoutCredentials() {
    assertEquals("db.example:5433", JdbcSourceAdapter.hostAndPort(
        "jdbc:postgresql://db.example:5433/sales?sslmode=require", 5432));
    assertEquals("db.example:5432", JdbcSourceAdapter.hostAndPort(
        "jdbc:postgresql://db.example/sales", 5432));
    assertEquals("localhost:5432", JdbcSourceAdapter.hostAndPort("jdbc:postgresql:sales", 5432));
    assertEquals("a:3306,b:3307", JdbcSourceAdapter.hostAndPort(
        "jdbc:mariadb:replication://a,b:3307/db", 3306));
    assertEquals("h:3306", JdbcSourceAdapter.hostAndPort(
        "jdbc:mysql://root:secret@h/db", 3306));
    assertEquals("[::1]:5432", JdbcSourceAdapter.hostAndPort("jdbc:postgresql://[::1]/db", 5432));
    assertEquals("[::1]:6000", JdbcSourceAdapter.hostAndPort(
        "jdbc:postgresql://[::1]:6000/db", 5432));
  }
}
