package dev.junction.config;

import java.util.List;

/**
 * A configuration file with problems. The message lists them all; {@link #problems()} keeps
 * each one's line for tools that print locations ({@code junction check}).
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String subject;
  private final transient List<ConfigProblem> problems;

  /**
   * @param subject what was invalid, e.g. {@code Invalid server settings /etc/s.yaml}
   * @param problems at least one problem
   */
  public ConfigException(String subject, List<ConfigProblem> problems) {
    super(Problems.render(subject, problems));
    this.subject = subject;
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in the order found. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The message with each problem's line, for a user at a terminal. */
  public String locatedMessage() {
    return Problems.renderLocated(subject, problems);
  }
}
