package dev.junction.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;

/** What each kind of failure becomes on the wire: message, SQLState, code, no trace. */
class ErrorResponsesTest {
  @Test void idsAreEightHexDigits() {
    for (int i = 0; i < 100; i++) {
      assertTrue(ErrorResponses.newId().matches("[0-9a-f]{8}"));
    }
  }

  @Test void anSqlExceptionKeepsItsMessageStateAndCodeWhereverItSits() {
    SQLException sql = new SQLSyntaxErrorException("Object 'nosuch' not found", "42S02", 7);
    Service.ErrorResponse r = ErrorResponses.of(new RuntimeException(
        new IllegalStateException(sql)), "0badc0de", null);
    assertEquals("Object 'nosuch' not found (error id 0badc0de)", r.errorMessage);
    assertEquals("42S02", r.sqlState);
    assertEquals(7, r.errorCode);
    assertEquals(List.of(), r.exceptions);
    assertEquals("HY000", ErrorResponses.of(new SQLException("no state"), "1", null).sqlState);
  }

  @Test void avaticaErrorsKeepTheirFields() {
    Service.ErrorResponse r = ErrorResponses.of(new AvaticaRuntimeException("Too many", 0,
        "53300", AvaticaSeverity.ERROR), "12345678", null);
    assertEquals("Too many (error id 12345678)", r.errorMessage);
    assertEquals("53300", r.sqlState);
    Service.ErrorResponse missing = ErrorResponses.of(new NoSuchConnectionException("c1"),
        "12345678", null);
    assertEquals(Service.ErrorResponse.MISSING_CONNECTION_ERROR_CODE, missing.errorCode,
        "the client reconnects on this code");
  }

  @Test void anythingElseIsAnInternalErrorWithoutDetail() throws Exception {
    Exception e = new NullPointerException("Cannot read field \"id\" because \"h\" is null");
    Service.ErrorResponse r = ErrorResponses.of(e, "cafef00d", null);
    assertEquals("internal error cafef00d; see the server log", r.errorMessage);
    assertEquals("XX000", r.sqlState);
    assertTrue(ErrorResponses.internal(e));
    assertTrue(ErrorResponses.trace(e).contains("\tat "), "the trace is for the log");
    String wire = new String(new ProtobufTranslationImpl().serializeResponse(r),
        StandardCharsets.UTF_8);
    assertFalse(wire.contains("\tat ") || wire.contains("Exception"), wire);
  }
}
