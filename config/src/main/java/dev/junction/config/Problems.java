package dev.junction.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found while reading one file, in the order found, so all of them
 * are reported at once instead of one per attempt.
 */
public final class Problems {
  private final String file;
  private final List<ConfigProblem> list = new ArrayList<>();

  /** @param file the file the problems are in, or null for text held in memory */
  public Problems(String file) {
    this.file = file;
  }

  /** Records a problem at a 1-based line (0 when it has no single place). */
  public void add(int line, String message) {
    list.add(new ConfigProblem(file, line, message));
  }

  /** Whether nothing was found wrong. */
  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** How many problems were found. */
  public int size() {
    return list.size();
  }

  /** The problems in the order found. */
  public List<ConfigProblem> list() {
    return List.copyOf(list);
  }

  /** The file the problems are in, or null. */
  public String file() {
    return file;
  }

  /**
   * The report a user reads: {@code subject: N problems} and one {@code - } line per
   * problem, without locations (see {@link ConfigProblem#located()} for those).
   */
  public static String render(String subject, List<ConfigProblem> problems) {
    int n = problems.size();
    StringBuilder b = new StringBuilder(subject).append(": ").append(n)
        .append(n == 1 ? " problem" : " problems");
    for (ConfigProblem p : problems) {
      b.append("\n  - ").append(p.message());
    }
    return b.toString();
  }

  /** Like {@link #render} but each problem is prefixed by its file and line. */
  public static String renderLocated(String subject, List<ConfigProblem> problems) {
    int n = problems.size();
    StringBuilder b = new StringBuilder(subject).append(": ").append(n)
        .append(n == 1 ? " problem" : " problems");
    for (ConfigProblem p : problems) {
      b.append("\n  - ").append(p.line() > 0 ? "line " + p.line() + ": " : "")
          .append(p.message());
    }
    return b.toString();
  }
}
