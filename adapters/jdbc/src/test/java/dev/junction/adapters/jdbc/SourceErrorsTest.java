package dev.junction.adapters.jdbc;

import dev.junction.spi.ErrorCode;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** How a source driver's errors read to a user, and what they are classified as. */
class SourceErrorsTest {
  /** What HikariCP throws when the database refuses every connection attempt. */
  private static SQLException poolTimeout() {
    SQLException driver = new SQLException("Connection to 127.0.0.1:1 refused.", "08001",
        new ConnectException("Connection refused"));
    return new SQLTransientConnectionException("junction-down - Connection is not available,"
        + " request timed out after 10004ms (total=0, active=0, idle=0, waiting=0)", "08001",
        driver);
  }

  @Test
  void poolWrapperAndCountersGiveWayToTheDriversMessage() {
    String text = SourceErrors.describe(poolTimeout());
    assertEquals("Connection to 127.0.0.1:1 refused. (Connection refused) [SQLState 08001]",
        text);
  }

  @Test
  void anExhaustedPoolSaysSoWithoutCounters() {
    String text = SourceErrors.describe(new SQLTransientConnectionException(
        "junction-sales - Connection is not available, request timed out after 10000ms"
            + " (total=8, active=8, idle=0, waiting=2)"));
    assertFalse(text.contains("total="), text);
    assertFalse(text.contains("junction-sales"), text);
    assertEquals("no connection became available in time (the database did not answer, or"
        + " all of the source's pooled connections stayed busy)", text);
  }

  @Test
  void vendorCodeAndStateAreKeptAndConnectionIdDropped() {
    assertEquals("Table 'db.gone' doesn't exist [SQLState 42S02, vendor code 1146]",
        SourceErrors.describe(new SQLException("(conn=38) Table 'db.gone' doesn't exist",
            "42S02", 1146)));
  }

  @Test
  void queryFailuresAreClassifiedByState() {
    assertEquals(ErrorCode.QUERY_CANCELLED, SourceErrors.classifyQueryFailure(
        new SQLException("ERROR: canceling statement due to user request", "57014")));
    assertEquals(ErrorCode.QUERY_CANCELLED, SourceErrors.classifyQueryFailure(
        new SQLTimeoutException("Query execution was interrupted", "70100", 1969)));
    assertEquals(ErrorCode.SOURCE_CONNECTION_LOST, SourceErrors.classifyQueryFailure(
        new SQLException("An I/O error occurred while sending to the backend.", "08006")));
    assertEquals(ErrorCode.SOURCE_CONNECTION_LOST, SourceErrors.classifyQueryFailure(
        new SQLNonTransientConnectionException("socket closed")));
    assertEquals(ErrorCode.INVALID_CAST, SourceErrors.classifyQueryFailure(
        new SQLException("ERROR: invalid input syntax for type integer: \"a\"", "22P02")));
    assertEquals(ErrorCode.DIVISION_BY_ZERO, SourceErrors.classifyQueryFailure(
        new SQLException("ERROR: division by zero", "22012")));
    assertEquals(ErrorCode.DATA_EXCEPTION, SourceErrors.classifyQueryFailure(
        new SQLException("ERROR: value too long", "22001")));
    assertEquals(ErrorCode.SOURCE_QUERY_FAILED, SourceErrors.classifyQueryFailure(
        new SQLException("ERROR: relation \"x\" does not exist", "42P01")));
    assertEquals(ErrorCode.SOURCE_QUERY_FAILED, SourceErrors.classifyQueryFailure(
        new SQLException("no state")));
  }
}
