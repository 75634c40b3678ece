package dev.junction.planner.security;

import dev.junction.config.ConfigProblem;
import dev.junction.config.Problems;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import java.util.List;

/**
 * A policy file with problems: a {@link JunctionException} with
 * {@link ErrorCode#CONFIG_INVALID} whose message lists every problem, and whose
 * {@link #problems()} keep each one's line for {@code junction check}.
 */
public final class InvalidPolicyException extends JunctionException {
  private static final long serialVersionUID = 1L;
  private final String subject;
  private final transient List<ConfigProblem> problems;

  InvalidPolicyException(String subject, List<ConfigProblem> problems) {
    super(ErrorCode.CONFIG_INVALID, Problems.render(subject, problems));
    this.subject = subject;
    this.problems = List.copyOf(problems);
  }

  InvalidPolicyException(String subject, List<ConfigProblem> problems, Throwable cause) {
    super(ErrorCode.CONFIG_INVALID, Problems.render(subject, problems), cause);
    this.subject = subject;
    this.problems = List.copyOf(problems);
  }

  /** Every problem in the order found, each with its line (0 when it has none). */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The message with each problem's line, for a user at a terminal. */
  public String locatedMessage() {
    return Problems.renderLocated(subject, problems);
  }
}
