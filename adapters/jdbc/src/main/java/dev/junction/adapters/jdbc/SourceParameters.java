package dev.junction.adapters.jdbc;

import org.apache.calcite.DataContext;
import org.apache.calcite.runtime.ResultSetEnumerable;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * Binds a remote statement's parameters from the values the caller set. Calcite holds a
 * DATE parameter as days since 1970, a TIME as milliseconds of the day and a TIMESTAMP as
 * milliseconds since 1970, and its own binder sends those numbers as they are: PostgreSQL
 * then refused {@code o_orderdate >= ?} bound with {@code setDate} ("operator does not
 * exist: date >= integer"). Here a parameter whose type is a date or time is sent as one.
 * Called by the code generated for a {@link SourceStatement}.
 */
public final class SourceParameters {
  /**
   * The prefix of a parameter's kind that says it is an array of key values
   * ({@link SourceStatement#keyedBy}), followed by the element type name the source's
   * {@link java.sql.Connection#createArrayOf} takes.
   */
  static final String ARRAY = "ARRAY ";

  private SourceParameters() {
  }

  /**
   * The binder for a statement whose {@code ?} marks read, in order, the parameters
   * {@code indexes}; {@code kinds[i]} is {@code DATE}, {@code TIME} or {@code TIMESTAMP}
   * for a parameter of that type and null for any other.
   */
  public static ResultSetEnumerable.PreparedStatementEnricher enricher(Integer[] indexes,
      String[] kinds, DataContext context) {
    return statement -> {
      for (int i = 0; i < indexes.length; i++) {
        Object value = context.get("?" + indexes[i]);
        if (value == null) {
          statement.setNull(i + 1, Types.NULL);
        } else if (kinds[i] != null && kinds[i].startsWith(ARRAY)) {
          String element = kinds[i].substring(ARRAY.length());
          statement.setArray(i + 1, statement.getConnection().createArrayOf(element,
              elements(element, (Object[]) value)));
        } else if (kinds[i] != null && value instanceof Number n) {
          bindDateTime(statement, i + 1, kinds[i], n.longValue());
        } else {
          statement.setObject(i + 1, value);
        }
      }
    };
  }

  /**
   * {@code values} as an array of the Java class the driver expects for {@code element}:
   * a key read as an {@code Integer} may be bound to a {@code BIGINT} column's array.
   */
  private static Object[] elements(String element, Object[] values) {
    return switch (element) {
      case "int8", "BIGINT" -> convert(values, new Long[values.length], Number::longValue);
      case "int4", "INTEGER" -> convert(values, new Integer[values.length], Number::intValue);
      case "int2", "SMALLINT" -> convert(values, new Short[values.length], Number::shortValue);
      case "TINYINT" -> convert(values, new Byte[values.length], Number::byteValue);
      default -> values;
    };
  }

  private static <T> T[] convert(Object[] values, T[] into,
      Function<Number, T> conversion) {
    for (int i = 0; i < values.length; i++) {
      into[i] = conversion.apply((Number) values[i]);
    }
    return into;
  }

  private static void bindDateTime(PreparedStatement statement, int position, String kind,
      long value) throws SQLException {
    switch (kind) {
      case "DATE" -> statement.setDate(position, Date.valueOf(LocalDate.ofEpochDay(value)));
      case "TIME" -> statement.setTime(position,
          Time.valueOf(LocalTime.ofNanoOfDay(value * 1_000_000L)));
      default -> statement.setTimestamp(position, Timestamp.valueOf(
          LocalDateTime.ofInstant(Instant.ofEpochMilli(value), ZoneOffset.UTC)));
    }
  }
}
