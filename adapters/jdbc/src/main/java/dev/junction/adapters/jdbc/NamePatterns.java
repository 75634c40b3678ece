package dev.junction.adapters.jdbc;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The include/exclude filter of a source: glob patterns ({@code *}, {@code ?}) matched
 * case-insensitively. A pattern without a dot names schemas ({@code public}); one with a
 * dot names tables ({@code public.tmp_*}). Including a table makes its schema visible.
 */
final class NamePatterns {
  private final List<Glob> include;
  private final List<Glob> exclude;

  NamePatterns(List<String> include, List<String> exclude) {
    this.include = include.stream().map(Glob::parse).toList();
    this.exclude = exclude.stream().map(Glob::parse).toList();
  }

  /** Whether a schema is exposed (some of its tables may still be hidden). */
  boolean schemaVisible(String schema) {
    if (exclude.stream().anyMatch(g -> g.table == null && g.schema.matcher(schema).matches())) {
      return false;
    }
    return include.isEmpty() || include.stream().anyMatch(g -> g.schema.matcher(schema).matches());
  }

  /** Whether a table of a visible schema is exposed. */
  boolean tableVisible(String schema, String table) {
    if (exclude.stream().anyMatch(g -> g.matches(schema, table))) {
      return false;
    }
    return include.isEmpty() || include.stream().anyMatch(g -> g.matches(schema, table));
  }

  /** One parsed pattern; {@code table} is null for a schema-only pattern. */
  private record Glob(Pattern schema, Pattern table) {
    static Glob parse(String glob) {
      int dot = glob.indexOf('.');
      return dot < 0
          ? new Glob(regex(glob), null)
          : new Glob(regex(glob.substring(0, dot)), regex(glob.substring(dot + 1)));
    }

    boolean matches(String schemaName, String tableName) {
      return schema.matcher(schemaName).matches()
          && (table == null || table.matcher(tableName).matches());
    }
  }

  static Pattern regex(String glob) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') {
        b.append(".*");
      } else if (c == '?') {
        b.append('.');
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        b.append(c);
      } else {
        b.append('\\').append(c);
      }
    }
    return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }
}
