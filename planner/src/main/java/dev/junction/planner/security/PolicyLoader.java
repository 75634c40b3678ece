package dev.junction.planner.security;

import java.nio.file.Path;

/** Placeholder until the loader lands. */
public final class PolicyLoader {
  private PolicyLoader() {
  }

  /** Loads a policy file. */
  public static Policy load(Path file) {
    throw new UnsupportedOperationException("policy loader not merged yet: " + file);
  }
}
