package dev.junction.config;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A typed view of one map in a settings file (the server settings, the policy file). Each
 * reader converts the written text by its declared type, records a problem naming the key
 * path, the bad value (never a secret) and what is allowed, and returns null or the default
 * so reading goes on and every problem is found in one pass.
 *
 * <pre>
 * Context ctx = new Context(doc, problems, baseDir, System::getenv);
 * Settings top = Settings.root(ctx, "(top level)");
 * top.known("listen", "log-format");
 * Settings listen = top.section("listen");
 * Integer port = listen == null ? null : listen.integer("port", 0, 65535);
 * </pre>
 */
public final class Settings {
  /** What a settings file shares across its sections. */
  public static final class Context {
    private final YamlDocument doc;
    private final Problems problems;
    private final Path baseDir;
    private final References references;
    private final Masker masker = new Masker();

    /**
     * @param baseDir the directory relative paths and {@code ${file:}} references resolve
     *     against
     * @param env looks up {@code ${env:NAME}}; returns null for an unset variable
     */
    public Context(YamlDocument doc, Problems problems, Path baseDir,
        Function<String, String> env) {
      this.doc = doc;
      this.problems = problems;
      this.baseDir = baseDir == null ? Path.of("").toAbsolutePath() : baseDir;
      this.references = new References(env, this.baseDir);
    }

    /** Every secret read so far, for masking text written by others. */
    public Masker masker() {
      return masker;
    }

    /** Where problems are collected. */
    public Problems problems() {
      return problems;
    }
  }

  private final Context ctx;
  private final Map<?, ?> map;
  private final String path;
  private final int line;

  private Settings(Context ctx, Map<?, ?> map, String path, int line) {
    this.ctx = ctx;
    this.map = map;
    this.path = path;
    this.line = line;
  }

  /**
   * The document's top-level map; an empty document is an empty map. Null, after recording
   * a problem under {@code name}, when the top level is not a map.
   */
  public static Settings root(Context ctx, String name) {
    Object root = ctx.doc == null ? null : ctx.doc.root();
    if (root == null) {
      return new Settings(ctx, Map.of(), "", 0);
    }
    if (!(root instanceof Map<?, ?> m)) {
      ctx.problems.add(1, "key '" + name + "': must be a mapping (key: value), not "
          + show(root));
      return null;
    }
    return new Settings(ctx, m, "", ctx.doc.line(m));
  }

  /** The dotted path of {@code key} under this map, as messages name it. */
  public String path(String key) {
    if (key == null) {
      return path;
    }
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The line of {@code key} in this map (or of the map itself when absent or null). */
  public int line(String key) {
    return key == null ? line : ctx.doc == null ? 0 : ctx.doc.line(map, key);
  }

  /** Records a problem about {@code key} (null: this map itself). */
  public void problem(String key, String message) {
    ctx.problems.add(line(key), "key '" + path(key) + "': " + message);
  }

  /** Whether the key is written with a value. */
  public boolean has(String key) {
    return map.get(key) != null;
  }

  /** The written keys, in file order. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    map.keySet().forEach(k -> keys.add(String.valueOf(k)));
    return keys;
  }

  /** Reports every key not in {@code allowed}, with the closest allowed key as a hint. */
  public void known(String... allowed) {
    List<String> list = List.of(allowed);
    for (Object k : map.keySet()) {
      if (!list.contains(String.valueOf(k))) {
        ctx.problems.add(ctx.doc.line(map, k), "key '" + path(String.valueOf(k))
            + "': unknown key; allowed: " + String.join(", ", list)
            + Texts.didYouMean(k, list));
      }
    }
  }

  /** The map under {@code key}, or null when absent or not a map (then a problem). */
  public Settings section(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      return new Settings(ctx, m, path(key), line(key));
    }
    problem(key, "must be a mapping (key: value), not " + show(v));
    return null;
  }

  /** A non-empty string with references expanded; null when absent (a problem if required). */
  public String string(String key, boolean required) {
    Object v = map.get(key);
    if (v == null) {
      if (required) {
        problem(key, "missing; it is required");
      }
      return null;
    }
    if (!Texts.isScalar(v)) {
      problem(key, "must be a string, not " + show(v));
      return null;
    }
    String s = v.toString().trim();
    if (s.isEmpty()) {
      problem(key, "empty; give a value");
      return null;
    }
    return expand(key, s, false);
  }

