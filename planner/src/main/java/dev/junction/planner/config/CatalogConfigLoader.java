package dev.junction.planner.config;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Secret;
import dev.junction.spi.SourceAdapter;
import dev.junction.spi.SourceProperty;
import dev.junction.spi.SourceSpec;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a catalog file into a {@link CatalogConfig}, checking every source against the
 * settings its adapter declares and reporting all problems at once, before anything
 * connects.
 *
 * <p>Design: SnakeYAML's {@link SafeConstructor} builds plain maps and lists, but with a
 * resolver that keeps every plain scalar a string (only {@code null} and merge keys are
 * recognised). YAML 1.1 would otherwise turn {@code password: 0123} into 83 and
 * {@code user: yes} into {@code true}; here each value is converted by the type its
 * adapter declares. Problems are collected per source in file order and thrown as one
 * {@link JunctionException}. No message quotes a secret, an unknown key's value or what a
 * {@code ${env:}} / {@code ${file:}} reference yielded; adapters' own messages are masked
 * as a second line of defence.
 */
public final class CatalogConfigLoader {
  /** How long remote metadata is cached when a source sets no {@code metadata-ttl}. */
  public static final Duration DEFAULT_METADATA_TTL = Duration.ofMinutes(10);

  private static final String SOURCES = "sources";
  private static final String TYPE = "type";
  private static final String INCLUDE = "include";
  private static final String EXCLUDE = "exclude";
  private static final String PROPERTIES = "properties";
  private static final String METADATA_TTL = "metadata-ttl";
  private static final List<String> COMMON_KEYS =
      List.of(TYPE, INCLUDE, EXCLUDE, PROPERTIES, METADATA_TTL);
  private static final String MEMORY = ":memory:";

  private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  private static final String DURATION_ALLOWED =
      "a duration such as 30s, 5m, 1h, 500ms or a whole number of seconds";
  private static final int MAX_SUGGESTION_DISTANCE = 2;
  private static final int MAX_QUOTED_LENGTH = 40;
  /** Shorter values are not masked in adapter messages: masking would garble the text. */
  private static final int MIN_MASKED_LENGTH = 3;

  private final Map<String, SourceAdapter> adapters = new TreeMap<>();
  private final String availableTypes;
  private final Path baseDir;
  private final References references;
  private final List<String> problems = new ArrayList<>();

  private CatalogConfigLoader(Collection<SourceAdapter> adapters, Path baseDir,
      Function<String, String> env) {
    for (SourceAdapter a : adapters) {
      this.adapters.putIfAbsent(a.type(), a);
    }
    this.availableTypes = this.adapters.isEmpty() ? "none (no source adapters were found)"
        : String.join(", ", this.adapters.keySet());
    this.baseDir = baseDir;
    this.references = new References(env, baseDir);
  }

  /**
   * Reads a catalog file, resolving {@code ${env:}} references against the process
   * environment.
   *
   * @throws JunctionException with {@link ErrorCode#CONFIG_INVALID} listing every problem
   */
  public static CatalogConfig load(Path file, Collection<SourceAdapter> adapters) {
    return load(file, adapters, System::getenv);
  }

