package dev.junction.driver.audit;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Warns that audit lines are not being written, at most once per {@link #INTERVAL_NANOS}:
 * a full disk fails every statement's line, and one warning a minute says so without
 * flooding the log. Each warning counts the failures the ones before it left unreported.
 * Time comes from an injected ticker, so tests move it instead of sleeping.
 */
final class FailureWarning {
  /** The least time between two warnings: one minute. */
  static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LongSupplier ticker;
  private final Consumer<String> warn;

  // Guarded by this.
  private boolean warned;
  private long lastWarning;
  private long unreported;

  /**
   * @param ticker the time in nanoseconds, from an arbitrary origin ({@code System::nanoTime})
   * @param warn where warnings go (the audit class's logger, at WARN)
   */
  FailureWarning(LongSupplier ticker, Consumer<String> warn) {
    this.ticker = ticker;
    this.warn = warn;
  }

  /** Reports a failure: warns if no warning went out within the interval, else counts it. */
  void failed(String message) {
    String text;
    synchronized (this) {
      long now = ticker.getAsLong();
      if (warned && now - lastWarning < INTERVAL_NANOS) {
        unreported++;
        return;
      }
      text = unreported == 0 ? message : message + " (" + unreported + " more audit line"
          + (unreported == 1 ? " was" : "s were") + " not written since the last warning)";
      warned = true;
      lastWarning = now;
      unreported = 0;
    }
    warn.accept(text);
  }
}
