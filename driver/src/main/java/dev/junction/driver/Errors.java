package dev.junction.driver;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns failures into the SQLException a JDBC client should see: the right subclass and
 * SQLState, a message written for the user, and the cause chained for debugging.
 */
final class Errors {
  private Errors() {
  }

  /** Converts a Junction failure at the JDBC boundary. */
  static SQLException toSql(JunctionException e) {
    String state = e.code().sqlState();
    return switch (e.code()) {
      case SOURCE_UNAVAILABLE -> new SQLTransientConnectionException(e.getMessage(), state, e);
      case CONFIG_INVALID, INVALID_URL ->
          new SQLNonTransientConnectionException(e.getMessage(), state, e);
      case PLANNING_TIMEOUT -> new SQLTimeoutException(e.getMessage(), state, e);
      case UNSUPPORTED_TYPE -> new SQLSyntaxErrorException(e.getMessage(), state, e);
      default -> new SQLException(e.getMessage(), state, e);
    };
  }

  /** Finds a Junction failure anywhere in a cause chain. */
  static JunctionException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof JunctionException je) {
        return je;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /** An invalid URL or property. */
  static SQLException invalidUrl(String message) {
    return toSql(new JunctionException(ErrorCode.INVALID_URL, message));
  }
}
