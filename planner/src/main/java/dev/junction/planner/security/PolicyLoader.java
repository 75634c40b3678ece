package dev.junction.planner.security;

import dev.junction.config.ConfigProblem;
import dev.junction.config.Masker;
import dev.junction.config.Problems;
import dev.junction.config.Settings;
import dev.junction.config.Texts;
import dev.junction.config.YamlDocument;
import dev.junction.planner.limits.LimitRules;
import dev.junction.planner.limits.LimitValues;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a policy file into a {@link Policy}, reporting every problem at once, each with its
 * line, as one {@link InvalidPolicyException}.
 *
 * <pre>
 * users:
 *   ana: {groups: [analysts], attributes: {region: EU, api_key: {secret: abc}}}
 * rules:                      # first matching rule wins; no match = no access
 *   - {group: admins, allow: read}
 *   - group: analysts
 *     table: "orders|customers"
 *     allow: read
 *     filter: "region = ATTRIBUTE('region')"
 *     columns:
 *       ssn: {allow: false}
 * </pre>
 *
 * <p>Design: the file is read by the shared configuration layer ({@link YamlDocument}),
 * which keeps every plain scalar the text that was written, so {@code region: NO} stays
 * Norway rather than becoming false, and {@code tenant_id: 042} stays 042. The policy is
 * walked by hand rather than through {@code Settings}: its messages name list items
 * ({@code rules[2].filter}, counted from 0), and its values are regular expressions and
 * SQL, where {@code ${...}} must stay as written. Nothing is ever replaced silently: an
 * empty pattern or an empty list of patterns, which the model would read as "any", is a
 * problem rather than a rule that applies to everyone. No message quotes an attribute's
 * value, and every message is also masked with each value written under a {@code secret}
 * key anywhere in the file, a second line of defence. Regular expressions and SQL come
 * from the file, so their compilers' failures, even running out of stack on a deeply
 * nested input, become problems too.
 */
public final class PolicyLoader {
  private static final String USERS = "users";
  private static final String RULES = "rules";
  private static final String LIMITS = "limits";
  private static final List<String> TOP_LEVEL_KEYS = List.of(USERS, RULES, LIMITS);
  private static final String GROUPS = "groups";
  private static final String ATTRIBUTES = "attributes";
  private static final List<String> USER_KEYS = List.of(GROUPS, ATTRIBUTES);
  private static final String SECRET = "secret";
  private static final String USER = "user";
  private static final String GROUP = "group";
  private static final String SOURCE = "source";
  private static final String SCHEMA = "schema";
  private static final String TABLE = "table";
  private static final String ALLOW = "allow";
  private static final String FILTER = "filter";
  private static final String COLUMNS = "columns";
  private static final List<String> RULE_KEYS =
      List.of(USER, GROUP, SOURCE, SCHEMA, TABLE, ALLOW, FILTER, COLUMNS);
  private static final String MASK = "mask";
  private static final List<String> COLUMN_KEYS = List.of(ALLOW, MASK);
  private static final String READ = "read";
  private static final String NONE = "none";
  private static final List<String> ALLOW_VALUES = List.of(READ, NONE);
  /**
   * The longest regular expression accepted. Compiling a long literal takes time that grows
   * with the square of its length in the JDK (about 3 s at 64 KB); 4096 characters hold
   * some two hundred table names, and more rules can name more.
   */
  static final int MAX_PATTERN_LENGTH = 4_096;
  /** The longest row filter or mask accepted, for the same reason (Calcite's parser). */
  static final int MAX_EXPRESSION_LENGTH = 16_384;
  /** Source, schema and table names match ignoring case, as SQL names do. */
  private static final int NAME_FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

  private final Path file;
  private final Problems problems;
  private final Masker secrets = new Masker();
  private YamlDocument doc;

  private PolicyLoader(Path file) {
    this.file = file;
    this.problems = new Problems(file == null ? null : file.toString());
  }

