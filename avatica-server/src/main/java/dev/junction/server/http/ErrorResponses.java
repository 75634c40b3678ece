package dev.junction.server.http;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Avatica error responses that tell the client what went wrong and nothing about the
 * server's insides. Avatica's own handlers put the whole stack trace of every failure in
 * the response (its {@code exceptions} field) and, for an SQLException, lose the SQLState;
 * here the response carries the classified message, SQLState and error code, and a short
 * error id that the message quotes, under which the endpoint logs the trace.
 *
 * <ul>
 * <li>an {@link AvaticaRuntimeException} (limits, refusals) keeps its message, code and
 * SQLState;</li>
 * <li>an unknown connection keeps Avatica's "missing connection" code, on which the
 * client reconnects;</li>
 * <li>anything with an {@link SQLException} in its cause chain (what the Junction driver
 * throws, wrapped by JdbcMeta) gets that exception's message, SQLState and code;</li>
 * <li>anything else is an internal error: SQLState {@value #INTERNAL_SQLSTATE} and no
 * detail.</li>
 * </ul>
 */
final class ErrorResponses {
  /** The SQLState of an internal error (PostgreSQL's {@code internal_error}). */
  static final String INTERNAL_SQLSTATE = "XX000";
  /** The SQLState of a request the server cannot decode (a protocol violation). */
  static final String PROTOCOL_SQLSTATE = "08P01";
  /** The SQLState of an SQLException that has none. */
  static final String GENERAL_SQLSTATE = "HY000";
  private static final String NO_SUCH_CONNECTION_SQLSTATE = "08003";

  private ErrorResponses() {
  }

  /** A fresh error id: 8 hex digits, quoted in the response and written to the log. */
  static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /** The response for {@code e}, quoting {@code id}, without any stack trace. */
  static Service.ErrorResponse of(Exception e, String id,
      Service.RpcMetadataResponse metadata) {
    String quoted = " (error id " + id + ")";
    if (e instanceof AvaticaRuntimeException a) {
      return response(a.getErrorMessage() + quoted, a.getErrorCode(), a.getSqlState(),
          a.getSeverity(), metadata);
    }
    if (e instanceof NoSuchConnectionException) {
      return response(e.getMessage() + quoted,
          Service.ErrorResponse.MISSING_CONNECTION_ERROR_CODE, NO_SUCH_CONNECTION_SQLSTATE,
          AvaticaSeverity.ERROR, metadata);
    }
    SQLException sql = sqlException(e);
    if (sql != null) {
      String message = sql.getMessage() == null ? "SQL error" : sql.getMessage();
      String state = sql.getSQLState() == null ? GENERAL_SQLSTATE : sql.getSQLState();
      return response(message + quoted, sql.getErrorCode(), state, AvaticaSeverity.ERROR,
          metadata);
    }
    return response("internal error " + id + "; see the server log",
        Service.ErrorResponse.UNKNOWN_ERROR_CODE, INTERNAL_SQLSTATE, AvaticaSeverity.ERROR,
        metadata);
  }

  /** Whether {@code e} is an internal error, whose trace the log needs. */
  static boolean internal(Exception e) {
    return !(e instanceof AvaticaRuntimeException) && !(e instanceof NoSuchConnectionException);
  }

  /** The outermost SQLException in a cause chain, or null. */
  static SQLException sqlException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException s) {
        return s;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /** The stack trace, for the server log only. */
  static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static Service.ErrorResponse response(String message, int code, String sqlState,
      AvaticaSeverity severity, Service.RpcMetadataResponse metadata) {
    // An empty list, not null: the stock client requires a list of server traces.
    return new Service.ErrorResponse(List.of(), message, code, sqlState, severity, metadata);
  }
}
