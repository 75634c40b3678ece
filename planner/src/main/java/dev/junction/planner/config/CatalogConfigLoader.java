package dev.junction.planner.config;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Secret;
import dev.junction.spi.SourceAdapter;
import dev.junction.spi.SourceProperty;
import dev.junction.spi.SourceSpec;

import dev.junction.config.ConfigProblem;
import dev.junction.config.Durations;
import dev.junction.config.Masker;
import dev.junction.config.Problems;
import dev.junction.config.References;
import dev.junction.config.Settings;
import dev.junction.planner.limits.LimitRules;
import dev.junction.planner.limits.LimitValues;
import dev.junction.planner.limits.Limits;
import dev.junction.config.Texts;
import dev.junction.config.YamlDocument;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a catalog file into a {@link CatalogConfig}, checking every source against the
 * settings its adapter declares and reporting all problems at once, before anything
 * connects.
 *
 * <p>Design: the file is read by the shared configuration layer ({@link YamlDocument}),
 * which keeps every plain scalar a string: YAML 1.1 would otherwise turn
 * {@code password: 0123} into 83 and {@code user: yes} into {@code true}; here each value
 * is converted by the type its adapter declares. Problems are collected per source in file
 * order, each with its line, and thrown as one {@link InvalidCatalogException}. No message
 * quotes a secret, an unknown key's value or what a
 * {@code ${env:}} / {@code ${file:}} reference yielded; adapters' own messages are masked
 * as a second line of defence.
 */
public final class CatalogConfigLoader {
  /** How long remote metadata is cached when a source sets no {@code metadata-ttl}. */
  public static final Duration DEFAULT_METADATA_TTL = Duration.ofMinutes(10);

  private static final String SOURCES = "sources";
  private static final String POLICY = "policy";
  private static final String AUDIT = "audit";
  private static final String LIMITS = "limits";
  private static final String CACHE = "cache";
  private static final List<String> TOP_LEVEL_KEYS =
      List.of(SOURCES, POLICY, AUDIT, LIMITS, CACHE);
  private static final String TYPE = "type";
  private static final String INCLUDE = "include";
  private static final String EXCLUDE = "exclude";
  private static final String PROPERTIES = "properties";
  private static final String METADATA_TTL = "metadata-ttl";
  private static final String CACHE_TTL = "cache-ttl";
  private static final List<String> COMMON_KEYS =
      List.of(TYPE, INCLUDE, EXCLUDE, PROPERTIES, METADATA_TTL, CACHE_TTL);
  private static final String MEMORY = ":memory:";
  /** The system schema's name, which no source may take. */
  private static final String SYSTEM_SCHEMA = "junction";

  private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String DURATION_ALLOWED = Durations.ALLOWED;

  private final Map<String, SourceAdapter> adapters = new TreeMap<>();
  private final String availableTypes;
  private final Path baseDir;
  private final References references;
  private final Function<String, String> env;
  private final Problems problems;
  /** Each source's {@code cache-ttl}, where set. */
  private final Map<String, Duration> cacheTtls = new LinkedHashMap<>();
  private YamlDocument doc;

