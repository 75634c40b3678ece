package dev.junction.driver.cache;

import dev.junction.planner.config.CacheSettings;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The results of one opened catalog's statements, so that a dashboard repeating a query is
 * answered without asking its sources. One per opened catalog, shared by all its
 * connections.
 *
 * <p>Design: the cache decorates result production. A statement's plan yields its rows
 * through {@link #rows}; on a hit they come from memory, on a miss the plan runs and its
 * rows are copied aside while the caller reads them, and stored once the caller has read
 * them all. A result that grows past {@code max-entry-bytes} stops being copied (what was
 * copied is dropped) and keeps streaming, so the cache never holds more than one entry's
 * bound per running statement beyond its own bound.
 *
 * <p>Who may see an entry is decided by its {@link Key}: the plan after the access policy's
 * rewrite, in which each caller's row filters and masks are literals, so two callers share
 * an entry exactly when their effective filters and masks are equal. Entries expire after
 * the smallest TTL of their statement's sources; all are dropped when the policy is
 * replaced, and those of a source on request ({@link #invalidate}).
 */
public final class ResultCache {
  private static final Logger LOG = LoggerFactory.getLogger(ResultCache.class);

  /**
   * What a statement's result depends on.
   *
   * @param plan the plan's result key (the plan after the policy rewrite, as text)
   * @param maxRowCount the statement's row limit, -1 for none
   * @param parameters the values bound to the statement's parameters, in order
   * @param policyVersion the version of the policy in force, -1 without a policy
   * @param sources the sources the statement reads, for invalidation by source
   */
  public record Key(String plan, long maxRowCount, List<Object> parameters,
      long policyVersion, Set<String> sources) {
    /** Copies the collections; arrays among the parameters become lists, compared by value. */
    public Key {
      List<Object> values = new ArrayList<>(parameters.size());
      for (Object p : parameters) {
        values.add(p instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : p);
      }
      parameters = java.util.Collections.unmodifiableList(values);
      sources = Set.copyOf(sources);
    }
  }

  /**
   * The counters of the cache.
   *
   * @param hits statements answered from the cache
   * @param misses statements that looked in the cache and ran
   * @param evictions entries dropped for space or because they expired
   * @param entries results held now
   * @param bytes the estimated size of the results held now
   */
  public record Stats(long hits, long misses, long evictions, long entries, long bytes) {
    /** All zero: no cache. */
    public static final Stats NONE = new Stats(0, 0, 0, 0, 0);
  }

  /** A cached result: its rows, their estimated size and how long it is kept. */
  private record Entry(List<Object> rows, int bytes, long ttlNanos) {
  }

  private final CacheSettings settings;
  private final Cache<Key, Entry> results;
  private volatile long policyVersion = Long.MIN_VALUE;

  private ResultCache(CacheSettings settings, Ticker ticker) {
    this.settings = settings;
    this.results = Caffeine.newBuilder()
        .maximumWeight(settings.maxBytes())
        .weigher((Key k, Entry e) -> e.bytes())
        .expireAfter(new Expiry<Key, Entry>() {
          @Override public long expireAfterCreate(Key key, Entry entry, long now) {
            return entry.ttlNanos();
          }

          @Override public long expireAfterUpdate(Key key, Entry entry, long now,
              long current) {
            return entry.ttlNanos();
          }

          @Override public long expireAfterRead(Key key, Entry entry, long now, long current) {
            return current;
          }
        })
        .ticker(ticker)
        .executor(Runnable::run)
        .recordStats()
        .build();
  }

  /** The cache a catalog's settings describe, or null when they turn it off. */
  public static ResultCache create(CacheSettings settings, Ticker ticker) {
    return settings.enabled() ? new ResultCache(settings, ticker) : null;
  }

  /**
   * How long a result read from {@code sources} may be kept: the smallest of their TTLs;
   * zero (not cached) when there are none.
   */
  public Duration ttl(Collection<String> sources) {
    return sources.stream().map(settings::ttl).min(Duration::compareTo).orElse(Duration.ZERO);
  }

  /**
   * The rows of a statement: from the cache, or from {@code producer}, stored when they
   * have all been read and fit {@code max-entry-bytes}. A statement whose TTL is 0 runs
   * uncached unless {@code mode} forces it; {@link CacheMode#BYPASS} always runs uncached.
   */
  public <T> Enumerable<T> rows(Key key, CacheMode mode, Supplier<Enumerable<T>> producer) {
    Duration ttl = ttl(key.sources());
    if (mode == CacheMode.BYPASS || ttl.isZero() && mode != CacheMode.FORCE) {
      return producer.get();
    }
    checkPolicy(key.policyVersion());
    Entry hit = results.getIfPresent(key);
    if (hit != null) {
      @SuppressWarnings("unchecked")
      List<T> rows = (List<T>) hit.rows();
      return Linq4j.asEnumerable(rows);
    }
    long ttlNanos = ttl.isZero() ? Long.MAX_VALUE : ttl.toNanos();
    Enumerable<T> source = producer.get();
    return new AbstractEnumerable<T>() {
      @Override public Enumerator<T> enumerator() {
        return new Recording<>(source.enumerator(), key, ttlNanos);
      }
    };
  }

  /**
   * Drops every entry when the policy was replaced: a result computed under old rules is
   * never served (their keys also differ), and their space is freed at once.
   */
  private void checkPolicy(long version) {
    if (version != policyVersion) {
      synchronized (this) {
        if (version != policyVersion) {
          if (policyVersion != Long.MIN_VALUE) {
            LOG.debug("policy version {} replaced {}: dropping {} cached results", version,
                policyVersion, results.estimatedSize());
            results.invalidateAll();
          }
          policyVersion = version;
        }
      }
    }
  }

  /**
   * Drops the results that read {@code source}, or every result when it is null; returns
   * how many were dropped.
   */
  public long invalidate(String source) {
    long before = results.estimatedSize();
    if (source == null) {
      results.invalidateAll();
      return before;
    }
    long[] dropped = {0};
    results.asMap().keySet().removeIf(k -> {
      boolean match = k.sources().stream().anyMatch(s -> s.equalsIgnoreCase(source));
      if (match) {
        dropped[0]++;
      }
      return match;
    });
    return dropped[0];
  }

  /** Drops every result: the policy or the remote metadata changed. */
  public void invalidateAll() {
    results.invalidateAll();
  }

  /** The counters. */
  public Stats stats() {
    results.cleanUp();
    CacheStats s = results.stats();
    long bytes = results.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new Stats(s.hitCount(), s.missCount(), s.evictionCount(), results.estimatedSize(),
        bytes);
  }

  /** The largest result kept, in estimated bytes. */
  public long maxEntryBytes() {
    return settings.maxEntryBytes();
  }

  /**
   * Reads a statement's rows through to the caller, copying them aside until they exceed
   * {@code max-entry-bytes}; stores the copy when the last row has been read.
   */
  private final class Recording<T> implements Enumerator<T> {
    private final Enumerator<T> delegate;
    private final Key key;
    private final long ttlNanos;
    private List<Object> copied = new ArrayList<>();
    private long bytes;

    Recording(Enumerator<T> delegate, Key key, long ttlNanos) {
      this.delegate = delegate;
      this.key = key;
      this.ttlNanos = ttlNanos;
    }

    @Override public T current() {
      return delegate.current();
    }

    @Override public boolean moveNext() {
      boolean more = delegate.moveNext();
      if (copied == null) {
        return more;
      }
      if (more) {
        T row = delegate.current();
        bytes += RowBytes.of(row);
        if (bytes > settings.maxEntryBytes()) {
          LOG.debug("result over max-entry-bytes ({} bytes): not cached", bytes);
          copied = null;
        } else {
          copied.add(row instanceof Object[] a ? a.clone() : row);
        }
      } else {
        results.put(key, new Entry(java.util.Collections.unmodifiableList(copied),
            (int) Math.max(1, bytes), ttlNanos));
        copied = null;
      }
      return more;
    }

    @Override public void reset() {
      delegate.reset();
      copied = null;
    }

    @Override public void close() {
      copied = null;
      delegate.close();
    }
  }
}
