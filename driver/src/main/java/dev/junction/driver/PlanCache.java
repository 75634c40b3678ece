package dev.junction.driver;

import dev.junction.planner.security.Principal;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.apache.calcite.jdbc.CalcitePrepare.CalciteSignature;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The plans of one opened catalog's statements, so that a statement run again (the same
 * text on a Statement, or prepared again) skips parsing, validation, the policy rewrite,
 * optimization and code generation. One per opened catalog: a catalog file that changed
 * on disk is a new catalog with an empty cache.
 *
 * <p>A plan is only ever served to a caller for whom planning the same text would give the
 * same plan: the {@link Key} holds everything planning reads besides the catalog (the
 * policy version, the caller as the policy resolves them, the connection's settings and
 * default schema). Row filters and masks are bound into a plan as literals, so two callers
 * with different attributes never share one. Plans also expire after the shortest
 * {@code metadata-ttl} of the catalog's sources, as the remote metadata they were planned
 * with does, and are all dropped when the policy is replaced or metadata is refreshed.
 */
public final class PlanCache {
  /**
   * The JVM system property bounding how many plans each opened catalog keeps: a whole
   * number, 0 turns the cache off.
   */
  public static final String MAX_PLANS_PROPERTY = "junction.planCache.maxPlans";

  /** Plans kept per catalog unless {@link #MAX_PLANS_PROPERTY} says otherwise. */
  public static final long DEFAULT_MAX_PLANS = 256;

  private static final Logger LOG = LoggerFactory.getLogger(PlanCache.class);

  /**
   * Everything a plan depends on besides the catalog it was planned against.
   *
   * @param sql the statement text, exactly
   * @param maxRowCount the statement's row limit at prepare time (-1 for none)
   * @param defaultSchema the connection's default schema path, which unqualified names
   *     resolve against
   * @param policyVersion the version of the policy in force, -1 without a policy
   * @param principal the caller as the policy in force resolves them (groups and attributes
   *     from the policy file and the token), null without a policy
   * @param revealPolicy whether EXPLAIN shows the policy's expressions
   * @param settings the connection properties that reach planning (all but the client's
   *     address and any password)
   */
  public record Key(String sql, long maxRowCount, List<String> defaultSchema,
      long policyVersion, Principal principal, boolean revealPolicy,
      Map<String, String> settings) {
  }

  /**
   * Counters of one catalog's cache.
   *
   * @param hits statements served a cached plan
   * @param misses statements planned (and cached, when they could be)
   * @param size plans held now
   */
  public record Stats(long hits, long misses, long size) {
  }

  private final Cache<Key, CalciteSignature<?>> plans;
  private volatile long policyVersion = Long.MIN_VALUE;

  private PlanCache(Cache<Key, CalciteSignature<?>> plans) {
    this.plans = plans;
  }

  /**
   * A cache keeping at most {@code maxPlans} plans, each for at most {@code ttl}; null when
   * {@code maxPlans} is 0 (caching off).
   */
  static PlanCache create(long maxPlans, Duration ttl) {
    if (maxPlans == 0) {
      return null;
    }
    return new PlanCache(Caffeine.newBuilder().maximumSize(maxPlans).expireAfterWrite(ttl)
        .recordStats().build());
  }

  /**
   * The bound {@link #MAX_PLANS_PROPERTY} sets, {@link #DEFAULT_MAX_PLANS} when unset.
   *
   * @throws JunctionException naming the property when it is not a whole number from 0 up
   */
  static long maxPlans() {
    String value = System.getProperty(MAX_PLANS_PROPERTY);
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_PLANS;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new JunctionException(ErrorCode.CONFIG_INVALID, "system property "
        + MAX_PLANS_PROPERTY + " is '" + value
        + "': give a whole number of plans, 0 or more (0 turns the plan cache off)");
  }

  /**
   * The cached plan for {@code key}, or null. A key under a policy version other than the
   * last one seen drops every plan first: plans of a replaced policy can never be used.
   */
  public CalciteSignature<?> get(Key key) {
    if (key.policyVersion() != policyVersion) {
      synchronized (this) {
        if (key.policyVersion() != policyVersion) {
          if (policyVersion != Long.MIN_VALUE) {
            LOG.debug("policy version {} replaced {}: dropping {} cached plans",
                key.policyVersion(), policyVersion, plans.estimatedSize());
            plans.invalidateAll();
          }
          policyVersion = key.policyVersion();
        }
      }
    }
    CalciteSignature<?> plan = plans.getIfPresent(key);
    if (LOG.isDebugEnabled()) {
      LOG.debug("plan cache {}: {}", plan == null ? "miss" : "hit", key.sql());
    }
    return plan;
  }

  /**
   * Keeps {@code plan} for {@code key}, unless the policy was replaced while it was planned
   * ({@code policyVersionAfter}, read once planning ended, differs from the key's).
   */
  public void put(Key key, CalciteSignature<?> plan, long policyVersionAfter) {
    if (policyVersionAfter == key.policyVersion()) {
      plans.put(key, plan);
    }
  }

  /** Drops every plan: metadata was refreshed. */
  void invalidateAll() {
    plans.invalidateAll();
  }

  /** The counters. */
  public Stats stats() {
    CacheStats s = plans.stats();
    return new Stats(s.hitCount(), s.missCount(), plans.estimatedSize());
  }
}
