package dev.junction.adapters.jdbc;

import dev.junction.spi.ErrorCode;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a source driver's {@link SQLException} for the user: which {@link ErrorCode} it
 * is, and the driver's own message with its SQLState and vendor code, without the
 * connection pool's wrapper (HikariCP's pool name and counters say nothing to a user).
 * Redacting secrets is the source's job ({@link JdbcSource#redact}); this class only
 * shapes text.
 */
final class SourceErrors {
  /** HikariCP's {@code (total=1, active=0, idle=1, waiting=0)}. */
  private static final Pattern POOL_COUNTERS =
      Pattern.compile("\\s*\\((?:total|active|idle|waiting)=[^)]*\\)");
  /** MariaDB's {@code (conn=38) } prefix. */
  private static final Pattern CONNECTION_ID = Pattern.compile("^\\(conn=\\d+\\)\\s*");
  /** HikariCP's {@code junction-sales - } prefix. */
  private static final Pattern POOL_NAME = Pattern.compile("^\\S+ - ");
  private static final String POOL_TIMEOUT = "Connection is not available, request timed out";
  /**
   * PostgreSQL's SQLStates for a server that ends the session: shut down by the
   * administrator ({@code 57P01}, a stop or restart), crashed ({@code 57P02}), or not
   * accepting connections yet ({@code 57P03}, starting up). The connection is gone, as
   * with class {@code 08}, and a retry can succeed once the server is back.
   */
  private static final java.util.Set<String> SERVER_GOING_AWAY =
      java.util.Set.of("57P01", "57P02", "57P03");

  /**
   * snowflake-jdbc's vendor codes for a login that cannot succeed as configured, whatever
   * their SQLState (08001, or 42601 for a key): wrong user or password (390100), a key
   * Snowflake does not accept (390144, JWT invalid), a key file the passphrase does not
   * open (200045).
   */
  private static final java.util.Set<Integer> SNOWFLAKE_LOGIN_REJECTED =
      java.util.Set.of(390_100, 390_144, 200_045);
  /** snowflake-jdbc's "the requested database does not exist or not authorized". */
  private static final int SNOWFLAKE_NO_DATABASE = 390_201;

  private SourceErrors() {
  }

  /**
   * The error the database driver reported: the deepest {@link SQLException} in the
   * chain, under whatever the pool wrapped around it.
   */
  static SQLException driverError(SQLException e) {
    SQLException found = e;
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof SQLException s) {
        found = s;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return found;
  }

