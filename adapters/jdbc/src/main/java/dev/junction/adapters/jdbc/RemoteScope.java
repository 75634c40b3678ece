package dev.junction.adapters.jdbc;

/**
 * Where one exposed schema lives in the remote catalog: the catalog and schema arguments
 * for {@link java.sql.DatabaseMetaData} calls and for qualifying table names in generated
 * SQL. PostgreSQL uses (null, schema), MySQL (database, null), SQLite (null, null).
 *
 * @param catalog the JDBC catalog, or null
 * @param schema the JDBC schema, or null
 */
public record RemoteScope(String catalog, String schema) {
}
