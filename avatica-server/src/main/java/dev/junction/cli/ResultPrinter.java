package dev.junction.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_TIME;

/**
 * Streams a result set to standard output as an aligned table, CSV, a JSON array or JSON
 * Lines.
 *
 * <p>Design: rows are written as they arrive, so {@code | head} and a large result start
 * printing at once and a closed output is noticed while the query still runs (the caller
 * then closes the statement, which cancels the remote query). Only the table holds rows
 * back: the first {@link #WIDTH_SAMPLE} rows fix the column widths, and a later, wider
 * value widens its own line rather than being cut. Each value is read with the getter
 * that keeps its type (a DECIMAL as a {@link BigDecimal}, a TIMESTAMP as a
 * {@link LocalDateTime}) so JSON carries exact numbers, booleans and ISO-8601 times, and
 * the text formats print a timestamp without the {@code .0} of {@code Timestamp.toString}.
 */
final class ResultPrinter {
  /** How many rows fix the widths of a table's columns. */
  static final int WIDTH_SAMPLE = 1000;
  /** How often, in rows, the output is checked for a reader that went away. */
  private static final int CHECK_EVERY = 256;
  private static final int MAX_WIDTH = 60;
  /** How long a slow result's printed rows may wait in the buffer. */
  private static final long FLUSH_NANOS = 200_000_000L;
  private static final JsonFactory JSON = new JsonFactoryBuilder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .rootValueSeparator((String) null)
      .build();

  /** How sql prints a result. */
  enum Format {
    /** An aligned table with a row count. */
    TABLE,
    /** RFC 4180 CSV with a header line. */
    CSV,
    /** One JSON array of objects, one object a line. */
    JSON,
    /** JSON Lines: one object a line. */
    JSONL
  }

  private final PrintStream out;
  private final Format format;
  private long rows;
  private long lastFlush = System.nanoTime();

  ResultPrinter(PrintStream out, Format format) {
    this.out = out;
    this.format = format;
  }

