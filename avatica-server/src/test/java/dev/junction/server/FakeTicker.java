package dev.junction.server;

import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A hand-moved clock for expiry tests: time passes only when a test says so. */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override public long read() {
    return nanos.get();
  }

  /** Moves time forward. */
  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
