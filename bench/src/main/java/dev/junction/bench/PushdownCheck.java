package dev.junction.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a single-source query went to its source whole, judged from the statements the
 * source received. One statement is not enough (Junction may send one scan and aggregate
 * itself), so the one statement must also name every table of the query and carry its
 * GROUP BY, ORDER BY and LIMIT. A check of SQL text, so a heuristic: a statement passing
 * it can still leave some work (a projection, say) to Junction.
 */
final class PushdownCheck {
  private PushdownCheck() {
  }

  /** Null when the query went whole, else why not. */
  static String notPushed(String template, List<String> sent) {
    if (sent.size() != 1) {
      return sent.size() + " statements";
    }
    String sql = sent.get(0).toUpperCase(Locale.ROOT);
    String query = template.replaceAll("(?m)^--.*$", "").toUpperCase(Locale.ROOT);
    List<String> lacks = new ArrayList<>();
    for (String table : TpchQueries.TABLES) {
      if (template.contains("${" + table + "}")
          && !Pattern.compile("(?<![A-Z_])" + table.toUpperCase(Locale.ROOT) + "(?![A-Z_])")
              .matcher(sql).find()) {
        lacks.add("table " + table);
      }
    }
    for (String clause : List.of("GROUP BY", "ORDER BY", "LIMIT")) {
      if (query.contains(clause) && !sql.contains(clause)
          && !(clause.equals("LIMIT") && sql.contains("FETCH"))) {
        lacks.add(clause);
      }
    }
    return lacks.isEmpty() ? null : "its 1 statement lacks " + String.join(", ", lacks);
  }
}
