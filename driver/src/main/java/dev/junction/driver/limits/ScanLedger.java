package dev.junction.driver.limits;

import dev.junction.planner.limits.Limits;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.QueryScope;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scan budgets of one catalog's users: {@code max-bytes-scanned} per query and
 * {@code max-bytes-scanned-per-day} per user, checked against what a source estimates a
 * statement will scan before it runs (BigQuery's dry run).
 *
 * <p>Design: each execution gets a {@link QueryScope.ScanGuard} ({@link #guard}) that sums
 * the estimates of its remote statements against the per-query budget and charges each
 * admitted estimate to the user's day, a UTC calendar day read from the injected clock
 * (the count starts again at midnight UTC). An estimate is charged when admitted, not
 * when the source reports what it billed: the budget is spent by what was allowed to run,
 * including a statement that was cancelled or failed after it started. The count is kept
 * in memory, per catalog and process.
 */
public final class ScanLedger {
  private final Clock clock;
  private final Map<String, Day> days = new ConcurrentHashMap<>();

  /** One user's bytes on one day. */
  private static final class Day {
    LocalDate date;
    long bytes;

    Day(LocalDate date) {
      this.date = date;
    }
  }

  /** A ledger reading days from {@code clock}. */
  public ScanLedger(Clock clock) {
    this.clock = clock;
  }

  /** The bytes {@code user} was charged today (UTC). */
  public long scannedToday(String user) {
    Day d = days.get(user);
    if (d == null) {
      return 0;
    }
    synchronized (d) {
      return d.date.equals(today()) ? d.bytes : 0;
    }
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /**
   * The guard of one execution of {@code user} under {@code limits}, or null when neither
   * scan budget is set (then no source dry-runs its statements).
   */
  public QueryScope.ScanGuard guard(String user, Limits limits) {
    long perQuery = limits.maxBytesScanned();
    long perDay = limits.maxBytesScannedPerDay();
    if (perQuery <= 0 && perDay <= 0) {
      return null;
    }
    AtomicLong query = new AtomicLong();
    return (source, bytes) -> {
      long total = query.addAndGet(bytes);
      if (perQuery > 0 && total > perQuery) {
        query.addAndGet(-bytes);
        throw new JunctionException(ErrorCode.LIMIT_BYTES_SCANNED, "The query would scan "
            + bytes(bytes) + " in source '" + source + "' (the source's estimate"
            + (total > bytes ? "; " + bytes(total) + " with its earlier statements" : "")
            + "), over the limit " + limits.describe(Limits.MAX_BYTES_SCANNED, perQuery)
            + ". Read fewer columns or filter on the table's partitions, or ask for a"
            + " higher limit.");
      }
      if (perDay > 0) {
        charge(user, source, bytes, perDay, limits, query);
      }
    };
  }

  private void charge(String user, String source, long bytes, long perDay, Limits limits,
      AtomicLong query) {
    LocalDate today = today();
    Day d = days.computeIfAbsent(user, u -> new Day(today));
    synchronized (d) {
      if (!d.date.equals(today)) {
        d.date = today;
        d.bytes = 0;
      }
      if (d.bytes + bytes > perDay) {
        query.addAndGet(-bytes);
        throw new JunctionException(ErrorCode.LIMIT_BYTES_SCANNED, "The query would scan "
            + bytes(bytes) + " in source '" + source + "' (the source's estimate), but user '"
            + user + "' has already scanned " + bytes(d.bytes) + " today (UTC) of the limit "
            + limits.describe(Limits.MAX_BYTES_SCANNED_PER_DAY, perDay) + ". Retry after"
            + " midnight UTC, or ask for a higher limit.");
      }
      d.bytes += bytes;
    }
  }

  /** {@code 1234567 bytes (1.2 MB)}. */
  static String bytes(long n) {
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double v = n;
    int unit = -1;
    while (v >= 1024 && unit < units.length - 1) {
      v /= 1024;
      unit++;
    }
    return n + " bytes" + (unit < 0 ? ""
        : String.format(java.util.Locale.ROOT, " (%.1f %s)", v, units[unit]));
  }
}
