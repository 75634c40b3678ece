package dev.junction.adapters.bigquery;

import java.sql.SQLException;
import java.util.List;

/**
 * The rows behind a facade result set: a job's result read page by page
 * ({@link JobRows}), or a metadata listing ({@link ListRows}). Values are Java objects
 * already: Long, Double, BigDecimal, Boolean, String, byte[], LocalDate, LocalTime,
 * LocalDateTime (DATETIME) or Instant (TIMESTAMP).
 */
interface Rows {
  /** The column names, in order. */
  List<String> names();

  /** The {@link java.sql.Types} code of column {@code i} (0-based). */
  int jdbcType(int i);

  /** BigQuery's name of the type of column {@code i} (0-based). */
  String typeName(int i);

  /** Moves to the next row; false after the last. */
  boolean next() throws SQLException;

  /** The value of column {@code i} (0-based) in the current row, or null. */
  Object get(int i);

  /** Stops reading (a job's result: no further pages are fetched). */
  default void close() {
  }
}
