package dev.junction.spi;

/**
 * What went wrong, with the SQLState reported to JDBC clients. One enum for the whole
 * product so errors are classified once and mapped at the JDBC boundary; the README's
 * error table lists every code with what it means and what to do.
 *
 * <p>SQLStates follow PostgreSQL's where one exists, so tools that already know them
 * (retry on class 08 and 57, report class 42 as the user's mistake) behave.
 */
public enum ErrorCode {
  /** The catalog file or a connection property is invalid. */
  CONFIG_INVALID("HY000"),
  /** Text holds a character the SQL it must be written into cannot carry (NUL in a name). */
  INVALID_CHARACTER("22021"),
  /** The URL or a property value is malformed. */
  INVALID_URL("08001"),
  /**
   * A source could not be reached: nothing listens at its address, nothing answered
   * within its connect timeout, its host is unknown, something else answered there, or its
   * file cannot be opened.
   */
  SOURCE_UNAVAILABLE("08001"),
  /**
   * A source answered but refused the login (unknown user, wrong password, no such
   * database): retrying cannot help until the catalog or the database changes.
   */
  SOURCE_LOGIN_REJECTED("08004"),
  /** A source's connection broke while a statement was running in it. */
  SOURCE_CONNECTION_LOST("08006"),
  /**
   * A source rejected or failed a statement Junction sent it; the message carries the
   * source's own SQLState and vendor code.
   */
  SOURCE_QUERY_FAILED("58000"),
  /** The SQL text does not parse. */
  SYNTAX_ERROR("42601"),
  /** A table, schema or source named in the query does not exist. */
  UNDEFINED_TABLE("42P01"),
  /** A column named in the query does not exist. */
  UNDEFINED_COLUMN("42703"),
  /** A column name matches columns of more than one table. */
  AMBIGUOUS_COLUMN("42702"),
  /** No function matches the name and argument types. */
  UNDEFINED_FUNCTION("42883"),
  /** An operator or assignment is applied to values of incompatible types. */
  DATATYPE_MISMATCH("42804"),
  /** A selected expression is neither grouped nor aggregated. */
  GROUPING_ERROR("42803"),
  /** The query is invalid in another way; the message says how. */
  INVALID_SQL("42000"),
  /** The statement would write (INSERT, UPDATE, DELETE, MERGE, DDL): Junction only reads. */
  READ_ONLY("42501"),
  /** The statement uses something Junction does not support. */
  FEATURE_NOT_SUPPORTED("0A000"),
  /** A remote column has a type Junction cannot represent. */
  UNSUPPORTED_TYPE("0A000"),
  /** A value could not be converted to the requested type (a failed CAST). */
  INVALID_CAST("22018"),
  /** Division by zero. */
  DIVISION_BY_ZERO("22012"),
  /** A numeric value does not fit its type. */
  NUMERIC_OUT_OF_RANGE("22003"),
  /** Another error in the data a query computed on. */
  DATA_EXCEPTION("22000"),
  /** A prepared statement ran with a parameter that was never set. */
  PARAMETER_NOT_SET("07001"),
  /** A statement, result set or connection was used after it closed, or out of order. */
  INVALID_STATE("HY010"),
  /** Planning exceeded its deadline. */
  PLANNING_TIMEOUT("57014"),
  /** The statement ran longer than its {@code setQueryTimeout}. */
  QUERY_TIMEOUT("57014"),
  /** The statement was cancelled ({@code Statement.cancel()}, or the source cancelled it). */
  QUERY_CANCELLED("57014"),
  /** A query has more rows than its {@code max-rows} limit allows. */
  LIMIT_MAX_ROWS("54000"),
  /** A query read more rows from its sources than its {@code max-rows-fetched} allows. */
  LIMIT_ROWS_FETCHED("54J01"),
  /**
   * A statement would scan more bytes in a source (a BigQuery dry run's estimate) than the
   * caller's {@code max-bytes-scanned} or what is left of {@code max-bytes-scanned-per-day}.
   */
  LIMIT_BYTES_SCANNED("54J02"),
  /** The caller already runs {@code max-concurrent-queries} queries (refused, or waited). */
  LIMIT_CONCURRENT_QUERIES("53300"),
  /** A query's local operators would hold more than its memory budget. */
  LIMIT_MEMORY("53200"),
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
