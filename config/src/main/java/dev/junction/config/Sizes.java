package dev.junction.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in bytes as written in configuration files: {@code 512}, {@code 64KB},
 * {@code 10MB}, {@code 2GB}.
 */
public final class Sizes {
  /** What a size may look like, for messages. */
  public static final String ALLOWED =
      "a size such as 512B, 64KB, 10MB, 2GB (powers of 1024) or a whole number of bytes";
  private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KB|MB|GB|TB)?");

  private Sizes() {
  }

  /**
   * Parses a whole number of bytes with an optional unit {@code B}, {@code KB}, {@code MB},
   * {@code GB} or {@code TB} (binary multiples).
   *
   * @throws IllegalArgumentException if the text is not such a size or does not fit a long
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected " + ALLOWED);
    }
    int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KB" -> 10;
      case "MB" -> 20;
      case "GB" -> 30;
      case "TB" -> 40;
      default -> 0;
    };
    try {
      long amount = Long.parseLong(m.group(1));
      if (amount > (Long.MAX_VALUE >> shift)) {
        throw new IllegalArgumentException("size is too large");
      }
      return amount << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size is too large", e);
    }
  }
}
