package dev.junction.adapters.duckdb;

import org.apache.calcite.sql.dialect.DuckDBSqlDialect;

/**
 * Calcite's DuckDB dialect without character-set clauses in casts, which DuckDB rejects
 * ({@code CAST(x AS VARCHAR CHARACTER SET "ISO-8859-1")}).
 */
final class DuckDbDialect extends DuckDBSqlDialect {
  static final DuckDbDialect INSTANCE = new DuckDbDialect();

  private DuckDbDialect() {
    super(DuckDBSqlDialect.DEFAULT_CONTEXT);
  }

  @Override public boolean supportsCharSet() {
    return false;
  }
}
