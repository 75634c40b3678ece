package dev.junction.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in configuration files: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 1h}.
 */
public final class Durations {
  /** What a duration may look like, for messages. */
  public static final String ALLOWED =
      "a duration such as 30s, 5m, 1h, 500ms or a whole number of seconds";
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  private Durations() {
  }

  /**
   * Parses a whole number with unit {@code ms}, {@code s}, {@code m} or {@code h}, or
   * without a unit a number of seconds. Nothing is trimmed and units are lower case.
   *
   * @throws IllegalArgumentException if the text is not such a duration
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected " + ALLOWED);
    }
    try {
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofSeconds(amount);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration is too long", e);
    }
  }
}
