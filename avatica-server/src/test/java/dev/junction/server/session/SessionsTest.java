package dev.junction.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.server.FakeTicker;
import dev.junction.server.ServerConfig;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Ownership, per-principal limits and idle detection, on a hand-moved ticker. */
class SessionsTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Sessions sessions = new Sessions(new ServerConfig.Limits(2, 3,
      Duration.ofMinutes(10)), ticker);

  @Test void connectionLimitIsPerPrincipal() {
    sessions.open("c1", "ana");
    sessions.open("c2", "ana");
    LimitExceededException e = assertThrows(LimitExceededException.class,
        () -> sessions.open("c3", "ana"));
    assertTrue(e.getMessage().contains("limit is 2"), e.getMessage());
    assertEquals("53300", e.getSqlState());
    sessions.open("c4", "bo");
    assertEquals(Optional.of("ana"), sessions.owner("c1"));
    assertEquals(Optional.of("bo"), sessions.owner("c4"));
    sessions.closed("c1");
    sessions.open("c3", "ana");
    assertThrows(IllegalStateException.class, () -> sessions.open("c3", "bo"),
        "a client cannot take over an existing connection id");
  }

  @Test void statementLimitCountsReservationsAcrossConnections() {
    sessions.open("c1", "ana");
    sessions.open("c2", "ana");
    sessions.reserveStatement("c1");
    sessions.statementCreated("c1", 1);
    sessions.reserveStatement("c2");
    sessions.statementCreated("c2", 2);
    sessions.reserveStatement("c2");
    assertThrows(LimitExceededException.class, () -> sessions.reserveStatement("c1"),
        "two open and one being created");
    sessions.statementCreated("c2", null);
    sessions.reserveStatement("c1");
    sessions.statementCreated("c1", 3);
    assertEquals(3, sessions.statementCount());
    sessions.statementClosed("c1", 1);
    assertEquals(List.of(3), sessions.statements("c1"));
  }

  @Test void idleMeansUnusedForTheTimeoutWithNothingInFlight() {
    sessions.open("c1", "ana");
    sessions.open("c2", "bo");
    ticker.advance(Duration.ofMinutes(9));
    assertTrue(sessions.begin("c2"));
    assertEquals(List.of(), sessions.idle());
    ticker.advance(Duration.ofMinutes(2));
    assertEquals(List.of("c1"), sessions.idle(), "c2 is running a request");
    sessions.end("c2");
    assertEquals(List.of("c1"), sessions.idle(), "c2 was just used");
    ticker.advance(Duration.ofMinutes(10));
    assertEquals(2, sessions.idle().size());
    assertEquals(false, sessions.begin("unknown"));
  }

  @Test void busyCountsRequestsCursorsAndStatements() {
    sessions.open("c1", "ana");
    assertEquals(0, sessions.busy());
    sessions.begin("c1");
    assertEquals(1, sessions.busy());
    sessions.end("c1");
    sessions.reserveStatement("c1");
    sessions.statementCreated("c1", 7);
    sessions.cursor("c1", 7, true);
    assertEquals(2, sessions.busy());
    sessions.cursor("c1", 7, false);
    sessions.statementClosed("c1", 7);
    assertEquals(0, sessions.busy());
  }

  @Test void statementsAreOwnedByTheConnectionThatCreatedThem() {
    sessions.open("c1", "ana");
    sessions.open("c2", "bo");
    sessions.reserveStatement("c1");
    sessions.statementCreated("c1", 7);
    sessions.metadataResultCreated("c1", 8);
    assertEquals(Optional.of("c1"), sessions.statementConnection(7));
    assertEquals(Optional.of("c1"), sessions.statementConnection(8));
    assertEquals(Optional.empty(), sessions.statementConnection(9));
    assertEquals(List.of(7), sessions.statements("c1"), "metadata results are not counted");
    sessions.statementClosed("c2", 7);
    assertEquals(Optional.of("c1"), sessions.statementConnection(7),
        "another connection cannot unregister it");
    sessions.statementClosed("c1", 7);
    assertEquals(Optional.empty(), sessions.statementConnection(7));
    sessions.closed("c1");
    assertEquals(Optional.empty(), sessions.statementConnection(8),
        "a closed connection's results go with it");
  }
}