  /**
   * A secret: a non-empty string, usually a {@code ${env:}} or {@code ${file:}} reference.
   * Its value is never quoted and is remembered by the {@link Context#masker()}.
   */
  public String secret(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty()) {
      problem(key, "must be a non-empty string (value not shown: it is a secret)");
      return null;
    }
    ctx.masker.add(s);
    String value = expand(key, s, true);
    ctx.masker.add(value);
    return value;
  }

  /** A readable file, resolved against the base directory and normalised. */
  public Path file(String key) {
    Path p = resolvedPath(key, false);
    if (p == null) {
      return null;
    }
    if (!Files.isReadable(p) || Files.isDirectory(p)) {
      problem(key, "file " + p + " does not exist or is not readable");
      return null;
    }
    return p;
  }

  /**
   * A file to write, resolved against the base directory and normalised; its directory
   * must exist (the file need not). Null when absent (a problem if required).
   */
  public Path outputFile(String key, boolean required) {
    Path p = resolvedPath(key, required);
    if (p == null) {
      return null;
    }
    Path dir = p.toAbsolutePath().getParent();
    if (Files.isDirectory(p) || dir == null || !Files.isDirectory(dir)) {
      problem(key, "cannot write " + p + ": it is a directory or its directory does not"
          + " exist");
      return null;
    }
    return p;
  }

  /** The key's text as a path against the base directory; null (with a problem) if none. */
  private Path resolvedPath(String key, boolean required) {
    String s = string(key, required);
    if (s == null) {
      return null;
    }
    try {
      return ctx.baseDir.resolve(s).normalize();
    } catch (InvalidPathException e) {
      problem(key, Texts.quote(s) + " is not a valid path");
      return null;
    }
  }

  /** A whole number in {@code [min, max]}. */
  public Integer integer(String key, int min, int max) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    Long l = v instanceof Integer || v instanceof Long ? Long.valueOf(((Number) v).longValue())
        : v instanceof String s && s.matches("[-+]?\\d{1,18}") ? Long.valueOf(s) : null;
    if (l != null && l >= min && l <= max) {
      return l.intValue();
    }
    problem(key, shown(v) + " is not allowed; allowed: a whole number from " + min + " to "
        + max);
    return null;
  }

  /** {@code true} or {@code false} (any case); not YAML 1.1's yes, no, on, off. */
  public boolean bool(String key, boolean dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    problem(key, shown(v) + " is not allowed; allowed: true, false");
    return dflt;
  }

  /** A duration ({@link Durations}). */
  public Duration duration(String key, Duration dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      if (v instanceof Integer || v instanceof Long) {
        long seconds = ((Number) v).longValue();
        if (seconds >= 0) {
          return Duration.ofSeconds(seconds);
        }
      }
      if (v instanceof String s) {
        return Durations.parse(s);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    problem(key, shown(v) + " is not a duration; allowed: " + Durations.ALLOWED);
    return dflt;
  }

  /** A size in bytes ({@link Sizes}). */
  public long size(String key, long dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0) {
        return ((Number) v).longValue();
      }
      if (v instanceof String s) {
        return Sizes.parse(s);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    problem(key, shown(v) + " is not a size; allowed: " + Sizes.ALLOWED);
    return dflt;
  }

  /** One of an enum's constants, written in any case. */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    List<String> allowed = new ArrayList<>();
    for (E c : type.getEnumConstants()) {
      allowed.add(c.name().toLowerCase(Locale.ROOT));
      if (v instanceof String s && c.name().equalsIgnoreCase(s.trim())) {
        return c;
      }
    }
    problem(key, shown(v) + " is not allowed; allowed: " + String.join(", ", allowed)
        + Texts.didYouMean(v, allowed));
    return dflt;
  }

  /** A list of strings; a single string is a list of one. References are not expanded. */
  public List<String> strings(String key, List<String> dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof List<?> l && l.stream().allMatch(Texts::isScalar)) {
      List<String> out = new ArrayList<>();
      l.forEach(x -> out.add(x.toString()));
      return out;
    }
    problem(key, "must be a list of strings, not " + show(v));
    return dflt;
  }

  /** A map of names to strings (values not shown in problems: they may be passwords). */
  public Map<String, String> stringMap(String key, String what) {
    Settings s = section(key);
    if (s == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : s.map.entrySet()) {
      if (e.getValue() instanceof String v) {
        out.put(String.valueOf(e.getKey()), v);
      } else {
        s.problem(String.valueOf(e.getKey()), "must be " + what);
      }
    }
    return out;
  }

  private String expand(String key, String text, boolean secret) {
    return ctx.references.expand(text, secret, p -> problem(key, p), v -> {
      if (secret) {
        ctx.masker.add(v);
      }
    });
  }

  /** A value for a message: quoted when it is one value, its kind otherwise. */
  private static String shown(Object v) {
    return v instanceof BigInteger ? "a number that is too large"
        : Texts.isScalar(v) ? Texts.quote(v) : Texts.kind(v);
  }

  private static String show(Object v) {
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return Texts.quote(v);
  }
}
