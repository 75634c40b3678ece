package dev.junction.cli;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completes the shell's names from the connection's metadata: sources, then
 * {@code source.schema}, {@code source.schema.table} and {@code source.schema.table.column},
 * a column after a table's alias or name ({@code o.total} when the line has
 * {@code shop.main.orders o}), and bare column names of the tables the line names.
 *
 * <p>Design: sources, schemas and tables come from {@code getCatalogs}, {@code getSchemas}
 * and {@code getTables}, called on the first completion (not when the shell starts, which
 * stays fast); a table's columns from {@code getColumns} the first time they are asked
 * for. Both are kept for the session: a table created since is not offered until the shell
 * is restarted. Tables are found in the
 * line by their three-part names, so the completer needs no SQL parser and still works on
 * half-written statements.
 */
final class NameCompleter implements Completer {
  /** Opens the metadata the names come from; called once, on the first completion. */
  interface MetadataSource {
    /** The connection's metadata. */
    DatabaseMetaData open() throws SQLException;
  }

  private static final String NAME = "(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*)";
  /** {@code source.schema.table}, optionally followed by {@code [AS] alias}. */
  private static final Pattern TABLE_IN_LINE = Pattern.compile(NAME + "\\." + NAME + "\\."
      + NAME + "(?:\\s+(?:(?i:AS)\\s+)?" + NAME + ")?");
  /** Words that can follow a table and are no alias. */
  private static final Set<String> NOT_ALIASES = Set.of("WHERE", "JOIN", "INNER", "LEFT",
      "RIGHT", "FULL", "CROSS", "ON", "USING", "GROUP", "ORDER", "LIMIT", "OFFSET", "UNION",
      "EXCEPT", "INTERSECT", "HAVING", "WINDOW", "FETCH", "NATURAL", "AS");
  /** Characters that end the name before the cursor: SQL punctuation and operators. */
  private static final String SEPARATORS = "(),;=<>+-*/|%!";

  private final MetadataSource metadata;
  /** source -> schema -> tables, once loaded. */
  private volatile Map<String, Map<String, Set<String>>> tree;
  private final Map<List<String>, List<String>> columns = new ConcurrentHashMap<>();
  private DatabaseMetaData meta;

  NameCompleter(MetadataSource metadata) {
    this.metadata = metadata;
  }

  @Override public void complete(LineReader reader, ParsedLine line,
      List<Candidate> candidates) {
    String word = line.word().substring(0, line.wordCursor());
    int start = 0;
    for (int i = 0; i < word.length(); i++) {
      if (SEPARATORS.indexOf(word.charAt(i)) >= 0) {
        start = i + 1;
      }
    }
    String head = word.substring(0, start);
    String name = word.substring(start);
    try {
      for (Name n : names(name, line.line())) {
        candidates.add(new Candidate(head + n.value(), n.value(), n.kind(), null, null, null,
            n.complete()));
      }
    } catch (SQLException e) {
      // No names to offer (a source is down): keywords still complete.
    }
  }

  /**
   * A completion: the name as written, what it is (source, schema, table, column) and
   * whether it is complete (a source or schema is followed by a dot, not a space).
   */
  record Name(String value, String kind, boolean complete) {
  }

