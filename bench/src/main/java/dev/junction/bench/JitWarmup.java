package dev.junction.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Warms this JVM's JIT compiler on a workload until it settles, and reports what it still
 * compiles while a scenario is timed.
 *
 * <p>Design: a few warm-up runs per query warm caches, not the JIT. Junction's per-query
 * path (plan-cache lookup, Avatica and Calcite result sets, the remote statement's
 * wrappers, audit) is thousands of methods that C2 compiles over the first few thousand
 * executions; the vendor driver's path is a few dozen. On a two-core machine that
 * compilation runs beside the query and takes a core from the database's own threads:
 * measured on DuckDB TPC-H Q6 in a loop, the JIT spent 3.5 s of every 10 s after 300
 * executions and Junction took 7.9 ms a query against 6.0 ms direct; after 4,000
 * executions it spent 1.4 s and Junction took 2.64 ms against 2.76 ms direct. Rounds
 * of the whole workload run for a minimum time and then until a few rounds in a row
 * compile for under {@link #SETTLED_SHARE} of their wall time, or a time bound passes (C2's
 * compile tasks on that loop: about 2,000 in the first 5 s, 350 in the next 5 s, then
 * tens); the scenario then
 * reports how long the JIT compiled during its timed runs, so a reader can tell a
 * settled run from one that was not.
 */
final class JitWarmup {
  /** A round whose compilation takes less than this share of its wall time is settled. */
  static final double SETTLED_SHARE = 0.02;
  /** Settled rounds in a row that end the warm-up (one alone is often a lull). */
  static final int SETTLED_ROUNDS = 3;

  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

  /** One round of the workload to warm. */
  @FunctionalInterface
  interface Round {
    void run() throws Exception;
  }

  private JitWarmup() {
  }

  /** Milliseconds the JIT has compiled in this JVM so far, or 0 where it is not reported. */
  static long compileMillis() {
    return JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
  }

  /**
   * Runs {@code round} for at least {@code minSeconds}, then until {@link #SETTLED_ROUNDS}
   * rounds in a row each compile for less than {@link #SETTLED_SHARE} of their time (no new
   * round after {@code maxSeconds}); a line saying how it went.
   */
  static String warm(Round round, int minSeconds, int maxSeconds) throws Exception {
    long begin = System.nanoTime();
    int rounds = 0;
    int settled = 0;
    double share;
    double elapsed;
    do {
      long compiled = compileMillis();
      long start = System.nanoTime();
      round.run();
      double wallMs = (System.nanoTime() - start) / 1e6;
      share = (compileMillis() - compiled) / Math.max(1, wallMs);
      settled = share < SETTLED_SHARE ? settled + 1 : 0;
      rounds++;
      elapsed = (System.nanoTime() - begin) / 1e9;
    } while ((elapsed < minSeconds || settled < SETTLED_ROUNDS) && elapsed < maxSeconds);
    System.err.printf(Locale.ROOT, "JIT warm-up: %d rounds in %.0f s, the last compiling"
        + " %.1f%%%n", rounds, elapsed, 100 * share);
    return String.format(Locale.ROOT, "%.0f s (%d rounds) of JIT warm-up over all queries%s",
        elapsed, rounds, settled >= SETTLED_ROUNDS ? ", until " + SETTLED_ROUNDS + " rounds in"
        + " a row compiled under " + Math.round(100 * SETTLED_SHARE) + "% of their time"
        : ", stopped by its " + maxSeconds + " s bound before the JIT settled");
  }
}