  private CatalogConfigLoader(Collection<SourceAdapter> adapters, Path baseDir,
      Function<String, String> env, Path file) {
    this.problems = new Problems(file == null ? null : file.toString());
    for (SourceAdapter a : adapters) {
      this.adapters.putIfAbsent(a.type(), a);
    }
    this.availableTypes = this.adapters.isEmpty() ? "none (no source adapters were found)"
        : String.join(", ", this.adapters.keySet());
    this.baseDir = baseDir;
    this.references = new References(env, baseDir);
    this.env = env;
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
      throw new InvalidCatalogException(subject(file),
          List.of(new ConfigProblem(file.toString(), 0, unreadable(file, e))), e);
    }
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent() != null ? absolute.getParent() : absolute.getRoot();
    return new CatalogConfigLoader(adapters, dir, env, file).read(yaml, file);
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
    return new CatalogConfigLoader(adapters, baseDir.toAbsolutePath().normalize(), env, null)
        .read(yaml, null);
  }

  /**
   * Parses a {@code metadata-ttl} value: a whole number with unit {@code ms}, {@code s},
   * {@code m} or {@code h}, or without a unit a number of seconds.
   *
   * @throws IllegalArgumentException if the text is not such a duration
   */
  static Duration parseDuration(String text) {
    return Durations.parse(text);
  }

  private CatalogConfig read(String yaml, Path file) {
    doc = YamlDocument.parse(yaml, problems);
    // A syntax error is thrown alone and without the parser's exception: its message
    // quotes the offending line, which may hold a password.
    List<SourceSpec> sources = doc == null ? List.of() : readRoot(doc.root());
    Path policy = null;
    AuditSettings audit = AuditSettings.DEFAULT;
    LimitRules limits = LimitRules.NONE;
    CacheSettings cache = CacheSettings.OFF;
    if (doc != null && doc.root() instanceof Map<?, ?>) {
      Settings top = Settings.root(new Settings.Context(doc, problems, baseDir, env), "");
      policy = top.file(POLICY);
      audit = audit(top.section(AUDIT));
      limits = limits(top.section(LIMITS), file);
      cache = cache(top.section(CACHE), cacheTtls);
    }
    if (!problems.isEmpty()) {
      throw new InvalidCatalogException(subject(file), problems.list());
    }
    return new CatalogConfig(sources, file, policy, audit, limits, cache);
  }

  /**
   * The {@code limits:} section: the limit keys every caller gets unless the policy says
   * otherwise ({@link LimitValues#KEYS}), and {@code process-memory}, shared by all.
   */
  private static LimitRules limits(Settings s, Path file) {
    if (s == null) {
      return LimitRules.NONE;
    }
    LimitValues values = LimitValues.read(s, "catalog " + (file == null ? "(in memory)"
        : file.toString()) + ", limits", Limits.PROCESS_MEMORY);
    return LimitRules.ofCatalog(values, s.size(Limits.PROCESS_MEMORY, 0));
  }

  /**
   * The {@code cache:} section; {@link CacheSettings#OFF} when absent (a source's
   * {@code cache-ttl} then has no effect).
   */
  private static CacheSettings cache(Settings s, Map<String, Duration> sourceTtls) {
    if (s == null) {
      return CacheSettings.OFF;
    }
    s.known("max-bytes", "max-entry-bytes", "ttl");
    long maxBytes = s.size("max-bytes", CacheSettings.DEFAULT_MAX_BYTES);
    long maxEntryBytes = s.size("max-entry-bytes",
        Math.min(CacheSettings.DEFAULT_MAX_ENTRY_BYTES, maxBytes));
    Duration ttl = s.duration("ttl", Duration.ZERO);
    if (maxBytes <= 0) {
      s.problem("max-bytes", "0 is not allowed; allowed: a size above 0 (remove the"
          + " 'cache' section to turn the result cache off)");
    } else if (maxEntryBytes <= 0 || maxEntryBytes > maxBytes
        || maxEntryBytes > Integer.MAX_VALUE) {
      s.problem("max-entry-bytes", maxEntryBytes + " bytes is not allowed; allowed: a size"
          + " above 0, at most max-bytes (" + maxBytes + " bytes) and under 2GB");
    }
    return new CacheSettings(true, maxBytes, maxEntryBytes, ttl, sourceTtls);
  }

  /** The {@code audit:} section; the default (the log, failing closed) when absent. */
  private static AuditSettings audit(Settings s) {
    if (s == null) {
      return AuditSettings.DEFAULT;
    }
    s.known("destination", "file", "max-file-size", "max-files", "on-failure");
    AuditSettings.Destination destination = s.enumValue("destination",
        AuditSettings.Destination.class, AuditSettings.Destination.LOG);
    Path path = null;
    if (destination == AuditSettings.Destination.FILE) {
      path = s.outputFile("file", true);
    } else if (s.has("file")) {
      s.problem("file", "only allowed with destination: file");
    }
    long maxBytes = s.size("max-file-size", AuditSettings.DEFAULT_MAX_FILE_BYTES);
    Integer maxFiles = s.integer("max-files", 1, 10_000);
    OnFailure onFailure = s.enumValue("on-failure", OnFailure.class, OnFailure.FAIL);
    return new AuditSettings(destination, path, maxBytes,
        maxFiles == null ? AuditSettings.DEFAULT_MAX_FILES : maxFiles,
        onFailure == OnFailure.FAIL);
  }

  /** What a statement does when its audit line cannot be written. */
  private enum OnFailure {
    /** The statement fails (fail closed). */
    FAIL,
    /** The statement runs; the failure is logged (fail open). */
    CONTINUE
  }

  private List<SourceSpec> readRoot(Object root) {
    if (root == null) {
      problems.add(0, "the catalog is empty; expected a top-level key 'sources'");
      return List.of();
    }
    if (!(root instanceof Map<?, ?> top)) {
      problems.add(doc.line(root), "expected a map with the top-level key 'sources', found "
          + kind(root));
      return List.of();
    }
    for (Object key : top.keySet()) {
      if (!TOP_LEVEL_KEYS.contains(key)) {
        problems.add(doc.line(top, key),
            "key " + quote(key) + ": unknown top-level key; allowed: "
            + String.join(", ", TOP_LEVEL_KEYS) + suggestion(key, TOP_LEVEL_KEYS));
      }
    }
    if (!top.containsKey(SOURCES)) {
      problems.add(0, "key 'sources': missing; the catalog must define at least one source");
      return List.of();
    }
    if (!(top.get(SOURCES) instanceof Map<?, ?> sources)) {
      problems.add(doc.line(top, SOURCES),
          "key 'sources': expected a map of source names to settings, found "
          + kind(top.get(SOURCES)));
      return List.of();
    }
    if (sources.isEmpty()) {
      problems.add(doc.line(top, SOURCES),
          "key 'sources': no sources; the catalog must define at least one");
      return List.of();
    }
    Map<String, String> seen = new HashMap<>();
    List<SourceSpec> specs = new ArrayList<>();
    for (Map.Entry<?, ?> e : sources.entrySet()) {
      SourceSpec spec = readSource(e.getKey(), e.getValue(), seen, doc.line(sources, e.getKey()));
      if (spec != null) {
        specs.add(spec);
      }
    }
    return specs;
  }

  /** Checks one source, recording its problems; returns null if it has any. */
  private SourceSpec readSource(Object rawName, Object body, Map<String, String> seen,
      int line) {
    int before = problems.size();
    String name = rawName == null ? "" : rawName.toString();
    if (!(rawName instanceof String) || !SOURCE_NAME.matcher(name).matches()) {
      problems.add(line, where(name, null) + ": invalid name; a source name must start with a"
          + " letter or underscore and contain only letters, digits and underscores,"
          + " because it becomes a SQL schema name");
    } else if (name.equalsIgnoreCase(SYSTEM_SCHEMA)) {
      problems.add(line, where(name, null) + ": the name '" + SYSTEM_SCHEMA + "' is reserved"
          + " for Junction's system schema; choose another name");
    } else {
      String previous = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      if (previous != null) {
        problems.add(line, where(name, null) + ": name conflicts with source '" + previous
            + "'; names that differ only by case would be the same SQL schema");
      }
    }
    if (!(body instanceof Map<?, ?> settings)) {
      problems.add(line, where(name, null) + ": expected a map of settings, found "
          + kind(body));
      return null;
    }
    SourceAdapter adapter = adapter(name, settings, line);
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

    Masker revealed = new Masker();
    Map<String, Object> values = new HashMap<>();
    List<String> include = List.of();
    List<String> exclude = List.of();
    Map<String, String> connectionProperties = Map.of();
    Duration metadataTtl = DEFAULT_METADATA_TTL;
    for (Map.Entry<?, ?> e : settings.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        problems.add(doc.line(settings, e.getKey()), where(name, null) + ": setting "
            + quote(e.getKey())
            + " is not a name; allowed: " + String.join(", ", allowed));
        continue;
      }
      int keyLine = doc.line(settings, key);
      Consumer<String> problem = m -> problems.add(keyLine, where(name, key) + ": " + m);
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
          Duration ttl = duration(value, problem, DURATION_ALLOWED);
          metadataTtl = ttl == null ? metadataTtl : ttl;
          break;
        case CACHE_TTL:
          Duration cacheTtl = duration(value, problem, DURATION_ALLOWED + " (0: never cache"
              + " results read from this source)");
          if (cacheTtl != null) {
            cacheTtls.put(name, cacheTtl);
          }
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
        problems.add(line, where(name, p.key()) + ": missing; this required key sets the "
            + p.description());
      } else if (p.defaultValue().isPresent()) {
        Object converted = convert(p, p.defaultValue().get(),
            m -> problems.add(line, where(name, p.key()) + ": the adapter's default value is"
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
    return validate(adapter, spec, revealed, line) ? spec : null;
  }

  private SourceAdapter adapter(String name, Map<?, ?> settings, int line) {
    if (!settings.containsKey(TYPE)) {
      problems.add(line, where(name, TYPE) + ": missing; expected one of: " + availableTypes);
      return null;
    }
    Object raw = settings.get(TYPE);
    if (!(raw instanceof String type) || type.isEmpty()) {
      problems.add(doc.line(settings, TYPE), where(name, TYPE) +
          ": expected one of: " + availableTypes + ", found "
          + kind(raw));
      return null;
    }
    SourceAdapter adapter = adapters.get(type);
    if (adapter == null) {
      problems.add(doc.line(settings, TYPE), where(name, TYPE) + ": unknown type "
          + quote(type) + "; available: "
          + availableTypes + suggestion(type, adapters.keySet()));
    }
    return adapter;
  }

  private boolean validate(SourceAdapter adapter, SourceSpec spec, Masker revealed,
      int line) {
    List<String> found;
    try {
      found = adapter.validate(spec);
    } catch (RuntimeException e) {
      problems.add(line, where(spec.name(), null) + ": the " + adapter.type()
          + " adapter failed while checking the settings (" + e.getClass().getName() + ")");
      return false;
    }
    for (String problem : found) {
      String masked = revealed.mask(problem);
      problems.add(line, where(spec.name(), null)
          + (masked.startsWith("key '") ? ", " : ": ") + masked);
    }
    return found.isEmpty();
  }

  /** Converts a value to its declared type, or reports why it cannot and returns null. */
  private Object convert(SourceProperty property, Object raw, Consumer<String> problem,
      Masker revealed) {
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
      case DURATION:
        Duration d = duration(raw, problem, type.allowed());
        if (d != null && d.isZero()) {
          problem.accept("expected " + type.allowed() + ", found " + quote(raw));
          return null;
        }
        return d;
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

  private static Duration duration(Object raw, Consumer<String> problem, String allowed) {
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
        problem.accept("expected " + allowed + ", found " + quote(s));
        return null;
      }
    }
    problem.accept("expected " + allowed + ", found "
        + (raw instanceof Number ? quote(raw) : kind(raw)));
    return null;
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private static boolean isScalar(Object o) {
    return Texts.isScalar(o);
  }

  private static String kind(Object o) {
    return Texts.kind(o);
  }

  private static String quote(Object o) {
    return Texts.quote(o);
  }

  private static String where(String source, String key) {
    return "source " + quote(source) + (key == null ? "" : ", key " + quote(key));
  }

  private static String subject(Path file) {
    return "Invalid catalog" + (file == null ? "" : " " + file);
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

  private static String suggestion(Object key, Collection<String> candidates) {
    return Texts.didYouMean(key, candidates);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    return Texts.distance(a, b);
  }
}
