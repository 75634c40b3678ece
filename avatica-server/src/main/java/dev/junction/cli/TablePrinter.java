package dev.junction.cli;

import dev.junction.server.Json;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Prints a result set as an aligned table, CSV or JSON lines. */
final class TablePrinter {
  private static final int MAX_WIDTH = 60;

  private TablePrinter() {
  }

  static void print(ResultSet rs, String format, PrintStream out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String> names = new ArrayList<>();
    boolean[] numeric = new boolean[n];
    for (int i = 1; i <= n; i++) {
      names.add(md.getColumnLabel(i));
      numeric[i - 1] = isNumeric(md.getColumnType(i));
    }
    List<String[]> rows = new ArrayList<>();
    while (rs.next()) {
      String[] row = new String[n];
      for (int i = 1; i <= n; i++) {
        Object v = rs.getObject(i);
        row[i - 1] = v == null ? null : v instanceof java.sql.Array a
            ? java.util.Arrays.toString((Object[]) a.getArray()) : v.toString();
      }
      rows.add(row);
    }
    switch (format) {
      case "csv" -> csv(names, rows, out);
      case "json" -> json(names, rows, numeric, out);
      default -> table(names, rows, numeric, out);
    }
  }

  private static boolean isNumeric(int type) {
    return switch (type) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL,
          Types.NUMERIC, Types.REAL, Types.FLOAT, Types.DOUBLE -> true;
      default -> false;
    };
  }

  private static String cell(String v) {
    if (v == null) {
      return "NULL";
    }
    String s = v.replace('\n', ' ');
    return s.length() > MAX_WIDTH ? s.substring(0, MAX_WIDTH - 1) + "…" : s;
  }

  private static void table(List<String> names, List<String[]> rows, boolean[] numeric,
      PrintStream out) {
    int n = names.size();
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = names.get(i).length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], cell(r[i]).length());
      }
    }
    StringBuilder sep = new StringBuilder("+");
    for (int w : width) {
      sep.append("-".repeat(w + 2)).append('+');
    }
    out.println(sep);
    StringBuilder header = new StringBuilder("|");
    for (int i = 0; i < n; i++) {
      header.append(' ').append(pad(names.get(i), width[i], false)).append(" |");
    }
    out.println(header);
    out.println(sep);
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder("|");
      for (int i = 0; i < n; i++) {
        line.append(' ').append(pad(cell(r[i]), width[i], numeric[i])).append(" |");
      }
      out.println(line);
    }
    out.println(sep);
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return right ? fill + s : s + fill;
  }

  private static void csv(List<String> names, List<String[]> rows, PrintStream out) {
    out.println(String.join(",", names.stream().map(TablePrinter::csvField).toList()));
    for (String[] r : rows) {
      List<String> fields = new ArrayList<>();
      for (String v : r) {
        fields.add(v == null ? "" : csvField(v));
      }
      out.println(String.join(",", fields));
    }
  }

  private static String csvField(String v) {
    if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  private static void json(List<String> names, List<String[]> rows, boolean[] numeric,
      PrintStream out) {
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < r.length; i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(Json.quote(names.get(i))).append(": ");
        b.append(r[i] == null ? "null" : numeric[i] ? r[i] : Json.quote(r[i]));
      }
      out.println(b.append('}'));
    }
  }
}
