package dev.junction.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated settings of one source from the catalog file: its name, its type's
 * settings with secrets resolved, and the settings every source shares.
 *
 * <p>Values are already checked against the adapter's {@link SourceProperty} list, so
 * accessors only convert. {@link #toString()} never prints a secret.
 *
 * @param name the source name, which becomes the top-level schema
 * @param type the adapter type
 * @param values the type-specific settings: String, {@link Secret}, Long, Boolean,
 *     {@link Duration}, {@code List<String>} or {@code Map<String, String>} values
 * @param include patterns of remote schemas or {@code schema.table} names to expose;
 *     empty means everything that is not a system schema
 * @param exclude patterns of remote schemas or {@code schema.table} names to hide
 * @param connectionProperties properties passed through to the vendor driver
 * @param metadataTtl how long remote metadata (tables, columns, row counts) is cached
 */
public record SourceSpec(String name, String type, Map<String, Object> values,
    List<String> include, List<String> exclude, Map<String, String> connectionProperties,
    Duration metadataTtl) {

  /** Copies the collections so the spec is immutable. */
  public SourceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    values = Map.copyOf(values);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    connectionProperties = Map.copyOf(connectionProperties);
    Objects.requireNonNull(metadataTtl, "metadataTtl");
  }

  /** A string setting, if present. */
  public Optional<String> string(String key) {
    return Optional.ofNullable(values.get(key)).map(Object::toString);
  }

  /** A string setting that the adapter declared required. */
  public String requiredString(String key) {
    return string(key).orElseThrow(() ->
        new IllegalStateException("source '" + name + "': missing '" + key + "'"));
  }

  /** A secret setting, if present. */
  public Optional<Secret> secret(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    return Optional.of(v instanceof Secret ? (Secret) v : Secret.of(v.toString()));
  }

  /** A boolean setting, or the given default. */
  public boolean bool(String key, boolean defaultValue) {
    Object v = values.get(key);
    return v == null ? defaultValue : (Boolean) v;
  }

  /** A duration setting, or the given default. */
  public Duration duration(String key, Duration defaultValue) {
    Object v = values.get(key);
    return v == null ? defaultValue : (Duration) v;
  }

  /** A list setting, empty if absent. */
  @SuppressWarnings("unchecked")
  public List<String> list(String key) {
    Object v = values.get(key);
    return v == null ? List.of() : (List<String>) v;
  }

  /** Names the source, its type and which settings are present, never their values. */
  @Override public String toString() {
    return "SourceSpec{name=" + name + ", type=" + type + ", keys="
        + new java.util.TreeSet<>(values.keySet()) + "}";
  }
}
