package org.apache.calcite.jdbc;

import org.apache.calcite.avatica.ColumnMetaData;

import java.math.BigDecimal;
import java.sql.Types;
import java.util.List;

/**
 * The columns of a result set whose {@code getObject} may answer the value Calcite holds
 * in the row as it is.
 *
 * <p>Avatica's {@code getObject} converts every value through the accessor of its JDBC
 * type: a BIGINT is unboxed with {@code getLong} and boxed again, a DECIMAL passes
 * through {@code getBigDecimal}, text through {@code getString}. Where the row already
 * holds an instance of exactly the class that conversion returns (a {@link Long} for
 * BIGINT, a {@link BigDecimal} for DECIMAL, a {@link String} for VARCHAR), the
 * conversion is the identity, and reading the value straight from the row saves a
 * quarter of the time Junction adds to a bulk fetch (TPC-H lineitem through DuckDB).
 * Types Avatica does change (DATE, TIME and TIMESTAMP from numbers, CHAR padded to its
 * length, binary, arrays, unsigned numbers) are left to Avatica, and so is any value of
 * another class than expected.
 */
final class IdentityColumns {
  private IdentityColumns() {
  }

  /**
   * For each column, the class a held value must have to be answered as it is, or null
   * where Avatica's conversion must run; null when no column qualifies.
   */
  static Class<?>[] of(List<ColumnMetaData> columns) {
    Class<?>[] classes = new Class<?>[columns.size()];
    boolean any = false;
    for (int i = 0; i < classes.length; i++) {
      ColumnMetaData column = columns.get(i);
      classes[i] = identityClass(column.type.id, column.signed);
      any |= classes[i] != null;
    }
    return any ? classes : null;
  }

  /** Mirrors {@code AvaticaSite.get}: the class it returns unchanged for a JDBC type. */
  private static Class<?> identityClass(int type, boolean signed) {
    return switch (type) {
      case Types.VARCHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.LONGNVARCHAR -> String.class;
      case Types.DECIMAL, Types.NUMERIC -> BigDecimal.class;
      case Types.BOOLEAN, Types.BIT -> Boolean.class;
      case Types.DOUBLE, Types.FLOAT -> Double.class;
      case Types.REAL -> Float.class;
      case Types.BIGINT -> signed ? Long.class : null;
      case Types.INTEGER -> signed ? Integer.class : null;
      case Types.SMALLINT -> signed ? Short.class : null;
      case Types.TINYINT -> signed ? Byte.class : null;
      default -> null;
    };
  }
}
