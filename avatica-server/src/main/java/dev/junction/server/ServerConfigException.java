package dev.junction.server;

import java.util.List;

/** A server settings file (or command line) with problems; the message lists them all. */
public final class ServerConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  /** Creates the exception; {@code where} names the file or "command line". */
  public ServerConfigException(String where, List<String> problems) {
    super(message(where, problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, naming the key, the bad value (never a secret) and what is allowed. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String where, List<String> problems) {
    StringBuilder b = new StringBuilder("Invalid server settings ").append(where).append(": ")
        .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
    for (String p : problems) {
      b.append("\n  - ").append(p);
    }
    return b.toString();
  }
}
