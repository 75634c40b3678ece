package dev.junction.adapters.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * BigQuery's types as JDBC sees them, in both directions: a column's
 * {@link java.sql.Types} code and Java value as read from a job's result, and a bound
 * parameter's query parameter type. STRUCT, ARRAY (a REPEATED column), GEOGRAPHY, JSON,
 * INTERVAL and RANGE are read as their text.
 */
final class BigQueryTypes {
  private BigQueryTypes() {
  }

  /** The standard type of a field, ARRAY for a REPEATED one. */
  static StandardSQLTypeName type(Field field) {
    if (field.getMode() == Field.Mode.REPEATED) {
      return StandardSQLTypeName.ARRAY;
    }
    return field.getType().getStandardType();
  }

  /** The {@link Types} code a column of {@code type} is reported with. */
  static int jdbcType(StandardSQLTypeName type) {
    return switch (type) {
      case BOOL -> Types.BOOLEAN;
      case INT64 -> Types.BIGINT;
      case FLOAT64 -> Types.DOUBLE;
      case NUMERIC, BIGNUMERIC -> Types.DECIMAL;
      case BYTES -> Types.VARBINARY;
      case DATE -> Types.DATE;
      case TIME -> Types.TIME;
      case DATETIME -> Types.TIMESTAMP;
      case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
      default -> Types.VARCHAR;
    };
  }

  /** The Java value of one cell of a column of {@code type}, or null. */
  static Object value(StandardSQLTypeName type, FieldValue v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.getAttribute() != FieldValue.Attribute.PRIMITIVE) {
      return text(v);
    }
    return switch (type) {
      case BOOL -> v.getBooleanValue();
      case INT64 -> v.getLongValue();
      case FLOAT64 -> v.getDoubleValue();
      case NUMERIC, BIGNUMERIC -> v.getNumericValue();
      case BYTES -> v.getBytesValue();
      case DATE -> LocalDate.parse(v.getStringValue());
      case TIME -> LocalTime.parse(v.getStringValue());
      case DATETIME -> LocalDateTime.parse(v.getStringValue().replace(' ', 'T'));
      case TIMESTAMP -> {
        long micros = v.getTimestampValue();
        yield Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            Math.floorMod(micros, 1_000_000L) * 1_000L);
      }
      default -> v.getStringValue();
    };
  }

  /** The text of a STRUCT or ARRAY value: its cells' texts, in brackets. */
  private static String text(FieldValue v) {
    if (v.isNull()) {
      return "NULL";
    }
    return switch (v.getAttribute()) {
      case REPEATED -> "[" + String.join(", ",
          v.getRepeatedValue().stream().map(BigQueryTypes::text).toList()) + "]";
      case RECORD -> "{" + String.join(", ",
          v.getRecordValue().stream().map(BigQueryTypes::text).toList()) + "}";
      default -> String.valueOf(v.getValue());
    };
  }

  /**
   * A bound value as a positional query parameter. A JDBC DATE, TIME or TIMESTAMP is a
   * BigQuery DATE, TIME or DATETIME; a NULL of unknown type is sent as a STRING NULL.
   */
  static QueryParameterValue parameter(Object value) throws SQLException {
    if (value == null) {
      return QueryParameterValue.string(null);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      return QueryParameterValue.int64(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      return QueryParameterValue.float64(((Number) value).doubleValue());
    }
    if (value instanceof BigDecimal d) {
      return d.scale() <= BigQueryDialect.NUMERIC_SCALE
          && d.precision() - d.scale()
              <= BigQueryDialect.NUMERIC_PRECISION - BigQueryDialect.NUMERIC_SCALE
          ? QueryParameterValue.numeric(d) : QueryParameterValue.bigNumeric(d);
    }
    if (value instanceof Boolean b) {
      return QueryParameterValue.bool(b);
    }
    if (value instanceof String s) {
      return QueryParameterValue.string(s);
    }
    if (value instanceof byte[] b) {
      return QueryParameterValue.bytes(b);
    }
    if (value instanceof java.sql.Date d) {
      return QueryParameterValue.date(d.toLocalDate().toString());
    }
    if (value instanceof java.sql.Time t) {
      return QueryParameterValue.time(t.toLocalTime().toString());
    }
    if (value instanceof java.sql.Timestamp t) {
      return QueryParameterValue.dateTime(t.toLocalDateTime().toString().replace('T', ' '));
    }
    if (value instanceof org.apache.calcite.avatica.util.ByteString b) {
      return QueryParameterValue.bytes(b.getBytes());
    }
    throw new SQLException("BigQuery source: cannot bind a parameter of type "
        + value.getClass().getName(), "07006");
  }
}
