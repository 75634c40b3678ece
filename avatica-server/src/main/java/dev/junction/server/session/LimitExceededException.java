package dev.junction.server.session;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * A per-user bound was reached. It reaches the client as an SQLException with SQLState
 * 53300 ({@code too_many_connections} in PostgreSQL's vocabulary) and this message.
 */
public final class LimitExceededException extends AvaticaRuntimeException {
  private static final long serialVersionUID = 1L;
  /** The SQLState sent to clients. */
  public static final String SQLSTATE = "53300";

  LimitExceededException(String message) {
    super(message, 0, SQLSTATE, AvaticaSeverity.ERROR);
  }

  /** Avatica keeps the text apart from Throwable's message; give it to both. */
  @Override public String getMessage() {
    return getErrorMessage();
  }
}
