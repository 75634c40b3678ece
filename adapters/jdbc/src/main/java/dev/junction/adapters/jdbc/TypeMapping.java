package dev.junction.adapters.jdbc;

import dev.junction.spi.Decimals;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.sql.Types;
import java.util.Locale;

/**
 * Maps remote column types to Calcite types the same way for every JDBC source, from
 * the {@link java.sql.Types} code the driver reports.
 *
 * <p>The rule: a type with an exact SQL counterpart maps to it (integers widen when
 * unsigned, DECIMAL keeps precision and scale up to {@link Decimals#MAX_PRECISION},
 * timestamps keep millisecond precision). Types SQL has no counterpart for (uuid, json,
 * enums, intervals, network addresses, geometry, ...) map to VARCHAR and are read as the
 * driver's text form, so a query never fails on a type it merely selects. Arrays map to
 * ARRAY of the mapped element type. A source's own type names, which its driver reports
 * with a code that misleads (DuckDB's unsigned integers, a 4-byte FLOAT that JDBC calls a
 * double), are the adapter's to map, in its {@link JdbcSourceAdapter#mapType}.
 */
public final class TypeMapping {
  /** Scale used for DECIMAL columns the source declares without precision. */
  public static final int UNBOUNDED_DECIMAL_SCALE = 10;

  private TypeMapping() {
  }

  /** The Calcite type for a column, including nullability. */
  public static RelDataType map(RelDataTypeFactory f, ColumnSpec c) {
    RelDataType t = baseType(f, c);
    return f.createTypeWithNullability(t, c.nullable());
  }

  /** The source's name of a column's type in lower case, empty when the driver gave none. */
  public static String typeName(ColumnSpec c) {
    return c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
  }

  private static RelDataType baseType(RelDataTypeFactory f, ColumnSpec c) {
    String typeName = typeName(c);
    boolean unsigned = typeName.contains("unsigned");
    if (typeName.endsWith("[]")) {
      return f.createArrayType(
          f.createTypeWithNullability(arrayElement(f, typeName), true), -1);
    }
    switch (c.jdbcType()) {
      case Types.BIT:
      case Types.BOOLEAN:
        return c.jdbcType() == Types.BIT && c.size() > 1
            ? f.createSqlType(SqlTypeName.VARBINARY)
            : f.createSqlType(SqlTypeName.BOOLEAN);
      case Types.TINYINT:
        return f.createSqlType(unsigned ? SqlTypeName.SMALLINT : SqlTypeName.TINYINT);
      case Types.SMALLINT:
        return f.createSqlType(unsigned ? SqlTypeName.INTEGER : SqlTypeName.SMALLINT);
      case Types.INTEGER:
        return f.createSqlType(unsigned ? SqlTypeName.BIGINT : SqlTypeName.INTEGER);
      case Types.BIGINT:
        return unsigned ? f.createSqlType(SqlTypeName.DECIMAL, 20, 0)
            : f.createSqlType(SqlTypeName.BIGINT);
      case Types.REAL:
        return f.createSqlType(SqlTypeName.REAL);
      case Types.FLOAT:
      case Types.DOUBLE:
        return f.createSqlType(SqlTypeName.DOUBLE);
      case Types.NUMERIC:
      case Types.DECIMAL:
        return decimal(f, c.size(), c.scale());
      case Types.CHAR:
      case Types.NCHAR:
        return c.size() > 0 && c.size() < 65536
            ? f.createSqlType(SqlTypeName.CHAR, c.size())
            : f.createSqlType(SqlTypeName.VARCHAR);
      case Types.VARCHAR:
      case Types.NVARCHAR:
        return c.size() > 0 && c.size() < 65536
            ? f.createSqlType(SqlTypeName.VARCHAR, c.size())
            : f.createSqlType(SqlTypeName.VARCHAR);
      case Types.LONGVARCHAR:
      case Types.LONGNVARCHAR:
      case Types.CLOB:
      case Types.NCLOB:
      case Types.SQLXML:
        return f.createSqlType(SqlTypeName.VARCHAR);
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return f.createSqlType(SqlTypeName.VARBINARY);
      case Types.DATE:
        return f.createSqlType(SqlTypeName.DATE);
      case Types.TIME:
      case Types.TIME_WITH_TIMEZONE:
        return f.createSqlType(SqlTypeName.TIME, 3);
      case Types.TIMESTAMP:
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return f.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case Types.ARRAY:
        return f.createArrayType(
            f.createTypeWithNullability(arrayElement(f, typeName), true), -1);
      default:
        return f.createSqlType(SqlTypeName.VARCHAR);
    }
  }

  /** DECIMAL(p, s), treating a missing or oversized precision as unbounded. */
  public static RelDataType decimal(RelDataTypeFactory f, int precision, int scale) {
    if (precision <= 0 || precision > Decimals.MAX_PRECISION) {
      int s = scale > 0 && scale <= Decimals.MAX_PRECISION / 2 ? scale : UNBOUNDED_DECIMAL_SCALE;
      return f.createSqlType(SqlTypeName.DECIMAL, Decimals.MAX_PRECISION, s);
    }
    return f.createSqlType(SqlTypeName.DECIMAL, precision, Math.max(0, Math.min(scale, precision)));
  }

  /**
   * The element type of an array column from its type name: PostgreSQL's {@code _int4},
   * DuckDB's {@code INTEGER[]}, or the standard {@code INTEGER ARRAY}.
   */
  static RelDataType arrayElement(RelDataTypeFactory f, String typeName) {
    String e = typeName;
    if (e.startsWith("_")) {
      e = e.substring(1);
    } else if (e.endsWith("[]")) {
      e = e.substring(0, e.length() - 2);
    } else if (e.endsWith(" array")) {
      e = e.substring(0, e.length() - " array".length());
    }
    int paren = e.indexOf('(');
    if (paren > 0) {
      e = e.substring(0, paren);
    }
    switch (e.trim()) {
      case "bool":
      case "boolean":
        return f.createSqlType(SqlTypeName.BOOLEAN);
      case "int2":
      case "smallint":
        return f.createSqlType(SqlTypeName.SMALLINT);
      case "int4":
      case "int":
      case "integer":
        return f.createSqlType(SqlTypeName.INTEGER);
      case "int8":
      case "bigint":
        return f.createSqlType(SqlTypeName.BIGINT);
      case "float4":
      case "real":
      case "float":
        return f.createSqlType(SqlTypeName.REAL);
      case "float8":
      case "double":
      case "double precision":
        return f.createSqlType(SqlTypeName.DOUBLE);
      case "numeric":
      case "decimal":
        return decimal(f, 0, 0);
      case "date":
        return f.createSqlType(SqlTypeName.DATE);
      default:
        return f.createSqlType(SqlTypeName.VARCHAR);
    }
  }
}
