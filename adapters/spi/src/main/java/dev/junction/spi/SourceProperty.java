package dev.junction.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One setting a source type accepts in the catalog file: its key, type, whether it is
 * required, and a description used in error messages and documentation.
 *
 * @param key the key as written in YAML
 * @param type what values are allowed
 * @param required whether the key must be present
 * @param defaultValue the value used when absent, if any
 * @param description one line for humans
 */
public record SourceProperty(String key, Type type, boolean required,
    Optional<String> defaultValue, String description) {

  /** Value types a setting can have; each names what it allows in error messages. */
  public enum Type {
    /** Free text. */
    STRING("a string"),
    /** Text that may be a secret: shown only as {@code ****}. */
    SECRET("a string or ${env:NAME} / ${file:/path} reference"),
    /** A file system path or {@code :memory:}. */
    PATH("a file path"),
    /** A whole number. */
    INTEGER("an integer"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** A list of strings, or a single string. */
    LIST("a list of strings"),
    /** A map of string keys to scalar values. */
    MAP("a map of names to values"),
    /** A length of time above zero, read as a {@link java.time.Duration}. */
    DURATION("a duration above zero: a whole number with unit ms, s, m or h (500ms, 5s)");

    private final String allowed;

    Type(String allowed) {
      this.allowed = allowed;
    }

    /** What values of this type look like, for error messages. */
    public String allowed() {
      return allowed;
    }
  }

  /** Validates the components. */
  public SourceProperty {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(description, "description");
  }

  /** A required setting. */
  public static SourceProperty required(String key, Type type, String description) {
    return new SourceProperty(key, type, true, Optional.empty(), description);
  }

  /** An optional setting with no default. */
  public static SourceProperty optional(String key, Type type, String description) {
    return new SourceProperty(key, type, false, Optional.empty(), description);
  }

  /** An optional setting with a default. */
  public static SourceProperty optional(String key, Type type, String defaultValue,
      String description) {
    return new SourceProperty(key, type, false, Optional.of(defaultValue), description);
  }
}
