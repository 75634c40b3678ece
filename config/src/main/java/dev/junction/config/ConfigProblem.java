package dev.junction.config;

/**
 * One problem in a configuration file: where it is and what is wrong. The message names the
 * key, the bad value (never a secret) and what is allowed.
 *
 * @param file the file, or null for text that was not read from a file
 * @param line the 1-based line, or 0 when the problem has no single place (a missing key)
 * @param message the problem, without its location
 */
public record ConfigProblem(String file, int line, String message) {
  /** The problem prefixed by its location, as a compiler would print it: {@code f:3: ...}. */
  public String located() {
    if (line <= 0) {
      return file == null ? message : file + ": " + message;
    }
    return (file == null ? "line " + line : file + ":" + line) + ": " + message;
  }

  @Override public String toString() {
    return located();
  }
}
