package dev.junction.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The 22 TPC-H query templates of the driver's tests, with {@code ${table}} placeholders. */
final class TpchQueries {
  /** The eight TPC-H tables. */
  static final List<String> TABLES = List.of("region", "nation", "part", "supplier",
      "partsupp", "customer", "orders", "lineitem");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z]+)}");

  private TpchQueries() {
  }

  /** Query name ({@code q01}..{@code q22}) to template, in order. */
  static Map<String, String> templates() throws IOException {
    Map<String, String> t = new LinkedHashMap<>();
    for (int q = 1; q <= 22; q++) {
      String name = String.format(Locale.ROOT, "q%02d", q);
      t.put(name, resource("/tpch/" + name + ".sql"));
    }
    return t;
  }

  /** Whether the answer's row order is defined (the query ends with an ORDER BY). */
  static boolean ordered(String template) {
    return template.toUpperCase(Locale.ROOT).contains("ORDER BY");
  }

  /** The template with each {@code ${table}} replaced by {@code names.apply(table)}. */
  static String sql(String template, Function<String, String> names) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(names.apply(m.group(1))));
    }
    m.appendTail(b);
    return b.toString().strip();
  }

  /** {@code Q01} for {@code q01}. */
  static String label(String name) {
    return name.toUpperCase(Locale.ROOT);
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = TpchQueries.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
