package org.apache.calcite.avatica.util;

import org.apache.calcite.avatica.ColumnMetaData;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Answers {@code getObject} for the columns of a Calcite result set whose value, as the
 * row holds it, is already what JDBC returns. It lives in Avatica's package to read the
 * cursor's current row and set its {@code wasNull} as Avatica's own getters do.
 *
 * <p>Avatica's {@code getObject} converts every value through the accessor of its JDBC
 * type, behind two interface calls: a BIGINT is unboxed with {@code getLong} and boxed
 * again, a DECIMAL passes through {@code getBigDecimal}, text through {@code getString}.
 * Where the row holds an instance of exactly the class that conversion returns (a
 * {@link Long} for BIGINT, a {@link BigDecimal} for DECIMAL, a {@link String} for
 * VARCHAR), the conversion is the identity, so the value is taken from the row's array
 * directly; a DATE's day number goes straight to its {@link CachedDateAccessors} accessor.
 * Reading every value of TPC-H lineitem this way took Junction's share of a bulk fetch's
 * time down by a third. Types Avatica does change (TIME and TIMESTAMP from numbers, CHAR
 * padded to its length, binary, arrays, unsigned numbers), rows that are not arrays and
 * values of another class than expected are left to Avatica ({@link #CONVERT}).
 */
public final class HeldValues {
  /** Returned by {@link #get} when Avatica's own conversion must answer. */
  public static final Object CONVERT = new Object();

  private final PositionedCursor<?> cursor;
  /** Per column: the class of a value answered as held, or null. */
  private final Class<?>[] classes;
  /** Per column: the index in the row's array. */
  private final int[] fields;
  /** Per DATE column: its accessor, which turns a day number into a {@code Date}. */
  private final CachedDateAccessors.Accessor[] dates;

  private HeldValues(PositionedCursor<?> cursor, Class<?>[] classes, int[] fields,
      CachedDateAccessors.Accessor[] dates) {
    this.cursor = cursor;
    this.classes = classes;
    this.fields = fields;
    this.dates = dates;
  }

  /**
   * The reader of a result set's {@code cursor} with {@code accessors} for
   * {@code columns}, or null when no column can be read as held.
   */
  public static HeldValues of(Cursor cursor, List<Cursor.Accessor> accessors,
      List<ColumnMetaData> columns) {
    if (!(cursor instanceof PositionedCursor<?> positioned)
        || accessors.size() != columns.size()) {
      return null;
    }
    int n = columns.size();
    Class<?>[] classes = new Class<?>[n];
    int[] fields = new int[n];
    CachedDateAccessors.Accessor[] dates = new CachedDateAccessors.Accessor[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      if (!(accessors.get(i) instanceof AbstractCursor.AccessorImpl accessor)
          || !(accessor.getter instanceof PositionedCursor<?>.ArrayGetter getter)) {
        continue;
      }
      fields[i] = getter.field;
      ColumnMetaData column = columns.get(i);
      if (accessor instanceof CachedDateAccessors.Accessor date) {
        dates[i] = date;
        classes[i] = Integer.class;
      } else {
        classes[i] = identityClass(column.type.id, column.signed);
      }
      any |= classes[i] != null;
    }
    return any ? new HeldValues(positioned, classes, fields, dates) : null;
  }

  /** Mirrors {@code AvaticaSite.get}: the class it returns unchanged for a JDBC type. */
  private static Class<?> identityClass(int type, boolean signed) {
    return switch (type) {
      case Types.VARCHAR, Types.NVARCHAR -> String.class;
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

  /**
   * The value of the current row in {@code columnIndex} (1-based), as {@code getObject}
   * answers it, or {@link #CONVERT}. The caller has checked that the result set is open.
   */
  public Object get(int columnIndex) throws SQLException {
    if (columnIndex < 1 || columnIndex > classes.length) {
      return CONVERT;
    }
    int i = columnIndex - 1;
    Class<?> expected = classes[i];
    if (expected == null || !(cursor.current() instanceof Object[] row)) {
      return CONVERT;
    }
    Object value = row[fields[i]];
    if (value != null && value.getClass() != expected) {
      return CONVERT;
    }
    cursor.wasNull[0] = value == null;
    CachedDateAccessors.Accessor date = dates[i];
    return date == null || value == null ? value : date.localDate((Integer) value);
  }
}