  /**
   * Reads a policy file (UTF-8).
   *
   * @throws InvalidPolicyException listing every problem, or the one reason the file cannot
   *     be read
   */
  public static Policy load(Path file) {
    Objects.requireNonNull(file, "file");
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidPolicyException(subject(file),
          List.of(new ConfigProblem(file.toString(), 0, unreadable(file, e))), e);
    }
    return parse(yaml, file);
  }

  /**
   * Reads policy YAML.
   *
   * @param file the file the text came from, for messages and {@link Policy#file()}; null
   *     for text held in memory
   * @throws InvalidPolicyException listing every problem
   */
  public static Policy parse(String yaml, Path file) {
    Objects.requireNonNull(yaml, "yaml");
    return new PolicyLoader(file).read(yaml);
  }

  private Policy read(String yaml) {
    doc = YamlDocument.parse(yaml, problems);
    Map<String, Policy.User> users = Map.of();
    List<PolicyRule> rules = List.of();
    LimitRules limits = LimitRules.NONE;
    Object root = doc == null ? null : doc.root();
    rememberSecrets(root);
    if (root instanceof Map<?, ?> top) {
      known(top, "", TOP_LEVEL_KEYS);
      users = users(top.get(USERS), line(top, USERS));
      rules = rules(top.get(RULES), line(top, RULES));
      limits = limits();
    } else if (root != null) {
      problems.add(Math.max(1, doc.line(root)), "the policy must be a mapping with the keys"
          + " users, rules and limits, not " + Texts.kind(root));
    }
    if (!problems.isEmpty()) {
      // In file order: a rule's keys are checked in a fixed order, not as written.
      List<ConfigProblem> masked = new ArrayList<>();
      for (ConfigProblem p : problems.list()) {
        masked.add(new ConfigProblem(p.file(), p.line(), secrets.mask(p.message())));
      }
      masked.sort(Comparator.comparingInt(ConfigProblem::line));
      throw new InvalidPolicyException(subject(file), masked);
    }
    return new Policy(file, users, rules, limits);
  }

  /**
   * The {@code limits:} section: {@code defaults}, then {@code users} and {@code groups}
   * by name, each a set of limit keys ({@link LimitValues#KEYS}), read through the typed
   * configuration layer.
   */
  private LimitRules limits() {
    Settings.Context ctx = new Settings.Context(doc, problems,
        file == null ? null : file.toAbsolutePath().getParent(), System::getenv);
    Settings top = Settings.root(ctx, "");
    Settings s = top == null ? null : top.section(LIMITS);
    if (s == null) {
      return LimitRules.NONE;
    }
    s.known("defaults", USERS, "groups");
    String in = "policy " + (file == null ? "(in memory)" : file.toString()) + ", ";
    Settings d = s.section("defaults");
    LimitValues defaults = d == null ? LimitValues.none(in + "limits.defaults")
        : LimitValues.read(d, in + "limits.defaults");
    return new LimitRules(LimitValues.none("catalog"), 0, defaults,
        limitEntries(s.section(USERS), in + "limits.users."),
        limitEntries(s.section("groups"), in + "limits.groups."));
  }

  private static Map<String, LimitValues> limitEntries(Settings s, String where) {
    Map<String, LimitValues> out = new LinkedHashMap<>();
    if (s == null) {
      return out;
    }
    for (String name : s.keys()) {
      Settings entry = s.section(name);
      if (entry != null) {
        out.put(name, LimitValues.read(entry, where + name));
      }
    }
    return out;
  }

  private Map<String, Policy.User> users(Object value, int line) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      problem(line, USERS, "must be a mapping of user names to their groups and attributes,"
          + " not " + Texts.kind(value));
      return Map.of();
    }
    Map<String, Policy.User> users = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      int userLine = line(map, e.getKey());
      String path = USERS + "." + segment(e.getKey());
      String name = name(e.getKey(), userLine, path, "a user name");
      Policy.User user = user(name, e.getValue(), userLine, path);
      if (name != null) {
        users.put(name, user);
      }
    }
    return users;
  }

  /** One user; a user written without a body ({@code carl:}) has no groups or attributes. */
  private Policy.User user(String name, Object value, int line, String path) {
    List<String> groups = List.of();
    Map<String, String> attributes = new LinkedHashMap<>();
    Set<String> secret = new LinkedHashSet<>();
    if (value instanceof Map<?, ?> map) {
      known(map, path, USER_KEYS);
      groups = groups(map.get(GROUPS), line(map, GROUPS), path + "." + GROUPS);
      attributes(map.get(ATTRIBUTES), line(map, ATTRIBUTES), path + "." + ATTRIBUTES,
          attributes, secret);
    } else if (value != null) {
      problem(line, path, "must be a mapping with the keys groups and attributes, not "
          + shown(value));
    }
    return new Policy.User(name == null ? "" : name, line, groups, attributes, secret);
  }

  private List<String> groups(Object value, int line, String path) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> items) {
      List<String> groups = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        String group = name(items.get(i), line(items, i), path + "[" + i + "]", "a group name");
        if (group != null) {
          groups.add(group);
        }
      }
      return groups;
    }
    if (Texts.isScalar(value)) {
      String group = name(value, line, path, "a group name");
      return group == null ? List.of() : List.of(group);
    }
    problem(line, path, "must be a group name or a list of them, not " + Texts.kind(value));
    return List.of();
  }

  /**
   * Reads the attributes into {@code out} and the names of secret ones into {@code secret}.
   * Inside an attribute nothing is quoted, not even a key: {@code {secret abc}} (a missing
   * colon) is a map whose key holds the secret.
   */
  private void attributes(Object value, int line, String path, Map<String, String> out,
      Set<String> secret) {
    if (value == null) {
      return;
    }
    if (!(value instanceof Map<?, ?> map)) {
      problem(line, path, "must be a mapping of attribute names to values, not "
          + Texts.kind(value));
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      int attributeLine = line(map, e.getKey());
      String attributePath = path + "." + segment(e.getKey());
      String name = name(e.getKey(), attributeLine, attributePath, "an attribute name");
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m && m.size() == 1 && m.containsKey(SECRET)) {
        Object s = m.get(SECRET);
        if (Texts.isScalar(s) && !s.toString().isEmpty()) {
          if (name != null) {
            out.put(name, s.toString());
            secret.add(name);
          }
        } else {
          problem(line(m, SECRET), attributePath + "." + SECRET, "must be one non-empty value,"
              + " not " + (s == null ? "an empty value" : Texts.isScalar(s) ? "empty text"
              : Texts.kind(s)) + " (value not shown: it is a secret)");
        }
      } else if (v instanceof Map<?, ?>) {
        problem(attributeLine, attributePath, "must be one value or {secret: value}, not a"
            + " mapping with other keys (its contents are not shown: they may be secret)");
      } else if (v == null) {
        problem(attributeLine, attributePath, "empty; give a value (write '' for empty text),"
            + " or {secret: value} for one that is never shown");
      } else if (Texts.isScalar(v)) {
        if (name != null) {
          out.put(name, v.toString());
        }
      } else {
        problem(attributeLine, attributePath, "must be one value or {secret: value}, not "
            + Texts.kind(v) + " (its contents are not shown: they may be secret)");
      }
    }
  }

  /**
   * Remembers every value written under a {@code secret} key anywhere in the document, even
   * where a secret does not belong, so that no message shows it. The document may refer to
   * itself through aliases, hence the walk by identity.
   */
  private void rememberSecrets(Object root) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> pending = new ArrayDeque<>();
    if (root != null) {
      pending.push(root);
    }
    while (!pending.isEmpty()) {
      Object o = pending.pop();
      if (!seen.add(o)) {
        continue;
      }
      Collection<?> children = List.of();
      if (o instanceof Map<?, ?> map) {
        Object secret = map.get(SECRET);
        if (Texts.isScalar(secret)) {
          secrets.add(secret.toString());
        } else if (secret instanceof Collection<?> values) {
          values.stream().filter(Texts::isScalar).forEach(v -> secrets.add(v.toString()));
        }
        List<Object> keysAndValues = new ArrayList<>(map.keySet());
        keysAndValues.addAll(map.values());
        children = keysAndValues;
      } else if (o instanceof Collection<?> c) {
        children = c;
      }
      for (Object child : children) {
        if (child instanceof Map || child instanceof Collection) {
          pending.push(child);
        }
      }
    }
  }

  private List<PolicyRule> rules(Object value, int line) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      problem(line, RULES, "must be a list of rules, each starting with '- ', not "
          + Texts.kind(value));
      return List.of();
    }
    List<PolicyRule> rules = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      int ruleLine = line(items, i);
      String path = RULES + "[" + i + "]";
      if (items.get(i) instanceof Map<?, ?> map) {
        rules.add(rule(map, ruleLine, path));
      } else {
        problem(ruleLine, path, "must be a mapping with the keys "
            + String.join(", ", RULE_KEYS) + ", not " + shown(items.get(i)));
      }
    }
    return rules;
  }

  private PolicyRule rule(Map<?, ?> map, int line, String path) {
    known(map, path, RULE_KEYS);
    List<Pattern> users = principals(map, USER, path);
    List<Pattern> groups = principals(map, GROUP, path);
    Pattern source = objectName(map, SOURCE, path);
    Pattern schema = objectName(map, SCHEMA, path);
    Pattern table = objectName(map, TABLE, path);
    Boolean read = allow(map, line, path);
    String filter = null;
    if (map.containsKey(FILTER)) {
      int filterLine = line(map, FILTER);
      if (Boolean.FALSE.equals(read)) {
        problem(filterLine, path + "." + FILTER, "not allowed with allow: none; a denying"
            + " rule shows nothing, so a row filter on it means nothing");
      } else {
        filter = expression(map.get(FILTER), filterLine, path + "." + FILTER, "row filter");
      }
    }
    Map<String, PolicyRule.ColumnRule> columns = Map.of();
    if (map.containsKey(COLUMNS)) {
      int columnsLine = line(map, COLUMNS);
      if (Boolean.FALSE.equals(read)) {
        problem(columnsLine, path + "." + COLUMNS, "not allowed with allow: none; a denying"
            + " rule shows nothing, so hiding or masking a column on it means nothing");
      } else {
        columns = columns(map.get(COLUMNS), columnsLine, path + "." + COLUMNS);
      }
    }
    return new PolicyRule(line, users, groups, source, schema, table,
        Boolean.TRUE.equals(read), filter, columns);
  }

  /** The {@code user} or {@code group} patterns: one regular expression or a list. */
  private List<Pattern> principals(Map<?, ?> map, String key, String rulePath) {
    if (!map.containsKey(key)) {
      return List.of();
    }
    Object value = map.get(key);
    int line = line(map, key);
    String path = rulePath + "." + key;
    String any = "; omit the key to match any " + key;
    List<Pattern> patterns = new ArrayList<>();
    if (value instanceof List<?> items) {
      if (items.isEmpty()) {
        problem(line, path, "an empty list; give at least one regular expression" + any);
      }
      for (int i = 0; i < items.size(); i++) {
        Pattern p = pattern(items.get(i), 0, line(items, i), path + "[" + i + "]", any);
        if (p != null) {
          patterns.add(p);
        }
      }
    } else if (value == null || Texts.isScalar(value)) {
      Pattern p = pattern(value, 0, line, path, any);
      if (p != null) {
        patterns.add(p);
      }
    } else {
      problem(line, path, "must be a regular expression or a list of them, not "
          + Texts.kind(value));
    }
    return patterns;
  }

  /** The {@code source}, {@code schema} or {@code table} pattern, or null for any name. */
  private Pattern objectName(Map<?, ?> map, String key, String rulePath) {
    if (!map.containsKey(key)) {
      return null;
    }
    Object value = map.get(key);
    int line = line(map, key);
    String path = rulePath + "." + key;
    if (value != null && !Texts.isScalar(value)) {
      problem(line, path, "must be one regular expression, not " + Texts.kind(value)
          + "; use | for alternatives, as in 'customers|products'");
      return null;
    }
    return pattern(value, NAME_FLAGS, line, path, "; omit the key to match any " + key);
  }

  /** Compiles a regular expression from the file; null, after a problem, when it cannot. */
  private Pattern pattern(Object value, int flags, int line, String path, String any) {
    if (value == null || Texts.isScalar(value) && value.toString().isEmpty()) {
      problem(line, path, "empty; give a regular expression" + any);
      return null;
    }
    if (!Texts.isScalar(value)) {
      problem(line, path, "must be a regular expression, not " + Texts.kind(value));
      return null;
    }
    String regex = value.toString();
    if (regex.length() > MAX_PATTERN_LENGTH) {
      problem(line, path, Texts.quote(regex) + " is too long: " + regex.length()
          + " characters; at most " + MAX_PATTERN_LENGTH + " are allowed");
      return null;
    }
    try {
      return Pattern.compile(regex, flags);
    } catch (PatternSyntaxException e) {
      problem(line, path, Texts.quote(regex) + " is not a valid regular expression: "
          + Texts.oneLine(String.valueOf(e.getDescription()))
          + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
    } catch (StackOverflowError e) {
      problem(line, path, Texts.quote(regex) + " is not a usable regular expression: it"
          + " nests too deeply");
    } catch (RuntimeException e) {
      problem(line, path, Texts.quote(regex) + " is not a valid regular expression ("
          + e.getClass().getSimpleName() + ")");
    }
    return null;
  }

  /** {@code allow}: true for read, false for none, null (after a problem) otherwise. */
  private Boolean allow(Map<?, ?> map, int line, String rulePath) {
    String path = rulePath + "." + ALLOW;
    if (!map.containsKey(ALLOW)) {
      problem(line, path, "missing; every rule says what it allows: read or none");
      return null;
    }
    Object value = map.get(ALLOW);
    if (value instanceof String s) {
      if (s.strip().equalsIgnoreCase(READ)) {
        return Boolean.TRUE;
      }
      if (s.strip().equalsIgnoreCase(NONE)) {
        return Boolean.FALSE;
      }
    }
    problem(line(map, ALLOW), path, shown(value) + " is not allowed; allowed: "
        + String.join(", ", ALLOW_VALUES) + Texts.didYouMean(value, ALLOW_VALUES));
    return null;
  }

  /** A row filter or mask as written, after checking it parses; null after a problem. */
  private String expression(Object value, int line, String path, String what) {
    if (value == null || Texts.isScalar(value) && value.toString().isBlank()) {
      problem(line, path, "empty; give the " + what + " as a SQL expression");
      return null;
    }
    if (!Texts.isScalar(value)) {
      problem(line, path, "must be a SQL expression (the " + what + "), not "
          + Texts.kind(value));
      return null;
    }
    String sql = value.toString();
    if (sql.length() > MAX_EXPRESSION_LENGTH) {
      problem(line, path, "the " + what + " is too long: " + sql.length() + " characters; at"
          + " most " + MAX_EXPRESSION_LENGTH + " are allowed");
      return null;
    }
    try {
      PolicyExpressions.parse(sql);
      return sql;
    } catch (PolicyExpressions.InvalidExpressionException e) {
      String message = e.getMessage();
      problem(line, path, message == null || message.isBlank()
          ? "not a valid SQL expression" : Texts.oneLine(message));
    } catch (StackOverflowError e) {
      problem(line, path, "not a valid SQL expression: it is too long or nests too deeply");
    } catch (RuntimeException e) {
      problem(line, path, "not a valid SQL expression (" + e.getClass().getSimpleName()
          + ")");
    }
    return null;
  }

  private Map<String, PolicyRule.ColumnRule> columns(Object value, int line, String path) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      problem(line, path, "must be a mapping of column names to {allow: false} or"
          + " {mask: expression}, not " + Texts.kind(value));
      return Map.of();
    }
    Map<String, PolicyRule.ColumnRule> columns = new LinkedHashMap<>();
    Map<String, String> spelling = new HashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      int columnLine = line(map, e.getKey());
      String columnPath = path + "." + segment(e.getKey());
      String name = name(e.getKey(), columnLine, columnPath, "a column name");
      PolicyRule.ColumnRule rule = column(name, e.getValue(), columnLine, columnPath);
      if (name == null) {
        continue;
      }
      String key = name.toLowerCase(Locale.ROOT);
      PolicyRule.ColumnRule previous = columns.get(key);
      if (previous != null || spelling.containsKey(key)) {
        String first = previous != null ? previous.name() : spelling.get(key);
        problem(columnLine, columnPath, "the same column as '" + segment(first)
            + "'; column names match ignoring case, so give each column once");
      } else if (rule != null) {
        columns.put(key, rule);
      } else {
        spelling.put(key, name);
      }
    }
    return columns;
  }

  /** One column's rule; null after a problem. */
  private PolicyRule.ColumnRule column(String name, Object value, int line, String path) {
    String allowed = "{allow: false} to hide the column or {mask: expression} to mask it";
    if (value == null || value instanceof Map<?, ?> m && m.isEmpty()) {
      problem(line, path, "empty; give " + allowed);
      return null;
    }
    if (!(value instanceof Map<?, ?> map)) {
      problem(line, path, "must be " + allowed + ", not " + shown(value));
      return null;
    }
    int before = problems.size();
    known(map, path, COLUMN_KEYS);
    boolean shownColumn = true;
    if (map.containsKey(ALLOW)) {
      Object v = map.get(ALLOW);
      if (v instanceof Boolean b) {
        shownColumn = b;
      } else if (v instanceof String s && (s.strip().equalsIgnoreCase("true")
          || s.strip().equalsIgnoreCase("false"))) {
        shownColumn = s.strip().equalsIgnoreCase("true");
      } else {
        problem(line(map, ALLOW), path + "." + ALLOW, shown(v)
            + " is not allowed; allowed: true, false");
      }
    }
    String mask = null;
    if (map.containsKey(MASK)) {
      int maskLine = line(map, MASK);
      if (!shownColumn) {
        problem(maskLine, path + "." + MASK, "not allowed with allow: false; a hidden column"
            + " shows no value, so a mask on it means nothing");
      } else {
        mask = expression(map.get(MASK), maskLine, path + "." + MASK, "mask");
      }
    }
    return problems.size() > before || name == null ? null
        : new PolicyRule.ColumnRule(name, line, shownColumn, mask);
  }

  /** A name written as a key or list item: non-empty text; null after a problem. */
  private String name(Object value, int line, String path, String what) {
    if (value instanceof String s && !s.isBlank()) {
      return s;
    }
    problem(line, path, what + " must be non-empty text, not "
        + (value instanceof String ? "blank text" : Texts.kind(value)));
    return null;
  }

  /** Reports each key of {@code map} that is not {@code allowed}, with the closest one. */
  private void known(Map<?, ?> map, String path, List<String> allowed) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String s) || !allowed.contains(s)) {
        problem(line(map, key), (path.isEmpty() ? "" : path + ".") + segment(key),
            "unknown key; allowed: " + String.join(", ", allowed)
            + Texts.didYouMean(key, allowed));
      }
    }
  }

  private void problem(int line, String path, String message) {
    problems.add(line, "key '" + path + "': " + message);
  }

  /**
   * The line of {@code key} in a map (or of item {@code key} in a list); the container's
   * when the key is not a single value, whose text would have to be compared.
   */
  private int line(Object container, Object key) {
    if (doc == null) {
      return 0;
    }
    return key == null || Texts.isScalar(key) ? doc.line(container, key)
        : doc.line(container);
  }

  /** A key as a path segment: its text shortened to one line, or its kind. */
  private static String segment(Object key) {
    if (key == null || Texts.isScalar(key)) {
      String quoted = Texts.quote(key);
      return quoted.substring(1, quoted.length() - 1);
    }
    return "(" + Texts.kind(key) + ")";
  }

  /** A non-secret value for a message: quoted when it is one value, its kind otherwise. */
  private static String shown(Object value) {
    return Texts.isScalar(value) ? Texts.quote(value) : Texts.kind(value);
  }

  private static String subject(Path file) {
    return "Invalid policy" + (file == null ? "" : " " + file);
  }

  private static String unreadable(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return "the file does not exist";
    } else if (Files.isDirectory(file)) {
      return "the path is a directory, not a policy file";
    } else if (e instanceof AccessDeniedException) {
      return "the file is not readable";
    } else if (e instanceof CharacterCodingException) {
      return "the file is not valid UTF-8";
    }
    return "the file cannot be read (" + e.getClass().getSimpleName() + ")";
  }
}
