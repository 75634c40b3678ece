package dev.junction.adapters.jdbc;

/**
 * One column as the source's {@link java.sql.DatabaseMetaData#getColumns} reports it.
 *
 * @param name column name
 * @param jdbcType a {@link java.sql.Types} constant
 * @param typeName the source's own type name, e.g. {@code int4}, {@code _text}
 * @param size COLUMN_SIZE: precision or length
 * @param scale DECIMAL_DIGITS
 * @param nullable whether the column may hold null
 * @param remarks the column comment, or null
 * @param defaultValue COLUMN_DEF, or null
 * @param autoIncrement whether the source numbers the column itself
 * @param generated whether the column is computed from others
 */
public record ColumnSpec(String name, int jdbcType, String typeName, int size, int scale,
    boolean nullable, String remarks, String defaultValue, boolean autoIncrement,
    boolean generated) {

  /** A column with no default. */
  public ColumnSpec(String name, int jdbcType, String typeName, int size, int scale,
      boolean nullable, String remarks) {
    this(name, jdbcType, typeName, size, scale, nullable, remarks, null, false, false);
  }
}