  /**
   * Reads a catalog file; relative paths in it resolve against the file's directory.
   *
   * @param env looks up {@code ${env:NAME}} references; returns null for an unset variable
   * @throws JunctionException with {@link ErrorCode#CONFIG_INVALID} listing every problem
   */
  public static CatalogConfig load(Path file, Collection<SourceAdapter> adapters,
      Function<String, String> env) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(adapters, "adapters");
    Objects.requireNonNull(env, "env");
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new JunctionException(ErrorCode.CONFIG_INVALID,
          header(file, 1) + "\n  - " + unreadable(file, e), e);
    }
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent() != null ? absolute.getParent() : absolute.getRoot();
    return new CatalogConfigLoader(adapters, dir, env).read(yaml, file);
  }

  /**
   * Reads catalog YAML held in memory; the result has no {@link CatalogConfig#file()}.
   *
   * @param baseDir the directory relative paths and {@code ${file:}} references resolve
   *     against
   * @param env looks up {@code ${env:NAME}} references; returns null for an unset variable
   * @throws JunctionException with {@link ErrorCode#CONFIG_INVALID} listing every problem
   */
  public static CatalogConfig parse(String yaml, Path baseDir,
      Collection<SourceAdapter> adapters, Function<String, String> env) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(baseDir, "baseDir");
    Objects.requireNonNull(adapters, "adapters");
    Objects.requireNonNull(env, "env");
    return new CatalogConfigLoader(adapters, baseDir.toAbsolutePath().normalize(), env)
        .read(yaml, null);
  }

  /**
   * Parses a {@code metadata-ttl} value: a whole number with unit {@code ms}, {@code s},
   * {@code m} or {@code h}, or without a unit a number of seconds.
   *
   * @throws IllegalArgumentException if the text is not such a duration
   */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected " + DURATION_ALLOWED);
    }
    try {
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      switch (unit) {
        case "ms":
          return Duration.ofMillis(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        default:
          return Duration.ofSeconds(amount);
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration is too long", e);
    }
  }

  private CatalogConfig read(String yaml, Path file) {
    Object root;
    try {
      root = newYaml().load(yaml);
    } catch (YAMLException e) {
      // Not chained: SnakeYAML's own message quotes the offending line, which may hold a
      // password.
      throw new JunctionException(ErrorCode.CONFIG_INVALID,
          header(file, 1) + "\n  - " + describe(e));
    }
    List<SourceSpec> sources = readRoot(root);
    if (!problems.isEmpty()) {
      StringBuilder b = new StringBuilder(header(file, problems.size()));
      problems.forEach(p -> b.append("\n  - ").append(p));
      throw new JunctionException(ErrorCode.CONFIG_INVALID, b.toString());
    }
    return new CatalogConfig(sources, file);
  }

  private static Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    DumperOptions dumper = new DumperOptions();
    return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options,
        new StringScalarResolver());
  }

  private List<SourceSpec> readRoot(Object root) {
    if (root == null) {
      problems.add("the catalog is empty; expected a top-level key 'sources'");
      return List.of();
    }
    if (!(root instanceof Map<?, ?> top)) {
      problems.add("expected a map with the top-level key 'sources', found " + kind(root));
      return List.of();
    }
    for (Object key : top.keySet()) {
      if (!SOURCES.equals(key)) {
        problems.add("key " + quote(key) + ": unknown top-level key; allowed: " + SOURCES
            + suggestion(key, List.of(SOURCES)));
      }
    }
    if (!top.containsKey(SOURCES)) {
      problems.add("key 'sources': missing; the catalog must define at least one source");
      return List.of();
    }
    if (!(top.get(SOURCES) instanceof Map<?, ?> sources)) {
      problems.add("key 'sources': expected a map of source names to settings, found "
          + kind(top.get(SOURCES)));
      return List.of();
    }
    if (sources.isEmpty()) {
      problems.add("key 'sources': no sources; the catalog must define at least one");
      return List.of();
    }
    Map<String, String> seen = new HashMap<>();
    List<SourceSpec> specs = new ArrayList<>();
    for (Map.Entry<?, ?> e : sources.entrySet()) {
      SourceSpec spec = readSource(e.getKey(), e.getValue(), seen);
      if (spec != null) {
        specs.add(spec);
      }
    }
    return specs;
  }

  /** Checks one source, recording its problems; returns null if it has any. */
  private SourceSpec readSource(Object rawName, Object body, Map<String, String> seen) {
    int before = problems.size();
    String name = rawName == null ? "" : rawName.toString();
    if (!(rawName instanceof String) || !SOURCE_NAME.matcher(name).matches()) {
      problems.add(where(name, null) + ": invalid name; a source name must start with a"
          + " letter or underscore and contain only letters, digits and underscores,"
          + " because it becomes a SQL schema name");
    } else {
      String previous = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      if (previous != null) {
        problems.add(where(name, null) + ": name conflicts with source '" + previous
            + "'; names that differ only by case would be the same SQL schema");
      }
    }
    if (!(body instanceof Map<?, ?> settings)) {
      problems.add(where(name, null) + ": expected a map of settings, found " + kind(body));
      return null;
    }
    SourceAdapter adapter = adapter(name, settings);
    Map<String, SourceProperty> declared = new LinkedHashMap<>();
    if (adapter != null) {
      for (SourceProperty p : adapter.properties()) {
        if (!COMMON_KEYS.contains(p.key())) {
          declared.putIfAbsent(p.key(), p);
        }
      }
    }
    List<String> allowed = new ArrayList<>(COMMON_KEYS);
    allowed.addAll(declared.keySet());

    Set<String> revealed = new HashSet<>();
    Map<String, Object> values = new HashMap<>();
    List<String> include = List.of();
    List<String> exclude = List.of();
    Map<String, String> connectionProperties = Map.of();
    Duration metadataTtl = DEFAULT_METADATA_TTL;
    for (Map.Entry<?, ?> e : settings.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        problems.add(where(name, null) + ": setting " + quote(e.getKey())
            + " is not a name; allowed: " + String.join(", ", allowed));
        continue;
      }
      Consumer<String> problem = m -> problems.add(where(name, key) + ": " + m);
      Object value = e.getValue();
      switch (key) {
        case TYPE:
          break;
        case INCLUDE:
          include = orEmpty(patterns(value, problem));
          break;
        case EXCLUDE:
          exclude = orEmpty(patterns(value, problem));
          break;
        case PROPERTIES:
          Map<String, String> map = map(value, problem);
          connectionProperties = map == null ? Map.of() : map;
          break;
        case METADATA_TTL:
          Duration ttl = duration(value, problem);
          metadataTtl = ttl == null ? metadataTtl : ttl;
          break;
        default:
          SourceProperty property = declared.get(key);
          if (property != null) {
            Object converted = convert(property, value, problem, revealed);
            if (converted != null) {
              values.put(key, converted);
            }
          } else if (adapter != null) {
            problem.accept("unknown key; allowed: " + String.join(", ", allowed)
                + suggestion(key, allowed));
          }
      }
    }
    for (SourceProperty p : declared.values()) {
      if (settings.containsKey(p.key())) {
        continue;
      }
      if (p.required()) {
        problems.add(where(name, p.key()) + ": missing; this required key sets the "
            + p.description());
      } else if (p.defaultValue().isPresent()) {
        Object converted = convert(p, p.defaultValue().get(),
            m -> problems.add(where(name, p.key()) + ": the adapter's default value is"
                + " invalid: " + m), revealed);
        if (converted != null) {
          values.put(p.key(), converted);
        }
      }
    }
    if (problems.size() > before || adapter == null) {
      // Adapters check relations between settings that are individually valid; on a
      // broken spec they would only add noise or fail.
      return null;
    }
    SourceSpec spec = new SourceSpec(name, adapter.type(), values, include, exclude,
        connectionProperties, metadataTtl);
    return validate(adapter, spec, revealed) ? spec : null;
  }

  private SourceAdapter adapter(String name, Map<?, ?> settings) {
    if (!settings.containsKey(TYPE)) {
      problems.add(where(name, TYPE) + ": missing; expected one of: " + availableTypes);
      return null;
    }
    Object raw = settings.get(TYPE);
    if (!(raw instanceof String type) || type.isEmpty()) {
      problems.add(where(name, TYPE) + ": expected one of: " + availableTypes + ", found "
          + kind(raw));
      return null;
    }
    SourceAdapter adapter = adapters.get(type);
    if (adapter == null) {
      problems.add(where(name, TYPE) + ": unknown type " + quote(type) + "; available: "
          + availableTypes + suggestion(type, adapters.keySet()));
    }
    return adapter;
  }

  private boolean validate(SourceAdapter adapter, SourceSpec spec, Set<String> revealed) {
    List<String> found;
    try {
      found = adapter.validate(spec);
    } catch (RuntimeException e) {
      problems.add(where(spec.name(), null) + ": the " + adapter.type()
          + " adapter failed while checking the settings (" + e.getClass().getName() + ")");
      return false;
    }
    List<String> secrets = revealed.stream().filter(s -> s.length() >= MIN_MASKED_LENGTH)
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String problem : found) {
      String masked = problem;
      for (String s : secrets) {
        masked = masked.replace(s, "****");
      }
      problems.add(where(spec.name(), null) + (masked.startsWith("key '") ? ", " : ": ")
          + masked);
    }
    return found.isEmpty();
  }

  /** Converts a value to its declared type, or reports why it cannot and returns null. */
  private Object convert(SourceProperty property, Object raw, Consumer<String> problem,
      Set<String> revealed) {
    SourceProperty.Type type = property.type();
    switch (type) {
      case STRING:
      case SECRET:
      case PATH:
        if (!isScalar(raw)) {
          problem.accept("expected " + (type == SourceProperty.Type.SECRET ? "a string"
              : type.allowed()) + ", found " + kind(raw));
          return null;
        }
        boolean secret = type == SourceProperty.Type.SECRET;
        String written = raw.toString();
        if (secret) {
          revealed.add(written);
        }
        String value = references.expand(written, secret, problem, revealed::add);
        if (value == null) {
          return null;
        }
        if (secret) {
          revealed.add(value);
          return Secret.of(value);
        }
        return type == SourceProperty.Type.PATH ? path(written, value, problem) : value;
      case INTEGER:
        return integer(raw, problem);
      case BOOLEAN:
        return bool(raw, problem);
      case LIST:
        return list(raw, problem);
      case MAP:
        return map(raw, problem);
      default:
        throw new AssertionError(type);
    }
  }

  private String path(String written, String value, Consumer<String> problem) {
    if (MEMORY.equals(value)) {
      return value;
    }
    if (value.isEmpty()) {
      problem.accept("expected a file path, found an empty string");
      return null;
    }
    // A path that came from a reference is shown as written, not as resolved.
    boolean literal = written.equals(value);
    Path path;
    try {
      path = baseDir.resolve(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      problem.accept("path " + (literal ? quote(written) + " " : "") + "is not a valid path");
      return null;
    }
    String shown = "path '" + (literal ? path.toString() : written) + "'";
    if (!Files.exists(path)) {
      problem.accept(shown + " does not exist");
      return null;
    }
    boolean directory = Files.isDirectory(path);
    if (!directory && (value.endsWith("/") || value.endsWith(File.separator))) {
      problem.accept(shown + " is not a directory");
      return null;
    }
    if (!Files.isReadable(path) || directory && !Files.isExecutable(path)) {
      problem.accept(shown + " is not readable");
      return null;
    }
    return path.toString();
  }

  private static Long integer(Object raw, Consumer<String> problem) {
    if (raw instanceof Integer || raw instanceof Long) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        problem.accept("expected an integer, found " + quote(s));
        return null;
      }
    }
    problem.accept("expected an integer, found " + (raw instanceof BigInteger
        ? "a number that is too large" : kind(raw)));
    return null;
  }

  private static Boolean bool(Object raw, Consumer<String> problem) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.valueOf(s);
    }
    problem.accept("expected true or false, found "
        + (raw instanceof String s ? quote(s) : kind(raw)));
    return null;
  }

  private static List<String> list(Object raw, Consumer<String> problem) {
    if (isScalar(raw)) {
      return List.of(raw.toString());
    }
    if (!(raw instanceof List<?> items)) {
      problem.accept("expected a list of strings, found " + kind(raw));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object item : items) {
      if (!isScalar(item)) {
        problem.accept("expected a list of strings, found a list containing " + kind(item));
        return null;
      }
      out.add(item.toString());
    }
    return out;
  }

  private static Map<String, String> map(Object raw, Consumer<String> problem) {
    if (!(raw instanceof Map<?, ?> entries)) {
      problem.accept("expected a map of names to values, found " + kind(raw));
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    boolean ok = true;
    for (Map.Entry<?, ?> e : entries.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        problem.accept("expected a map of names to values, found the name " + quote(e.getKey()));
        ok = false;
      } else if (!isScalar(e.getValue())) {
        // The value is not quoted: a driver property may be a password.
        problem.accept("expected a map of names to values, found " + kind(e.getValue())
            + " for " + quote(key));
        ok = false;
      } else {
        out.put(key, e.getValue().toString());
      }
    }
    return ok ? out : null;
  }

  private static List<String> patterns(Object raw, Consumer<String> problem) {
    List<String> patterns = list(raw, problem);
    if (patterns == null) {
      return null;
    }
    for (String p : patterns) {
      int dot = p.indexOf('.');
      if (p.isBlank() || dot == 0 || dot == p.length() - 1 || p.indexOf('.', dot + 1) >= 0) {
        problem.accept("pattern " + quote(p) + " is not a glob of the form 'schema' or"
            + " 'schema.table' (with * and ?)");
        return null;
      }
    }
    return patterns;
  }

  private static Duration duration(Object raw, Consumer<String> problem) {
    if (raw instanceof Integer || raw instanceof Long) {
      long seconds = ((Number) raw).longValue();
      if (seconds >= 0) {
        return Duration.ofSeconds(seconds);
      }
    }
    if (raw instanceof String s) {
      try {
        return parseDuration(s);
      } catch (IllegalArgumentException e) {
        problem.accept("expected " + DURATION_ALLOWED + ", found " + quote(s));
        return null;
      }
    }
    problem.accept("expected " + DURATION_ALLOWED + ", found "
        + (raw instanceof Number ? quote(raw) : kind(raw)));
    return null;
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private static boolean isScalar(Object o) {
    return o instanceof String || o instanceof Number || o instanceof Boolean;
  }

  /** What kind of YAML value {@code o} is, without showing it. */
  private static String kind(Object o) {
    if (o == null) {
      return "an empty value";
    } else if (o instanceof Map) {
      return "a map";
    } else if (o instanceof List) {
      return "a list";
    } else if (o instanceof Set) {
      return "a set";
    } else if (o instanceof String) {
      return "a string";
    } else if (o instanceof Number) {
      return "a number";
    } else if (o instanceof Boolean) {
      return "a boolean";
    } else if (o instanceof byte[]) {
      return "binary data";
    }
    return "a value of type " + o.getClass().getSimpleName();
  }

  /** Quotes a non-secret value for a message, shortened so a message stays one line. */
  private static String quote(Object o) {
    String s = String.valueOf(o).replace('\n', ' ').replace('\r', ' ');
    if (s.length() > MAX_QUOTED_LENGTH) {
      s = s.substring(0, MAX_QUOTED_LENGTH) + "...";
    }
    return "'" + s + "'";
  }

  private static String where(String source, String key) {
    return "source " + quote(source) + (key == null ? "" : ", key " + quote(key));
  }

  private static String header(Path file, int count) {
    return "Invalid catalog" + (file == null ? "" : " " + file) + ": " + count
        + (count == 1 ? " problem" : " problems");
  }

  private static String unreadable(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return "the file does not exist";
    } else if (Files.isDirectory(file)) {
      return "the path is a directory, not a catalog file";
    } else if (e instanceof AccessDeniedException) {
      return "the file is not readable";
    } else if (e instanceof CharacterCodingException) {
      return "the file is not valid UTF-8";
    }
    return "the file cannot be read (" + e.getClass().getSimpleName() + ")";
  }

  /**
   * Describes a YAML error by position only: SnakeYAML's own message includes a snippet of
   * the offending line, and that line may hold a password.
   */
  private static String describe(YAMLException e) {
    if (e instanceof MarkedYAMLException m) {
      Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
      StringBuilder b = new StringBuilder("invalid YAML");
      if (mark != null) {
        b.append(" at ").append(position(mark));
      }
      b.append(": ").append(m.getProblem() != null ? oneLine(m.getProblem()) : "syntax error");
      if (m.getContext() != null) {
        b.append(" (").append(oneLine(m.getContext()));
        if (m.getContextMark() != null && m.getContextMark() != mark) {
          b.append(" at ").append(position(m.getContextMark()));
        }
        b.append(')');
      }
      return b.toString();
    }
    if (e instanceof ReaderException r) {
      return String.format(Locale.ROOT, "invalid YAML at character %d: character U+%04X is"
          + " not allowed", r.getPosition() + 1, r.getCodePoint());
    }
    return "invalid YAML: " + oneLine(String.valueOf(e.getMessage()));
  }

  private static String position(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** " (did you mean 'x'?)" for the closest candidate within a small edit distance. */
  private static String suggestion(Object key, Collection<String> candidates) {
    if (!(key instanceof String s)) {
      return "";
    }
    String best = null;
    int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
    for (String c : candidates) {
      int d = distance(s.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  /**
   * Recognises only {@code null} and merge keys, so every other plain scalar stays the
   * string that was written and the adapter's declared type decides how to read it.
   */
  private static final class StringScalarResolver extends Resolver {
    @Override protected void addImplicitResolvers() {
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }
}
