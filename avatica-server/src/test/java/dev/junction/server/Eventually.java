package dev.junction.server;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Waits for a condition that becomes true asynchronously, failing after a generous bound.
 * The bound is a liveness check, not a performance assertion.
 */
public final class Eventually {
  private Eventually() {
  }

  /** Polls {@code condition} every 100 ms until it holds or {@code within} passes. */
  public static void assertEventually(String what, Duration within, Callable<Boolean> condition)
      throws Exception {
    assertEventually(what, within, condition, () -> "");
  }

  /** As above, adding {@code context} (e.g. the server's events) to the failure message. */
  public static void assertEventually(String what, Duration within, Callable<Boolean> condition,
      Supplier<String> context) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      if (Boolean.TRUE.equals(condition.call())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what + "\n"
            + context.get());
      }
      Thread.sleep(100);
    }
  }
}
