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
    assertEquals(ErrorCode.SOURCE_CONNECTION_LOST, SourceErrors.classifyQueryFailure(
        new SQLException("FATAL: terminating connection due to administrator command",
            "57P01")));
    assertEquals(ErrorCode.SOURCE_CONNECTION_LOST, SourceErrors.classifyQueryFailure(
        new SQLException("FATAL: the database system is starting up", "57P03")));
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

  /**
   * Connection failures as the PostgreSQL and MariaDB drivers raise them (messages,
   * states and causes copied from real attempts): the network cause decides first, then
   * the database's answer.
   */
  @Test
  void connectFailuresAreClassifiedByCauseThenState() {
    assertEquals(SourceErrors.ConnectFailure.REFUSED, SourceErrors.classifyConnectFailure(
        poolTimeout()));
    assertEquals(SourceErrors.ConnectFailure.REFUSED, SourceErrors.classifyConnectFailure(
        new SQLNonTransientConnectionException("Socket fail to connect to 127.0.0.1:1."
            + " Connection refused", "08000", new ConnectException("Connection refused"))));
    assertEquals(SourceErrors.ConnectFailure.UNKNOWN_HOST,
        SourceErrors.classifyConnectFailure(new SQLException("The connection attempt failed.",
            "08001", new java.net.UnknownHostException("nonexistent.invalid"))));
    assertEquals(SourceErrors.ConnectFailure.NO_ANSWER, SourceErrors.classifyConnectFailure(
        new SQLException("Connection attempt timed out.", "08001")));
    assertEquals(SourceErrors.ConnectFailure.NO_ANSWER, SourceErrors.classifyConnectFailure(
        new SQLTimeoutException("Socket timeout when connecting to 10.255.255.1. Read timed"
            + " out", "08000", new java.net.SocketTimeoutException("Read timed out"))));
    assertEquals(SourceErrors.ConnectFailure.NOT_THE_DATABASE,
        SourceErrors.classifyConnectFailure(new SQLException("An error occurred while setting"
            + " up the SSL connection.", "08P01")));
    assertEquals(SourceErrors.ConnectFailure.TLS, SourceErrors.classifyConnectFailure(
        new SQLException("SSL error", "08006",
            new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))));
    assertEquals(SourceErrors.ConnectFailure.LOGIN_REJECTED,
        SourceErrors.classifyConnectFailure(new SQLException(
            "FATAL: role \"nobody\" does not exist", "28000")));
    assertEquals(SourceErrors.ConnectFailure.LOGIN_REJECTED,
        SourceErrors.classifyConnectFailure(new SQLException(
            "FATAL: password authentication failed for user \"x\"", "28P01")));
    assertEquals(SourceErrors.ConnectFailure.LOGIN_REJECTED,
        SourceErrors.classifyConnectFailure(new SQLException(
            "(conn=13) Access denied for user 'nobody'@'127.0.0.1'", "28000", 1698)));
    assertEquals(SourceErrors.ConnectFailure.LOGIN_REJECTED,
        SourceErrors.classifyConnectFailure(new SQLException(
            "Incorrect username or password was specified.", "08001", 390_100)));
    assertEquals(SourceErrors.ConnectFailure.LOGIN_REJECTED,
        SourceErrors.classifyConnectFailure(new SQLException("Private key provided is"
            + " invalid or not supported: Error finalising cipher", "42601", 200_045)));
    assertEquals(SourceErrors.ConnectFailure.NO_DATABASE, SourceErrors.classifyConnectFailure(
        new SQLException("The requested database does not exist or not authorized.", "08001",
            390_201)));
    assertEquals(SourceErrors.ConnectFailure.NO_DATABASE, SourceErrors.classifyConnectFailure(
        new SQLException("FATAL: database \"nodb\" does not exist", "3D000")));
    assertEquals(SourceErrors.ConnectFailure.NO_DATABASE, SourceErrors.classifyConnectFailure(
        new SQLException("Unknown database 'nodb'", "42000", 1049)));
    assertEquals(SourceErrors.ConnectFailure.OTHER, SourceErrors.classifyConnectFailure(
        new SQLTransientConnectionException("junction-sales - Connection is not available,"
            + " request timed out after 10000ms (total=8, active=8, idle=0, waiting=2)")));
    assertEquals(ErrorCode.SOURCE_LOGIN_REJECTED,
        SourceErrors.ConnectFailure.LOGIN_REJECTED.code());
    assertEquals(ErrorCode.SOURCE_UNAVAILABLE, SourceErrors.ConnectFailure.NO_ANSWER.code());
  }
}