  /** The names that may complete {@code typed}, given the whole line. */
  List<Name> names(String typed, String wholeLine) throws SQLException {
    List<String> parts = parts(typed);
    Map<String, Map<String, Set<String>>> t = tree();
    Set<Name> out = new LinkedHashSet<>();
    String qualifier = typed.substring(0, typed.length() - rawLast(typed).length());
    switch (parts.size()) {
      case 1 -> {
        for (String source : t.keySet()) {
          out.add(new Name(quote(source), "source", false));
        }
        for (List<String> table : tablesIn(wholeLine).values()) {
          for (String column : columns(table)) {
            out.add(new Name(quote(column), "column", true));
          }
        }
      }
      case 2 -> {
        Map<String, Set<String>> schemas = t.get(parts.get(0));
        if (schemas != null) {
          for (String schema : schemas.keySet()) {
            out.add(new Name(qualifier + quote(schema), "schema", false));
          }
        }
        List<String> table = tablesIn(wholeLine).get(parts.get(0));
        if (table != null) {
          for (String column : columns(table)) {
            out.add(new Name(qualifier + quote(column), "column", true));
          }
        }
      }
      case 3 -> {
        Set<String> tables = t.getOrDefault(parts.get(0), Map.of()).get(parts.get(1));
        if (tables != null) {
          for (String table : tables) {
            out.add(new Name(qualifier + quote(table), "table", true));
          }
        }
      }
      case 4 -> {
        List<String> table = parts.subList(0, 3);
        if (t.getOrDefault(table.get(0), Map.of()).getOrDefault(table.get(1), Set.of())
            .contains(table.get(2))) {
          for (String column : columns(table)) {
            out.add(new Name(qualifier + quote(column), "column", true));
          }
        }
      }
      default -> {
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * The tables a line names, by alias and by table name (when both, the alias): each a
   * source, schema and table.
   */
  static Map<String, List<String>> tablesIn(String line) {
    Map<String, List<String>> found = new LinkedHashMap<>();
    Matcher m = TABLE_IN_LINE.matcher(line);
    while (m.find()) {
      List<String> table = List.of(unquote(m.group(1)), unquote(m.group(2)),
          unquote(m.group(3)));
      found.putIfAbsent(table.get(2), table);
      String alias = m.group(4);
      if (alias != null && !NOT_ALIASES.contains(alias.toUpperCase(Locale.ROOT))) {
        found.put(unquote(alias), table);
      }
    }
    return found;
  }

  /** The dot-separated parts of a typed name, quotes removed; the last may be empty. */
  private static List<String> parts(String typed) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }

  /** The last dot-separated part of a typed name, as typed. */
  private static String rawLast(String typed) {
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        start = i + 1;
      }
    }
    return typed.substring(start);
  }

  private static String unquote(String name) {
    return name.startsWith("\"") ? name.substring(1, name.length() - 1) : name;
  }

  /** A name as it must be written: quoted unless it is letters, digits and underscores. */
  static String quote(String name) {
    boolean plain = !name.isEmpty() && (Character.isLetter(name.charAt(0))
        || name.charAt(0) == '_');
    for (int i = 0; plain && i < name.length(); i++) {
      char c = name.charAt(i);
      plain = Character.isLetterOrDigit(c) || c == '_';
    }
    return plain ? name : "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private synchronized DatabaseMetaData meta() throws SQLException {
    if (meta == null) {
      meta = metadata.open();
    }
    return meta;
  }

  private Map<String, Map<String, Set<String>>> tree() throws SQLException {
    Map<String, Map<String, Set<String>>> t = tree;
    if (t == null) {
      t = new TreeMap<>();
      try (ResultSet rs = meta().getCatalogs()) {
        while (rs.next()) {
          t.computeIfAbsent(rs.getString("TABLE_CAT"), k -> new TreeMap<>());
        }
      }
      try (ResultSet rs = meta().getSchemas()) {
        while (rs.next()) {
          String source = rs.getString("TABLE_CATALOG");
          if (source != null) {
            t.computeIfAbsent(source, k -> new TreeMap<>())
                .computeIfAbsent(rs.getString("TABLE_SCHEM"), k -> new TreeSet<>());
          }
        }
      }
      try (ResultSet rs = meta().getTables(null, null, "%", null)) {
        while (rs.next()) {
          if (rs.getString("TABLE_SCHEM") == null) {
            // The junction system tables (catalog junction, no schema) are not completed.
            continue;
          }
          t.computeIfAbsent(rs.getString("TABLE_CAT"), k -> new TreeMap<>())
              .computeIfAbsent(rs.getString("TABLE_SCHEM"), k -> new TreeSet<>())
              .add(rs.getString("TABLE_NAME"));
        }
      }
      tree = t;
    }
    return t;
  }

  private List<String> columns(List<String> table) throws SQLException {
    List<String> known = columns.get(table);
    if (known != null) {
      return known;
    }
    List<String> names = new ArrayList<>();
    try (ResultSet rs = meta().getColumns(table.get(0), escape(table.get(1)),
        escape(table.get(2)), "%")) {
      while (rs.next()) {
        names.add(rs.getString("COLUMN_NAME"));
      }
    }
    columns.put(table, names);
    return names;
  }

  /** A name as a LIKE pattern that matches only itself. */
  private String escape(String name) throws SQLException {
    String e = meta().getSearchStringEscape();
    if (e == null || e.isEmpty()) {
      return name;
    }
    return name.replace(e, e + e).replace("_", e + "_").replace("%", e + "%");
  }
}
