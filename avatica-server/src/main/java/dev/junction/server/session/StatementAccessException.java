package dev.junction.server.session;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * A request named a statement that its connection did not create. The endpoint answers
 * 403 and audits it; the message says nothing about the statement or its owner.
 */
public final class StatementAccessException extends AvaticaRuntimeException {
  private static final long serialVersionUID = 1L;
  /** The SQLState sent to clients (insufficient privilege). */
  public static final String SQLSTATE = "42501";

  private final transient String connectionId;
  private final int statementId;

  StatementAccessException(String connectionId, int statementId) {
    super("Access denied: statement " + statementId + " is not open on this connection", 0,
        SQLSTATE, AvaticaSeverity.ERROR);
    this.connectionId = connectionId;
    this.statementId = statementId;
  }

  /** The connection the request came on. */
  public String connectionId() {
    return connectionId;
  }

  /** The statement it named. */
  public int statementId() {
    return statementId;
  }

  /** Avatica keeps the text apart from Throwable's message; give it to both. */
  @Override public String getMessage() {
    return getErrorMessage();
  }
}
