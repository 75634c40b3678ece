package dev.junction.driver.cache;

import dev.junction.planner.config.CacheSettings;

import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;

import com.github.benmanes.caffeine.cache.Ticker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The result cache on its own, with a fake clock (Caffeine's {@link Ticker}): TTL per
 * source, the byte bound, results over the entry bound streaming through, invalidation by
 * source and by policy version, and the modes.
 */
class ResultCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final Ticker ticker = now::get;
  private final AtomicInteger produced = new AtomicInteger();

  private ResultCache cache(long maxBytes, long maxEntryBytes, Duration ttl,
      Map<String, Duration> sourceTtls) {
    return ResultCache.create(new CacheSettings(true, maxBytes, maxEntryBytes, ttl,
        sourceTtls), ticker);
  }

  private static ResultCache.Key key(String plan, String... sources) {
    return new ResultCache.Key(plan, -1, List.of(), -1, Set.of(sources));
  }

  /** Rows of {@code n} two-column arrays with a text of {@code width} characters. */
  private Enumerable<Object[]> rows(int n, int width) {
    produced.incrementAndGet();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new Object[] {i, "x".repeat(width)});
    }
    return Linq4j.asEnumerable(rows);
  }

  private static int read(Enumerable<Object[]> e) {
    int n = 0;
    try (Enumerator<Object[]> it = e.enumerator()) {
      while (it.moveNext()) {
        assertEquals(n, it.current()[0]);
        n++;
      }
    }
    return n;
  }

  @Test void aResultIsServedUntilItsSourcesTtlPasses() {
    ResultCache c = cache(1 << 20, 1 << 16, Duration.ZERO,
        Map.of("sales", Duration.ofMinutes(5)));
    ResultCache.Key k = key("p", "sales");
    assertEquals(10, read(c.rows(k, CacheMode.DEFAULT, () -> rows(10, 3))));
    now.addAndGet(Duration.ofMinutes(4).toNanos());
    assertEquals(10, read(c.rows(k, CacheMode.DEFAULT, () -> rows(10, 3))));
    assertEquals(1, produced.get(), "served from the cache within the TTL");
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertEquals(10, read(c.rows(k, CacheMode.DEFAULT, () -> rows(10, 3))));
    assertEquals(2, produced.get(), "run again once the TTL passed");
    ResultCache.Stats s = c.stats();
    assertEquals(1, s.hits());
    assertEquals(2, s.misses());
    assertEquals(1, s.evictions(), "the expired entry");
  }

  @Test void theSmallestTtlOfTheSourcesApplies() {
    ResultCache c = cache(1 << 20, 1 << 16, Duration.ofMinutes(10),
        Map.of("sales", Duration.ofMinutes(5), "live", Duration.ZERO));
    assertEquals(Duration.ofMinutes(5), c.ttl(Set.of("sales", "other")));
    assertEquals(Duration.ZERO, c.ttl(Set.of("sales", "live")));
    assertEquals(Duration.ofMinutes(10), c.ttl(Set.of("other")));
    ResultCache.Key join = key("join", "sales", "live");
    read(c.rows(join, CacheMode.DEFAULT, () -> rows(3, 1)));
    read(c.rows(join, CacheMode.DEFAULT, () -> rows(3, 1)));
    assertEquals(2, produced.get(), "a source with cache-ttl 0 is never cached");
    assertEquals(0, c.stats().hits() + c.stats().misses(), "not even looked up");
  }

  @Test void forceCachesATtlZeroResultUntilInvalidatedAndBypassNeverReads() {
    ResultCache c = cache(1 << 20, 1 << 16, Duration.ZERO, Map.of());
    ResultCache.Key k = key("p", "live");
    read(c.rows(k, CacheMode.FORCE, () -> rows(3, 1)));
    now.addAndGet(Duration.ofDays(30).toNanos());
    read(c.rows(k, CacheMode.FORCE, () -> rows(3, 1)));
    assertEquals(1, produced.get());
    read(c.rows(k, CacheMode.DEFAULT, () -> rows(3, 1)));
    assertEquals(2, produced.get(), "a statement that does not force never reads it");
    assertEquals(1, c.invalidate("LIVE"), "source names match in any case");
    read(c.rows(k, CacheMode.FORCE, () -> rows(3, 1)));
    assertEquals(3, produced.get());
    ResultCache d = cache(1 << 20, 1 << 16, Duration.ofMinutes(1), Map.of());
    ResultCache.Key e = key("p", "sales");
    read(d.rows(e, CacheMode.DEFAULT, () -> rows(3, 1)));
    read(d.rows(e, CacheMode.BYPASS, () -> rows(3, 1)));
    assertEquals(5, produced.get(), "bypass runs the statement");
    assertEquals(1, d.stats().misses() + d.stats().hits());
  }

  @Test void aResultOverTheEntryBoundStreamsThroughUncached() {
    ResultCache c = cache(1 << 20, 4_096, Duration.ofMinutes(1), Map.of());
    ResultCache.Key k = key("big", "sales");
    assertEquals(1_000, read(c.rows(k, CacheMode.DEFAULT, () -> rows(1_000, 10))));
    assertEquals(1_000, read(c.rows(k, CacheMode.DEFAULT, () -> rows(1_000, 10))));
    assertEquals(2, produced.get());
    assertEquals(0, c.stats().entries());
    assertEquals(0, c.stats().bytes());
  }

  @Test void aResultNotReadToTheEndIsNotStored() {
    ResultCache c = cache(1 << 20, 1 << 16, Duration.ofMinutes(1), Map.of());
    ResultCache.Key k = key("p", "sales");
    try (Enumerator<Object[]> it = c.rows(k, CacheMode.DEFAULT, () -> rows(10, 1))
        .enumerator()) {
      assertTrue(it.moveNext());
    }
    assertEquals(0, c.stats().entries());
  }

  @Test void theByteBoundEvicts() {
    ResultCache c = cache(20_000, 8_000, Duration.ofMinutes(1), Map.of());
    for (int i = 0; i < 10; i++) {
      read(c.rows(key("q" + i, "sales"), CacheMode.DEFAULT, () -> rows(50, 20)));
    }
    ResultCache.Stats s = c.stats();
    assertTrue(s.bytes() <= 20_000, s.toString());
    assertTrue(s.entries() < 10 && s.entries() > 0, s.toString());
    assertEquals(10 - s.entries(), s.evictions(), s.toString());
  }

  @Test void anotherPolicyVersionDropsEverything() {
    ResultCache c = cache(1 << 20, 1 << 16, Duration.ofMinutes(1), Map.of());
    read(c.rows(new ResultCache.Key("p", -1, List.of(), 1, Set.of("s")), CacheMode.DEFAULT,
        () -> rows(3, 1)));
    assertEquals(1, c.stats().entries());
    read(c.rows(new ResultCache.Key("p", -1, List.of(), 2, Set.of("s")), CacheMode.DEFAULT,
        () -> rows(3, 1)));
    assertEquals(1, c.stats().entries(), "only the new version's result");
    assertEquals(2, produced.get());
  }

  @Test void parametersAreComparedByValue() {
    ResultCache c = cache(1 << 20, 1 << 16, Duration.ofMinutes(1), Map.of());
    ResultCache.Key a = new ResultCache.Key("p", -1, List.of(new byte[] {1, 2}), -1,
        Set.of("s"));
    ResultCache.Key b = new ResultCache.Key("p", -1, List.of(new byte[] {1, 2}), -1,
        Set.of("s"));
    ResultCache.Key other = new ResultCache.Key("p", -1, List.of(new byte[] {1, 3}), -1,
        Set.of("s"));
    assertEquals(a, b);
    assertTrue(!a.equals(other));
  }
}
