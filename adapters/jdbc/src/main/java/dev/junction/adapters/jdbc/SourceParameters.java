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

/**
 * Binds a remote statement's parameters from the values the caller set. Calcite holds a
 * DATE parameter as days since 1970, a TIME as milliseconds of the day and a TIMESTAMP as
 * milliseconds since 1970, and its own binder sends those numbers as they are: PostgreSQL
 * then refused {@code o_orderdate >= ?} bound with {@code setDate} ("operator does not
 * exist: date >= integer"). Here a parameter whose type is a date or time is sent as one.
 * Called by the code generated for a {@link SourceStatement}.
 */
public final class SourceParameters {
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
        } else if (kinds[i] != null && value instanceof Number n) {
          bindDateTime(statement, i + 1, kinds[i], n.longValue());
        } else {
          statement.setObject(i + 1, value);
        }
      }
    };
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
