package dev.junction.planner.security;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One rule of the policy file. A rule applies to a caller when its {@code user} and
 * {@code group} patterns match (an omitted one matches everyone), and to a table when its
 * {@code source}, {@code schema} and {@code table} patterns fully match the names, ignoring
 * case (an omitted one matches any name). The first rule that applies decides.
 *
 * @param line the rule's line in the policy file, for messages and {@code check}
 * @param users user-name patterns (full match, case-sensitive); empty: any user
 * @param groups group-name patterns (full match, case-sensitive); empty: any group
 * @param source source-name pattern, or null for any
 * @param schema schema-name pattern, or null for any
 * @param table table-name pattern, or null for any
 * @param read whether the rule allows reading ({@code allow: read}) or denies
 *     ({@code allow: none})
 * @param filter the row filter as SQL, or null for every row
 * @param columns per-column rules by lower-case column name
 */
public record PolicyRule(int line, List<Pattern> users, List<Pattern> groups, Pattern source,
    Pattern schema, Pattern table, boolean read, String filter,
    Map<String, ColumnRule> columns) {

  /** Copies the lists and map. */
  public PolicyRule {
    users = List.copyOf(users);
    groups = List.copyOf(groups);
    columns = Map.copyOf(columns);
  }

  /**
   * What a rule says about one column: hidden ({@code allow: false}) or shown through a mask.
   *
   * @param name the column name as written in the policy
   * @param line its line in the policy file
   * @param allowed false when the column is hidden
   * @param mask the masking expression as SQL, or null for the column's own value
   */
  public record ColumnRule(String name, int line, boolean allowed, String mask) {
  }

  /** Whether the rule applies to this caller. */
  public boolean appliesTo(Principal p) {
    if (!users.isEmpty() && users.stream().noneMatch(u -> u.matcher(p.user()).matches())) {
      return false;
    }
    return groups.isEmpty()
        || groups.stream().anyMatch(g -> p.groups().stream().anyMatch(
            n -> g.matcher(n).matches()));
  }

  /** Whether the rule applies to a table; a null name matches anything (a listing). */
  public boolean covers(String sourceName, String schemaName, String tableName) {
    return matches(source, sourceName) && matches(schema, schemaName)
        && matches(table, tableName);
  }

  /** The rule for a column (any case), or null when the rule does not name it. */
  public ColumnRule column(String name) {
    return columns.get(name.toLowerCase(Locale.ROOT));
  }

  private static boolean matches(Pattern p, String name) {
    return p == null || name == null || p.matcher(name).matches();
  }
}
