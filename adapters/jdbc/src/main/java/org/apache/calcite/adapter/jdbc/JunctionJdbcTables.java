package org.apache.calcite.adapter.jdbc;

import org.apache.calcite.schema.Schema;

/**
 * Creates Calcite {@link JdbcTable}s directly. Calcite keeps the constructor
 * package-private and only offers lookup by name through {@link JdbcSchema}, which
 * re-reads remote metadata with the name as a LIKE pattern (so {@code a_b} may resolve
 * to {@code axb}). Junction already knows the exact table from its own cached metadata,
 * so it builds the table here. (SourceSqlImplementor is the other class in this
 * package.)
 */
public final class JunctionJdbcTables {
  private JunctionJdbcTables() {
  }

  /** Creates the Calcite table for one remote table of {@code schema}. */
  public static JdbcTable create(JdbcSchema schema, String catalog, String schemaName,
      String table, Schema.TableType type) {
    return new JdbcTable(schema, catalog, schemaName, table, type);
  }
}
