package dev.junction.adapters.postgresql;

import dev.junction.adapters.jdbc.DecimalTypeSystem;

import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;

/**
 * Calcite's PostgreSQL dialect with the corrections Junction needs: no character-set
 * clause in casts, and DECIMAL casts up to 38 digits (PostgreSQL rejects
 * {@code CHARACTER SET "ISO-8859-1"}).
 * Window functions run in Junction, as on every source (see the README).
 */
final class PostgreSqlDialect extends PostgresqlSqlDialect {
  static final PostgreSqlDialect INSTANCE = new PostgreSqlDialect();

  private PostgreSqlDialect() {
    super(PostgresqlSqlDialect.DEFAULT_CONTEXT
        .withDataTypeSystem(DecimalTypeSystem.of(38, 38)));
  }

  @Override public boolean supportsCharSet() {
    return false;
  }

  @Override public boolean supportsWindowFunctions() {
    return false;
  }
}
