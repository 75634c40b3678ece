package dev.junction.adapters.sqlite;

import org.apache.calcite.sql.dialect.SqliteSqlDialect;

/** Calcite's SQLite dialect without character-set clauses in casts. */
final class SqliteDialect extends SqliteSqlDialect {
  static final SqliteDialect INSTANCE = new SqliteDialect();

  private SqliteDialect() {
    super(SqliteSqlDialect.DEFAULT_CONTEXT);
  }

  @Override public boolean supportsCharSet() {
    return false;
  }
}
