package dev.junction.server;

import dev.junction.config.ConfigException;
import dev.junction.config.ConfigProblem;

import java.util.List;

/** A server settings file (or command line) with problems; the message lists them all. */
public final class ServerConfigException extends ConfigException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code where} names the file or "command line". */
  public ServerConfigException(String where, List<String> problems) {
    this(problems.stream().map(p -> new ConfigProblem(null, 0, p)).toList(), where);
  }

  /** Creates the exception from problems found in a settings file, with their lines. */
  public ServerConfigException(List<ConfigProblem> problems, String where) {
    super("Invalid server settings " + where, problems);
  }
}
