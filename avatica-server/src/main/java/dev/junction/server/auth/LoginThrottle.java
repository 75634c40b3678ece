package dev.junction.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throttles failed logins per client address: after {@code max} failures within a window
 * (counted from the first failure) the address is refused, without checking credentials,
 * until the window ends. Time comes from a {@link Ticker}; memory is bounded.
 */
public final class LoginThrottle {
  private static final long MAX_ADDRESSES = 100_000;
  private final int max;
  private final Cache<String, AtomicInteger> failures;

  /** Creates a throttle allowing {@code max} failures per {@code window}. */
  public LoginThrottle(int max, Duration window, Ticker ticker) {
    this.max = max;
    this.failures = Caffeine.newBuilder().expireAfterWrite(window).ticker(ticker)
        .maximumSize(MAX_ADDRESSES).build();
  }

  /** Whether the address has used up its failures for now. */
  public boolean blocked(String address) {
    AtomicInteger n = failures.getIfPresent(address);
    return n != null && n.get() >= max;
  }

  /** Records a failed login; returns the failures so far in this window. */
  public int failed(String address) {
    return failures.get(address, a -> new AtomicInteger()).incrementAndGet();
  }
}
