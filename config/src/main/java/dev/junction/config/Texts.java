package dev.junction.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** How configuration values appear in messages: quoted and shortened, or only their kind. */
public final class Texts {
  private static final int MAX_QUOTED_LENGTH = 40;
  private static final int MAX_SUGGESTION_DISTANCE = 2;

  private Texts() {
  }

  /** What kind of YAML value {@code o} is, without showing it. */
  public static String kind(Object o) {
    if (o == null) {
      return "an empty value";
    } else if (o instanceof Map) {
      return "a map";
    } else if (o instanceof List) {
      return "a list";
    } else if (o instanceof Set) {
      return "a set";
    } else if (o instanceof String) {
      return "a string";
    } else if (o instanceof Number) {
      return "a number";
    } else if (o instanceof Boolean) {
      return "a boolean";
    } else if (o instanceof byte[]) {
      return "binary data";
    }
    return "a value of type " + o.getClass().getSimpleName();
  }

  /** Quotes a non-secret value for a message, shortened so a message stays one line. */
  public static String quote(Object o) {
    String s = String.valueOf(o).replace('\n', ' ').replace('\r', ' ');
    if (s.length() > MAX_QUOTED_LENGTH) {
      s = s.substring(0, MAX_QUOTED_LENGTH) + "...";
    }
    return "'" + s + "'";
  }

  /** Whether {@code o} is a single value rather than a map or a list. */
  public static boolean isScalar(Object o) {
    return o instanceof String || o instanceof Number || o instanceof Boolean;
  }

  /** Text on one line: inner line breaks and their indentation become one space. */
  public static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * {@code " (did you mean 'x'?)"} for the candidate closest to {@code key} within a small
   * edit distance, ignoring case; empty when none is close.
   */
  public static String didYouMean(Object key, Collection<String> candidates) {
    return closest(key, candidates).map(best -> " (did you mean '" + best + "'?)").orElse("");
  }

  /**
   * The candidate closest to {@code key} within a small edit distance, ignoring case (the
   * first of equally close ones); empty when none is close or {@code key} is no string.
   */
  public static java.util.Optional<String> closest(Object key, Collection<String> candidates) {
    if (!(key instanceof String s)) {
      return java.util.Optional.empty();
    }
    String best = null;
    int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
    for (String c : candidates) {
      int d = distance(s.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return java.util.Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
