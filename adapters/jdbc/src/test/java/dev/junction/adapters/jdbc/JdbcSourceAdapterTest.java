package dev.junction.adapters.jdbc;

import dev.junction.spi.SourceSpec;

import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.dialect.AnsiSqlDialect;

import com.zaxxer.hikari.HikariConfig;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shared adapter base: URL handling for options Junction forces, and the pool
 * settings it reads from the catalog and checks.
 */
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

  /** An adapter with nothing of its own, for the base's settings. */
  private static final JdbcSourceAdapter BASE = new JdbcSourceAdapter() {
    @Override public String type() {
      return "test";
    }

    @Override public SqlDialect dialect() {
      return AnsiSqlDialect.DEFAULT;
    }

    @Override protected String driverClassName() {
      return "none";
    }
  };

  private static SourceSpec spec(Map<String, Object> values) {
    return new SourceSpec("sales", "test", values, List.of(), List.of(), Map.of(),
        Duration.ofMinutes(10));
  }

  @Test
  void poolKeysReachThePool() {
    HikariConfig c = JdbcSourceAdapter.poolConfig(spec(Map.of("pool-size", 32L,
        "pool-connection-timeout", Duration.ofMillis(1500),
        "pool-idle-timeout", Duration.ofSeconds(45),
        "pool-max-lifetime", Duration.ofMinutes(10))));
    assertEquals(32, c.getMaximumPoolSize());
    assertEquals(1500, c.getConnectionTimeout());
    assertEquals(1500, c.getValidationTimeout());
    assertEquals(45_000, c.getIdleTimeout());
    assertEquals(600_000, c.getMaxLifetime());
    assertEquals(0, c.getMinimumIdle());
  }

  @Test
  void withoutPoolKeysAQueryWaitsTenSecondsOrTheConnectTimeout() {
    HikariConfig c = JdbcSourceAdapter.poolConfig(spec(Map.of()));
    assertEquals(8, c.getMaximumPoolSize());
    assertEquals(10_000, c.getConnectionTimeout());
    assertEquals(5_000, c.getValidationTimeout());
    assertEquals(120_000, c.getIdleTimeout());
    assertEquals(1_800_000, c.getMaxLifetime());
    assertEquals(30_000, JdbcSourceAdapter.poolConfig(spec(Map.of("connect-timeout",
        Duration.ofSeconds(30)))).getConnectionTimeout());
  }

  @Test
  void poolKeysHikariWouldReplaceAreRefused() {
    assertEquals(List.of(
        "key 'pool-size': expected a whole number from 1 to 10000, found 0",
        "key 'pool-connection-timeout': expected at least 250 ms, found 100 ms",
        "key 'pool-idle-timeout': expected at least 10 s, found 5 s",
        "key 'pool-max-lifetime': expected at least 30 s, found 20 s"),
        BASE.validate(spec(Map.of("pool-size", 0L,
            "pool-connection-timeout", Duration.ofMillis(100),
            "pool-idle-timeout", Duration.ofSeconds(5),
            "pool-max-lifetime", Duration.ofSeconds(20)))));
    assertEquals(List.of("key 'pool-idle-timeout': 60 s must be at least 1 s below"
        + " pool-max-lifetime (60 s)"), BASE.validate(spec(Map.of("pool-idle-timeout",
        Duration.ofMinutes(1), "pool-max-lifetime", Duration.ofMinutes(1)))));
    assertEquals(List.of(
        "key 'pool-idle-timeout': 1800 s must be at least 1 s below pool-max-lifetime (1800 s)"),
        BASE.validate(spec(Map.of("pool-idle-timeout", Duration.ofMinutes(30)))));
    assertEquals(List.of(), BASE.validate(spec(Map.of("pool-size", 64L,
        "pool-idle-timeout", Duration.ofMinutes(1), "pool-max-lifetime",
        Duration.ofMinutes(5)))));
  }
}
