package dev.junction.adapters.mysql;

import dev.junction.adapters.jdbc.DecimalTypeSystem;

import org.apache.calcite.sql.dialect.MysqlSqlDialect;

/**
 * Calcite's MySQL dialect, used for MySQL and MariaDB, without character-set clauses in
 * casts.
 */
final class MySqlDialect extends MysqlSqlDialect {
  static final MySqlDialect INSTANCE = new MySqlDialect();

  private MySqlDialect() {
    super(MysqlSqlDialect.DEFAULT_CONTEXT
        .withDataTypeSystem(DecimalTypeSystem.of(38, 30)));
  }

  @Override public boolean supportsCharSet() {
    return false;
  }
}
