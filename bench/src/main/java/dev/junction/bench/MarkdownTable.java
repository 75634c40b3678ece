package dev.junction.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Markdown table as the README quotes it, plus the number formats every table shares.
 * Ratios are always Junction's time over the baseline's: above 1 means Junction is slower.
 */
final class MarkdownTable {
  private final List<String> header = new ArrayList<>();
  private final List<Boolean> numeric = new ArrayList<>();
  private final List<String[]> rows = new ArrayList<>();

  /** Columns; a name starting with {@code >} is right-aligned (the {@code >} is dropped). */
  MarkdownTable(String... columns) {
    for (String c : columns) {
      numeric.add(c.startsWith(">"));
      header.add(c.startsWith(">") ? c.substring(1) : c);
    }
  }

  /** Adds a row with one cell per column. */
  void row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("expected " + header.size() + " cells, got "
          + cells.length);
    }
    rows.add(cells.clone());
  }

  /** The table's Markdown text, ending with a newline. */
  String render() {
    StringBuilder b = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
    for (boolean n : numeric) {
      b.append(n ? "---:|" : "---|");
    }
    b.append('\n');
    for (String[] r : rows) {
      b.append("| ").append(String.join(" | ", r).replace("\n", " ")).append(" |\n");
    }
    return b.toString();
  }

  /** Milliseconds: two decimals below 10, whole above; {@code n/a} for NaN. */
  static String ms(double ms) {
    if (Double.isNaN(ms)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.0f", ms);
  }

  /** Junction's time over the baseline's, as {@code 1.23x}; {@code n/a} if either is missing. */
  static String ratio(double junctionMs, double baselineMs) {
    if (Double.isNaN(junctionMs) || Double.isNaN(baselineMs) || baselineMs <= 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2fx", junctionMs / baselineMs);
  }

  /** Geometric mean of ratios, as {@code 1.23x}; {@code n/a} if there are none. */
  static String geometricMean(List<Double> ratios) {
    if (ratios.isEmpty()) {
      return "n/a";
    }
    double logs = 0;
    for (double r : ratios) {
      logs += Math.log(r);
    }
    return String.format(Locale.ROOT, "%.2fx", Math.exp(logs / ratios.size()));
  }
}
