package dev.junction.server;

import java.util.Objects;

/** A configured secret (password, shared key): its {@code toString()} never shows it. */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  /** Wraps a secret value. */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret itself; pass it on, never log it. */
  public String reveal() {
    return value;
  }

  @Override public String toString() {
    return "****";
  }
}
