package dev.junction.driver.limits;

import dev.junction.planner.catalog.Catalog;
import dev.junction.planner.limits.Limits;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the queries of one catalog share in this process: the permits of each user's
 * {@code max-concurrent-queries}, the bytes all queries' local operators hold (against
 * {@code process-memory}), and the executions running now.
 *
 * <p>Design: a user's permits are a fair {@link Semaphore} sized by their limit when their
 * first query arrives; when a policy reload changes the limit, the next query gets a new
 * semaphore of the new size and queries still holding the old one return to it, so for
 * a moment after a change the user may run up to old plus new limit.
 */
public final class QueryGate {
  private static final Map<Catalog, QueryGate> GATES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** A user's permits and the limit they were sized for. */
  private record Permits(int max, Semaphore semaphore) {
  }

  private final Map<String, Permits> permits = new ConcurrentHashMap<>();
  private final AtomicLong heldBytes = new AtomicLong();
  private final Set<QueryBudget> running = ConcurrentHashMap.newKeySet();
  /**
   * Scan ledgers by catalog file: the bytes a user scanned today outlive the catalog
   * object, which is opened again when its file changes or after its last connection.
   */
  private static final Map<java.nio.file.Path, ScanLedger> LEDGERS = new ConcurrentHashMap<>();
  private final ScanLedger scans;

  private QueryGate(Catalog catalog) {
    java.nio.file.Path file = catalog.config().file();
    this.scans = file == null ? new ScanLedger(java.time.Clock.systemUTC())
        : LEDGERS.computeIfAbsent(file.toAbsolutePath().normalize(),
            f -> new ScanLedger(java.time.Clock.systemUTC()));
  }

  /** The gate of a catalog, made on first use. */
  public static QueryGate of(Catalog catalog) {
    return GATES.computeIfAbsent(catalog, QueryGate::new);
  }

  /** The users' scan budgets ({@code max-bytes-scanned}, per day). */
  public ScanLedger scans() {
    return scans;
  }

  /** A held permit; releasing it twice releases it once. */
  public interface Permit {
    /** Gives the permit back. */
    void release();
  }

  /** The permit of a user without a concurrency limit. */
  private static final Permit UNLIMITED = () -> { };

  /**
   * Admits one query of {@code user}: at once while they run fewer than their limit;
   * otherwise, with {@code on-limit: queue}, when one of theirs ends, waiting at most
   * {@code queue-timeout}.
   *
   * @throws JunctionException with {@link ErrorCode#LIMIT_CONCURRENT_QUERIES} when refused
   *     or the wait ran out
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public Permit admit(String user, Limits limits) throws InterruptedException {
    int max = limits.maxConcurrentQueries();
    if (max <= 0) {
      return UNLIMITED;
    }
    Permits p = permits.compute(user, (u, old) -> old != null && old.max() == max ? old
        : new Permits(max, new Semaphore(max, true)));
    boolean queue = limits.onLimit() == Limits.OnLimit.QUEUE;
    boolean admitted = queue
        ? p.semaphore().tryAcquire(limits.queueTimeout().toNanos(), TimeUnit.NANOSECONDS)
        : p.semaphore().tryAcquire();
    if (!admitted) {
      String what = limits.describe(Limits.MAX_CONCURRENT_QUERIES, max);
      throw new JunctionException(ErrorCode.LIMIT_CONCURRENT_QUERIES, queue
          ? "User '" + user + "' already runs " + max + " queries, the limit " + what
              + "; this query waited the " + limits.describe(Limits.QUEUE_TIMEOUT,
                  limits.queueTimeout()) + " and was refused. Close finished result sets,"
              + " or retry later."
          : "User '" + user + "' already runs " + max + " queries, the limit " + what
              + ", and on-limit is refuse. Close finished result sets, or retry later.");
    }
    AtomicBoolean once = new AtomicBoolean();
    return () -> {
      if (once.compareAndSet(false, true)) {
        p.semaphore().release();
      }
    };
  }

  /** How many queries of {@code user} wait for one of theirs to end. */
  public int waiting(String user) {
    Permits p = permits.get(user);
    return p == null ? 0 : p.semaphore().getQueueLength();
  }

  /** Bytes all running queries' local operators hold now (estimated). */
  public long heldBytes() {
    return heldBytes.get();
  }

  AtomicLong heldBytesCounter() {
    return heldBytes;
  }

  void started(QueryBudget budget) {
    running.add(budget);
  }

  void ended(QueryBudget budget) {
    running.remove(budget);
  }

  /** The executions running now, with their rows fetched; for a system table. */
  public List<QueryBudget> running() {
    return List.copyOf(running);
  }
}
