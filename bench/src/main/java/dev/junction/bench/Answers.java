package dev.junction.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Query answers written to a file by the process that ran the query and compared by the
 * benchmark: one row per line, one tab-separated cell per column, each cell tagged with its
 * kind ({@code n:} number, {@code d:} date, {@code t:} timestamp, {@code s:} text,
 * {@code \N} null). Numbers agree within a relative 1e-6 or, as TPC-H allows (specification
 * 2.1.3.3), an absolute 0.01; text is compared without CHAR padding.
 */
final class Answers {
  private static final BigDecimal RELATIVE_TOLERANCE = new BigDecimal("1e-6");
  private static final BigDecimal ABSOLUTE_TOLERANCE = new BigDecimal("0.01");
  private static final Comparator<String[]> ROW_ORDER = (a, b) -> Arrays.compare(a, b);

  private Answers() {
  }

  /** Reads every row of {@code rs} into {@code file}; returns the row count. */
  static long write(ResultSet rs, Path file) throws SQLException, IOException {
    long n = 0;
    try (rs; BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          if (i > 1) {
            w.write('\t');
          }
          w.write(encode(rs.getObject(i)));
        }
        w.write('\n');
        n++;
      }
    }
    return n;
  }

  /** One cell's text. */
  static String encode(Object value) {
    if (value == null) {
      return "\\N";
    } else if (value instanceof BigDecimal d) {
      return "n:" + d.toPlainString();
    } else if (value instanceof BigInteger i) {
      return "n:" + i;
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? "n:" + new BigDecimal(d, MathContext.DECIMAL64).toPlainString()
          : "s:" + d;
    } else if (value instanceof Number n) {
      return "n:" + n.longValue();
    } else if (value instanceof java.sql.Date d) {
      return "d:" + d.toLocalDate();
    } else if (value instanceof java.time.LocalDate d) {
      return "d:" + d;
    } else if (value instanceof java.sql.Timestamp t) {
      return "t:" + t.toLocalDateTime();
    } else if (value instanceof java.time.LocalDateTime t) {
      return "t:" + t;
    }
    return "s:" + value.toString().strip().replace("\\", "\\\\").replace("\t", "\\t")
        .replace("\n", "\\n").replace("\r", "\\r");
  }

  /** The rows of an answer file. */
  static List<String[]> read(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      rows.add(line.split("\t", -1));
    }
    return rows;
  }

  /**
   * Null when the answers agree, else what differs. An ordered answer whose rows agree
   * only once sorted is reported as an order difference (ties of the ORDER BY can come in
   * any order, so this is a warning rather than a wrong answer).
   */
  static String compare(List<String[]> expected, List<String[]> actual, boolean ordered) {
    if (expected.size() != actual.size()) {
      return "expected " + expected.size() + " rows but got " + actual.size()
          + "; first expected " + (expected.isEmpty() ? "-" : Arrays.toString(expected.get(0)))
          + ", first actual " + (actual.isEmpty() ? "-" : Arrays.toString(actual.get(0)));
    }
    String unsorted = ordered ? compareRows(expected, actual, "row ") : null;
    if (ordered && unsorted == null) {
      return null;
    }
    List<String[]> e = new ArrayList<>(expected);
    List<String[]> a = new ArrayList<>(actual);
    e.sort(ROW_ORDER);
    a.sort(ROW_ORDER);
    String sorted = compareRows(e, a, "sorted row ");
    if (sorted == null) {
      return ordered ? "order only: " + unsorted : null;
    }
    return sorted;
  }

  /** Whether {@link #compare}'s message only reports a different order of equal rows. */
  static boolean orderOnly(String difference) {
    return difference != null && difference.startsWith("order only: ");
  }

  private static String compareRows(List<String[]> e, List<String[]> a, String what) {
    for (int r = 0; r < e.size(); r++) {
      String[] er = e.get(r);
      String[] ar = a.get(r);
      if (er.length != ar.length) {
        return "expected " + er.length + " columns but got " + ar.length;
      }
      for (int c = 0; c < er.length; c++) {
        if (!same(er[c], ar[c])) {
          return what + r + " column " + (c + 1) + ": expected " + Arrays.toString(er)
              + " but got " + Arrays.toString(ar);
        }
      }
    }
    return null;
  }

  private static boolean same(String expected, String actual) {
    if (expected.equals(actual)) {
      return true;
    }
    if (expected.startsWith("n:") && actual.startsWith("n:")) {
      BigDecimal e = new BigDecimal(expected.substring(2));
      BigDecimal a = new BigDecimal(actual.substring(2));
      BigDecimal diff = e.subtract(a).abs();
      return diff.compareTo(e.abs().max(a.abs()).multiply(RELATIVE_TOLERANCE)) <= 0
          || diff.compareTo(ABSOLUTE_TOLERANCE) <= 0;
    }
    return false;
  }
}