  /**
   * The driver's message, followed by the root cause's when it adds something (a
   * refused socket), and by the SQLState and vendor code; pool wrappers removed.
   */
  static String describe(SQLException e) {
    SQLException d = driverError(e);
    String text = d.getMessage() == null ? "" : d.getMessage().strip();
    if (text.contains(POOL_TIMEOUT)) {
      text = "no connection became available in time (the database did not answer, or"
          + " all of the source's pooled connections stayed busy)";
    }
    Throwable root = d;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != d && root.getMessage() != null && !text.contains(root.getMessage())) {
      text = text.isEmpty() ? root.getMessage() : text + " (" + root.getMessage() + ")";
    }
    text = POOL_NAME.matcher(POOL_COUNTERS.matcher(text).replaceAll("")).replaceFirst("");
    text = CONNECTION_ID.matcher(text).replaceFirst("");
    StringBuilder b = new StringBuilder(text.isEmpty() ? "no message" : text);
    String state = d.getSQLState();
    if (state != null || d.getErrorCode() != 0) {
      b.append(" [");
      if (state != null) {
        b.append("SQLState ").append(state);
      }
      if (d.getErrorCode() != 0) {
        b.append(state != null ? ", " : "").append("vendor code ").append(d.getErrorCode());
      }
      b.append(']');
    }
    return b.toString();
  }

  /** Why opening a connection to a source failed, as far as the driver's error tells. */
  enum ConnectFailure {
    /** Nothing listens at the address: the port is closed or the database is down. */
    REFUSED(ErrorCode.SOURCE_UNAVAILABLE),
    /** Nothing answered within the connect timeout: a wrong or unreachable address. */
    NO_ANSWER(ErrorCode.SOURCE_UNAVAILABLE),
    /** The host name does not resolve. */
    UNKNOWN_HOST(ErrorCode.SOURCE_UNAVAILABLE),
    /** Something answered, but not in the database's protocol (a proxy, another service). */
    NOT_THE_DATABASE(ErrorCode.SOURCE_UNAVAILABLE),
    /** The TLS handshake failed. */
    TLS(ErrorCode.SOURCE_UNAVAILABLE),
    /** The database refused the user or the password. */
    LOGIN_REJECTED(ErrorCode.SOURCE_LOGIN_REJECTED),
    /** The database named in the URL does not exist. */
    NO_DATABASE(ErrorCode.SOURCE_LOGIN_REJECTED),
    /** Anything else. */
    OTHER(ErrorCode.SOURCE_UNAVAILABLE);

    private final ErrorCode code;

    ConnectFailure(ErrorCode code) {
      this.code = code;
    }

    /** The error code a failure of this kind is reported with. */
    ErrorCode code() {
      return code;
    }
  }

  /**
   * Reads a failed connection attempt: the network exception under the driver's (a
   * refused or timed-out socket, an unknown host, a TLS failure), else the SQLState and
   * vendor code of the database's answer (class 28 and MySQL's 1044/1045/1698 are a
   * refused login; PostgreSQL's 3D000 and MySQL's 1049 a missing database; 08P01 an
   * answer that is not the database's protocol).
   */
  static ConnectFailure classifyConnectFailure(SQLException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.net.UnknownHostException) {
        return ConnectFailure.UNKNOWN_HOST;
      }
      if (c instanceof java.net.ConnectException) {
        return ConnectFailure.REFUSED;
      }
      if (c instanceof java.net.SocketTimeoutException || c instanceof SQLTimeoutException
          || c instanceof java.net.NoRouteToHostException) {
        return ConnectFailure.NO_ANSWER;
      }
      if (c instanceof javax.net.ssl.SSLException) {
        return ConnectFailure.TLS;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    SQLException d = driverError(e);
    String state = d.getSQLState() == null ? "" : d.getSQLState().toUpperCase(Locale.ROOT);
    String message = String.valueOf(d.getMessage()).toLowerCase(Locale.ROOT);
    int vendor = d.getErrorCode();
    if (state.startsWith("28") || vendor == 1044 || vendor == 1045 || vendor == 1698
        || SNOWFLAKE_LOGIN_REJECTED.contains(vendor)) {
      return ConnectFailure.LOGIN_REJECTED;
    }
    if (state.equals("3D000") || vendor == 1049 || vendor == SNOWFLAKE_NO_DATABASE) {
      return ConnectFailure.NO_DATABASE;
    }
    if (message.contains("timed out") && !message.contains(POOL_TIMEOUT.toLowerCase(Locale.ROOT))) {
      return ConnectFailure.NO_ANSWER;
    }
    if (state.equals("08P01")) {
      return ConnectFailure.NOT_THE_DATABASE;
    }
    return ConnectFailure.OTHER;
  }

  /** What a driver error raised while a statement ran in the source means. */
  static ErrorCode classifyQueryFailure(SQLException e) {
    SQLException d = driverError(e);
    String state = d.getSQLState() == null ? "" : d.getSQLState().toUpperCase(Locale.ROOT);
    if (d instanceof SQLTimeoutException || e instanceof SQLTimeoutException
        || state.equals("57014") || state.equals("70100")) {
      return ErrorCode.QUERY_CANCELLED;
    }
    if (state.startsWith("08") || SERVER_GOING_AWAY.contains(state)
        || d instanceof SQLNonTransientConnectionException
        || d instanceof SQLTransientConnectionException) {
      return ErrorCode.SOURCE_CONNECTION_LOST;
    }
    return switch (state) {
      case "22012" -> ErrorCode.DIVISION_BY_ZERO;
      case "22003" -> ErrorCode.NUMERIC_OUT_OF_RANGE;
      case "22018", "22P02", "22007", "22008" -> ErrorCode.INVALID_CAST;
      default -> state.startsWith("22") ? ErrorCode.DATA_EXCEPTION
          : ErrorCode.SOURCE_QUERY_FAILED;
    };
  }

  /** What the source did, for each code of a query failure; follows the source's name. */
  static String verb(ErrorCode code) {
    return switch (code) {
      case QUERY_CANCELLED -> "cancelled the query";
      case SOURCE_CONNECTION_LOST -> "lost its connection while running the query";
      case DIVISION_BY_ZERO, NUMERIC_OUT_OF_RANGE, INVALID_CAST, DATA_EXCEPTION ->
          "could not compute the query on its data";
      default -> "failed the query";
    };
  }

  /** What to do, for each code of a query failure; follows the driver's message. */
  static String advice(ErrorCode code) {
    return switch (code) {
      case QUERY_CANCELLED -> "";
      case SOURCE_CONNECTION_LOST -> ". Retry; if it persists, check the database";
      case DIVISION_BY_ZERO, NUMERIC_OUT_OF_RANGE, INVALID_CAST, DATA_EXCEPTION ->
          ". Check the values and the CASTs in the query";
      default -> ". EXPLAIN PLAN FOR the query shows the SQL Junction sent to the source";
    };
  }
}
