package dev.junction.adapters.duckdb;

import dev.junction.adapters.jdbc.PushdownDialect;

import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Calcite's DuckDB dialect with the corrections Junction needs: no character-set clauses
 * in casts, which DuckDB rejects ({@code CAST(x AS VARCHAR CHARACTER SET "ISO-8859-1")});
 * functions DuckDB lacks ({@code INITCAP}) and window functions run in Junction.
 */
final class DuckDbDialect extends DuckDBSqlDialect implements PushdownDialect {
  static final DuckDbDialect INSTANCE = new DuckDbDialect();

  private DuckDbDialect() {
    super(DuckDBSqlDialect.DEFAULT_CONTEXT);
  }

  @Override public boolean supportsCharSet() {
    return false;
  }

  @Override public boolean supportsWindowFunctions() {
    return false;
  }

  @Override public boolean supportsOperator(SqlOperator operator) {
    return operator != SqlStdOperatorTable.INITCAP;
  }
}
