package dev.junction.config;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Remembers every secret a file revealed (written or yielded by a reference) and masks
 * them in text written by others, such as an adapter's own messages: a second line of
 * defence after never quoting a secret ourselves.
 */
public final class Masker {
  /** The mask shown in place of a secret. */
  public static final String MASK = "****";
  /** Shorter values are not masked: masking would garble ordinary words. */
  private static final int MIN_MASKED_LENGTH = 3;

  private final Set<String> revealed = new HashSet<>();

  /** Remembers a secret value. */
  public void add(String secret) {
    if (secret != null) {
      revealed.add(secret);
    }
  }

  /**
   * {@code text} with every remembered secret of 3 or more characters replaced by
   * {@value #MASK}.
   */
  public String mask(String text) {
    List<String> secrets = revealed.stream().filter(s -> s.length() >= MIN_MASKED_LENGTH)
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    String masked = text;
    for (String s : secrets) {
      masked = masked.replace(s, MASK);
    }
    return masked;
  }
}
