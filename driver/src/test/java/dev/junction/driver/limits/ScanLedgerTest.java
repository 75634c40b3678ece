package dev.junction.driver.limits;

import dev.junction.planner.limits.Limits;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.QueryScope;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scan budgets per query and per UTC day, with a clock the test moves. */
class ScanLedgerTest {
  /** A clock that stays where the test puts it. */
  private static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-03T23:00:00Z");

    @Override public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override public Instant instant() {
      return now;
    }
  }

  private static Limits limits(long perQuery, long perDay) {
    return new Limits(0, Limits.OnMaxRows.ERROR, Duration.ZERO, 0, Limits.OnLimit.QUEUE,
        Limits.DEFAULT_QUEUE_TIMEOUT, 0, 0, 0, perQuery, perDay,
        Map.of(Limits.MAX_BYTES_SCANNED, "policy p.yaml, limits.users.u",
            Limits.MAX_BYTES_SCANNED_PER_DAY, "policy p.yaml, limits.users.u"));
  }

  @Test void noBudgetNoGuard() {
    assertNull(new ScanLedger(Clock.systemUTC()).guard("u", limits(0, 0)));
  }

  @Test void perQueryBudgetSumsTheQuerysStatements() {
    QueryScope.ScanGuard guard = new ScanLedger(Clock.systemUTC()).guard("u", limits(100, 0));
    guard.scanning("bq", 60);
    JunctionException e = assertThrows(JunctionException.class, () -> guard.scanning("bq", 50));
    assertEquals(ErrorCode.LIMIT_BYTES_SCANNED, e.code());
    assertTrue(e.getMessage().contains("would scan 50 bytes in source 'bq'")
        && e.getMessage().contains("110 bytes with its earlier statements")
        && e.getMessage().contains("max-bytes-scanned = 100 (set in policy p.yaml"),
        e::getMessage);
    guard.scanning("bq", 40);
  }

  @Test void perDayBudgetStartsAgainAtMidnightUtc() {
    MovingClock clock = new MovingClock();
    ScanLedger ledger = new ScanLedger(clock);
    ledger.guard("u", limits(0, 100)).scanning("bq", 70);
    assertEquals(70, ledger.scannedToday("u"));
    JunctionException e = assertThrows(JunctionException.class,
        () -> ledger.guard("u", limits(0, 100)).scanning("bq", 40));
    assertTrue(e.getMessage().contains("already scanned 70 bytes today (UTC)"), e::getMessage);
    assertEquals(70, ledger.scannedToday("u"), "a refused estimate is not charged");
    ledger.guard("v", limits(0, 100)).scanning("bq", 40);
    clock.now = clock.now.plus(Duration.ofHours(1));
    assertEquals(0, ledger.scannedToday("u"));
    ledger.guard("u", limits(0, 100)).scanning("bq", 90);
    assertEquals(90, ledger.scannedToday("u"));
  }
}
