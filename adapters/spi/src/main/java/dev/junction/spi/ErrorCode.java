package dev.junction.spi;

/**
 * What went wrong, with the SQLState reported to JDBC clients. One enum for the whole
 * product so errors are classified once and mapped at the JDBC boundary.
 */
public enum ErrorCode {
  /** The catalog file or a connection property is invalid. */
  CONFIG_INVALID("HY000"),
  /** A source could not be reached or refused the login. */
  SOURCE_UNAVAILABLE("08001"),
  /** A source rejected or failed a statement Junction sent it. */
  SOURCE_QUERY_FAILED("58000"),
  /** Text holds a character the SQL it must be written into cannot carry (NUL in a name). */
  INVALID_CHARACTER("22021"),
  /** A remote column has a type Junction cannot represent. */
  UNSUPPORTED_TYPE("0A000"),
  /** Planning exceeded its deadline. */
  PLANNING_TIMEOUT("57014"),
  /** The URL or a property value is malformed. */
  INVALID_URL("08001"),
  /** Something inside Junction failed; the message says what, never internals. */
  INTERNAL("XX000");

  private final String sqlState;

  ErrorCode(String sqlState) {
    this.sqlState = sqlState;
  }

  /** The five-character SQLState for this code. */
  public String sqlState() {
    return sqlState;
  }
}