  /**
   * Prints {@code rs} in full, or until the output is closed.
   *
   * @return false when the output was closed (a {@code | head} that had enough) before the
   *     last row
   */
  boolean print(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] names = new String[n];
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      names[i] = md.getColumnLabel(i + 1);
      types[i] = md.getColumnType(i + 1);
    }
    return switch (format) {
      case TABLE -> table(rs, names, types);
      case CSV -> csv(rs, names, types);
      case JSON, JSONL -> json(rs, names, types, format == Format.JSON);
    };
  }

  /**
   * The value of column {@code i} as one of: null, Boolean, Long, BigDecimal, Double,
   * Float, String, LocalDate, LocalTime, LocalDateTime, another {@code java.time} value,
   * byte[] or a List of these.
   */
  static Object value(ResultSet rs, int i, int type) throws SQLException {
    Object v = switch (type) {
      case Types.BOOLEAN, Types.BIT -> rs.getBoolean(i);
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> rs.getLong(i);
      case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(i);
      case Types.REAL -> rs.getFloat(i);
      case Types.FLOAT, Types.DOUBLE -> rs.getDouble(i);
      // As text, which Avatica formats from the value itself: getDate/getTimestamp would
      // shift it by the JVM's time zone.
      case Types.DATE -> parse(rs.getString(i), LocalDate::parse);
      case Types.TIME -> parse(rs.getString(i), LocalTime::parse);
      case Types.TIMESTAMP ->
          parse(rs.getString(i), t -> LocalDateTime.parse(t.replace(' ', 'T')));
      case Types.ARRAY -> list(rs.getArray(i));
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> rs.getBytes(i);
      default -> rs.getObject(i);
    };
    return rs.wasNull() ? null : v;
  }

  private static Object parse(String text, Function<String, Object> parser) {
    if (text == null) {
      return null;
    }
    try {
      return parser.apply(text);
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  private static Object list(Array a) throws SQLException {
    if (a == null) {
      return null;
    }
    Object array = a.getArray();
    int n = java.lang.reflect.Array.getLength(array);
    List<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(java.lang.reflect.Array.get(array, i));
    }
    return items;
  }

  /** A value as text for the table and CSV: ISO dates, a space before the time. */
  static String text(Object v) {
    if (v == null) {
      return null;
    } else if (v instanceof LocalDateTime t) {
      return t.toLocalDate() + " " + ISO_LOCAL_TIME.format(t);
    } else if (v instanceof LocalTime t) {
      return ISO_LOCAL_TIME.format(t);
    } else if (v instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (v instanceof byte[] b) {
      return "\\x" + HexFormat.of().formatHex(b);
    } else if (v instanceof List<?> l) {
      List<String> items = new ArrayList<>(l.size());
      for (Object o : l) {
        items.add(o == null ? "NULL" : text(o));
      }
      return "[" + String.join(", ", items) + "]";
    }
    return v.toString();
  }

  /**
   * Counts a printed row and, every {@link #CHECK_EVERY} rows or {@link #FLUSH_NANOS},
   * flushes (so a slow result shows as it comes) and looks whether the output is closed.
   *
   * @return false when the reader went away
   */
  private boolean printed(JsonGenerator g) throws IOException {
    rows++;
    long now = System.nanoTime();
    if (rows % CHECK_EVERY == 0 || now - lastFlush > FLUSH_NANOS) {
      lastFlush = now;
      if (g != null) {
        g.flush();
      }
      return !out.checkError();
    }
    return true;
  }

  private boolean table(ResultSet rs, String[] names, int[] types) throws SQLException {
    int n = names.length;
    List<String[]> sample = new ArrayList<>();
    boolean more = true;
    while (sample.size() < WIDTH_SAMPLE && (more = rs.next())) {
      sample.add(cells(rs, types, true));
    }
    boolean[] right = new boolean[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      right[i] = isNumeric(types[i]);
      width[i] = names[i].length();
      for (String[] r : sample) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sep = new StringBuilder("+");
    for (int w : width) {
      sep.append("-".repeat(w + 2)).append('+');
    }
    out.println(sep);
    out.println(line(names, width, new boolean[n]));
    out.println(sep);
    try {
      for (String[] r : sample) {
        out.println(line(r, width, right));
        if (!printed(null)) {
          return false;
        }
      }
      while (more && rs.next()) {
        out.println(line(cells(rs, types, true), width, right));
        if (!printed(null)) {
          return false;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println(sep);
    out.println("(" + rows + (rows == 1 ? " row)" : " rows)"));
    return !out.checkError();
  }

  private static String line(String[] cells, int[] width, boolean[] right) {
    StringBuilder line = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      String s = cells[i];
      String fill = " ".repeat(Math.max(0, width[i] - s.length()));
      line.append(' ').append(right[i] ? fill + s : s + fill).append(" |");
    }
    return line.toString();
  }

  private static String[] cells(ResultSet rs, int[] types, boolean forTable)
      throws SQLException {
    String[] row = new String[types.length];
    for (int i = 0; i < types.length; i++) {
      String s = text(value(rs, i + 1, types[i]));
      if (forTable) {
        s = s == null ? "NULL" : s.replace('\n', ' ');
        s = s.length() > MAX_WIDTH ? s.substring(0, MAX_WIDTH - 1) + "…" : s;
      }
      row[i] = s;
    }
    return row;
  }

  private static boolean isNumeric(int type) {
    return switch (type) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL,
          Types.NUMERIC, Types.REAL, Types.FLOAT, Types.DOUBLE -> true;
      default -> false;
    };
  }

  private boolean csv(ResultSet rs, String[] names, int[] types) throws SQLException {
    List<String> header = new ArrayList<>(names.length);
    for (String name : names) {
      header.add(csvField(name));
    }
    out.println(String.join(",", header));
    try {
      while (rs.next()) {
        String[] r = cells(rs, types, false);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
          if (i > 0) {
            line.append(',');
          }
          line.append(r[i] == null ? "" : csvField(r[i]));
        }
        out.println(line);
        if (!printed(null)) {
          return false;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return !out.checkError();
  }

  private static String csvField(String v) {
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  private boolean json(ResultSet rs, String[] names, int[] types, boolean array)
      throws SQLException {
    try (JsonGenerator g = JSON.createGenerator((OutputStream) out)) {
      if (array) {
        g.writeRaw('[');
      }
      while (rs.next()) {
        if (array) {
          g.writeRaw(rows == 0 ? "\n" : ",\n");
        }
        g.writeStartObject();
        for (int i = 0; i < names.length; i++) {
          g.writeFieldName(names[i]);
          write(g, value(rs, i + 1, types[i]));
        }
        g.writeEndObject();
        if (!array) {
          g.writeRaw('\n');
        }
        if (!printed(g)) {
          return false;
        }
      }
      if (array) {
        g.writeRaw(rows == 0 ? "]\n" : "\n]\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return !out.checkError();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Integer l) {
      g.writeNumber(l);
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Float f) {
      g.writeNumber(f);
    } else if (v instanceof Number num) {
      g.writeNumber(num.toString());
    } else if (v instanceof LocalDateTime t) {
      g.writeString(ISO_LOCAL_DATE_TIME.format(t));
    } else if (v instanceof LocalTime t) {
      g.writeString(ISO_LOCAL_TIME.format(t));
    } else if (v instanceof TemporalAccessor) {
      g.writeString(v.toString());
    } else if (v instanceof byte[] b) {
      g.writeString(Base64.getEncoder().encodeToString(b));
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }
}
