package dev.junction.spi;

import java.util.Objects;

/**
 * A resolved secret value (a password, a token). Its {@link #toString()} never shows the
 * value, so a secret that reaches a log line or an exception message stays hidden.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** Wraps a resolved secret value. */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret itself; pass it only to the vendor driver. */
  public String reveal() {
    return value;
  }

  @Override public String toString() {
    return "****";
  }

  @Override public boolean equals(Object o) {
    return o instanceof Secret && ((Secret) o).value.equals(value);
  }

  @Override public int hashCode() {
    return value.hashCode();
  }
}
