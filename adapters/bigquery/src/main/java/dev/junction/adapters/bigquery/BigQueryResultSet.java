package dev.junction.adapters.bigquery;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A forward-only, read-only JDBC result set of the facade over {@link Rows}: the getters
 * Calcite's generated code and Junction's metadata reads call, with JDBC's
 * {@code wasNull} convention. A TIMESTAMP (an instant) reads as epoch milliseconds with
 * {@code getLong}, which is how Calcite holds TIMESTAMP WITH LOCAL TIME ZONE, and as its
 * UTC wall-clock time with {@code getTimestamp}.
 */
final class BigQueryResultSet extends Facade {
  private final Rows rows;
  private final Statement statement;
  private boolean closed;
  private boolean wasNull;

  private BigQueryResultSet(Rows rows, Statement statement) {
    this.rows = rows;
    this.statement = statement;
  }

  static ResultSet of(Rows rows, Statement statement) {
    return proxy(ResultSet.class, new BigQueryResultSet(rows, statement));
  }

  @Override Object handle(Object proxy, String method, Object[] args) throws Exception {
    switch (method) {
      case "next" -> {
        checkOpen();
        return rows.next();
      }
      case "close" -> {
        if (!closed) {
          closed = true;
          rows.close();
        }
        return null;
      }
      case "isClosed" -> {
        return closed;
      }
      case "wasNull" -> {
        return wasNull;
      }
      case "getStatement" -> {
        return statement;
      }
      case "getMetaData" -> {
        return proxy(ResultSetMetaData.class, new MetaData());
      }
      case "findColumn" -> {
        return index(args[0]) + 1;
      }
      case "getType" -> {
        return ResultSet.TYPE_FORWARD_ONLY;
      }
      case "getConcurrency" -> {
        return ResultSet.CONCUR_READ_ONLY;
      }
      case "getHoldability" -> {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
      }
      case "getFetchDirection" -> {
        return ResultSet.FETCH_FORWARD;
      }
      case "getFetchSize" -> {
        return 0;
      }
      case "setFetchSize", "setFetchDirection" -> {
        return null;
      }
      default -> {
        if (method.startsWith("get") && args.length >= 1
            && (args[0] instanceof Integer || args[0] instanceof String)) {
          return get(method, value(args[0]));
        }
        return UNHANDLED;
      }
    }
  }

  private int index(Object column) throws SQLException {
    if (column instanceof Integer i) {
      if (i < 1 || i > rows.names().size()) {
        throw new SQLException("column " + i + " out of range 1.." + rows.names().size(),
            "07009");
      }
      return i - 1;
    }
    String name = (String) column;
    for (int i = 0; i < rows.names().size(); i++) {
      if (rows.names().get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new SQLException("no column " + name, "42703");
  }

  private Object value(Object column) throws SQLException {
    checkOpen();
    Object v = rows.get(index(column));
    wasNull = v == null;
    return v;
  }

  private static Object get(String method, Object v) throws SQLException {
    return switch (method) {
      case "getObject" -> v instanceof LocalDate d ? java.sql.Date.valueOf(d)
          : v instanceof LocalTime t ? Time.valueOf(t)
          : v instanceof LocalDateTime t ? Timestamp.valueOf(t)
          : v instanceof Instant i ? Timestamp.valueOf(LocalDateTime.ofInstant(i, ZoneOffset.UTC))
          : v;
      case "getString" -> v == null ? null : v instanceof byte[] b
          ? java.util.Base64.getEncoder().encodeToString(b) : v.toString();
      case "getBoolean" -> v != null && (v instanceof Boolean b ? b
          : Boolean.parseBoolean(v.toString().toLowerCase(Locale.ROOT)));
      case "getByte" -> v == null ? (byte) 0 : number(v).byteValue();
      case "getShort" -> v == null ? (short) 0 : number(v).shortValue();
      case "getInt" -> v == null ? 0 : number(v).intValue();
      case "getLong" -> v == null ? 0L
          : v instanceof Instant i ? i.toEpochMilli() : number(v).longValue();
      case "getFloat" -> v == null ? 0f : number(v).floatValue();
      case "getDouble" -> v == null ? 0d : number(v).doubleValue();
      case "getBigDecimal" -> v == null ? null
          : v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
      case "getBytes" -> v == null ? null : v instanceof byte[] b ? b
          : v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case "getDate" -> v == null ? null : v instanceof LocalDate d ? java.sql.Date.valueOf(d)
          : v instanceof LocalDateTime t ? java.sql.Date.valueOf(t.toLocalDate())
          : java.sql.Date.valueOf(LocalDate.parse(v.toString()));
      case "getTime" -> v == null ? null : v instanceof LocalTime t ? Time.valueOf(t)
          : Time.valueOf(LocalTime.parse(v.toString()));
      case "getTimestamp" -> v == null ? null
          : v instanceof LocalDateTime t ? Timestamp.valueOf(t)
          : v instanceof Instant i ? Timestamp.valueOf(LocalDateTime.ofInstant(i, ZoneOffset.UTC))
          : v instanceof LocalDate d ? Timestamp.valueOf(d.atStartOfDay())
          : Timestamp.valueOf(v.toString());
      default -> throw new java.sql.SQLFeatureNotSupportedException(
          "BigQuery source: ResultSet." + method + " is not supported");
    };
  }

  private static Number number(Object v) throws SQLException {
    if (v instanceof Number n) {
      return n;
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    try {
      return new BigDecimal(v.toString());
    } catch (NumberFormatException e) {
      throw new SQLException("not a number: " + v, "22018", e);
    }
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("result set is closed", "24000");
    }
  }

  @Override String describe() {
    return "BigQueryResultSet" + rows.names();
  }

  /** Column names and types. */
  private final class MetaData extends Facade {
    @Override Object handle(Object proxy, String method, Object[] args) {
      switch (method) {
        case "getColumnCount" -> {
          return rows.names().size();
        }
        case "getColumnName", "getColumnLabel" -> {
          return rows.names().get((Integer) args[0] - 1);
        }
        case "getColumnType" -> {
          return rows.jdbcType((Integer) args[0] - 1);
        }
        case "getColumnTypeName" -> {
          return rows.typeName((Integer) args[0] - 1);
        }
        case "isNullable" -> {
          return ResultSetMetaData.columnNullableUnknown;
        }
        default -> {
          return UNHANDLED;
        }
      }
    }

    @Override String describe() {
      return "BigQueryResultSetMetaData" + rows.names();
    }
  }
}
