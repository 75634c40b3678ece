package dev.junction.planner.limits;

import dev.junction.planner.security.Principal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Who gets which limits: the policy file's {@code limits:} section (defaults, users,
 * groups) over the catalog's {@code limits:} section.
 *
 * <p>Resolution is per key, most specific first: the caller's own {@code users} entry;
 * then the {@code groups} entries of the caller's groups in file order, the first that sets
 * the key winning; then the policy's {@code defaults}; then the catalog's {@code limits:};
 * otherwise no limit. So a group can raise what the defaults allow, and a user entry can
 * give one person more or less than their group. {@code process-memory} is set only in the
 * catalog: it is shared by every caller.
 *
 * @param catalog the catalog's {@code limits:} entry
 * @param processMemory the catalog's {@code process-memory}, 0 for none
 * @param defaults the policy's {@code limits.defaults}
 * @param users the policy's {@code limits.users}, by user name
 * @param groups the policy's {@code limits.groups}, in file order
 */
public record LimitRules(LimitValues catalog, long processMemory, LimitValues defaults,
    Map<String, LimitValues> users, Map<String, LimitValues> groups) {

  /** No limits anywhere. */
  public static final LimitRules NONE = new LimitRules(LimitValues.none("catalog"), 0,
      LimitValues.none("policy"), Map.of(), Map.of());

  /** Copies the maps, keeping the groups' order. */
  public LimitRules {
    users = Map.copyOf(users);
    groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
  }

  /** The catalog's limits alone (no policy, or a policy without {@code limits:}). */
  public static LimitRules ofCatalog(LimitValues catalog, long processMemory) {
    return new LimitRules(catalog, processMemory, LimitValues.none("policy"), Map.of(),
        Map.of());
  }

  /** These rules with the policy's part replaced by {@code policy}'s. */
  public LimitRules withPolicy(LimitRules policy) {
    return new LimitRules(catalog, processMemory, policy.defaults, policy.users,
        policy.groups);
  }

  /** The limits in force for {@code p}. */
  public Limits forPrincipal(Principal p) {
    List<LimitValues> chain = new ArrayList<>();
    if (p != null && users.containsKey(p.user())) {
      chain.add(users.get(p.user()));
    }
    if (p != null) {
      groups.forEach((group, values) -> {
        if (p.isMember(group)) {
          chain.add(values);
        }
      });
    }
    chain.add(defaults);
    chain.add(catalog);
    Map<String, String> where = new HashMap<>();
    Integer maxRows = first(chain, LimitValues::maxRows, Limits.MAX_ROWS, where);
    Limits.OnMaxRows onMaxRows = first(chain, LimitValues::onMaxRows, Limits.ON_MAX_ROWS,
        where);
    Duration timeout = first(chain, LimitValues::queryTimeout, Limits.QUERY_TIMEOUT, where);
    Integer concurrent = first(chain, LimitValues::maxConcurrentQueries,
        Limits.MAX_CONCURRENT_QUERIES, where);
    Limits.OnLimit onLimit = first(chain, LimitValues::onLimit, Limits.ON_LIMIT, where);
    Duration queue = first(chain, LimitValues::queueTimeout, Limits.QUEUE_TIMEOUT, where);
    Integer fetched = first(chain, LimitValues::maxRowsFetched, Limits.MAX_ROWS_FETCHED,
        where);
    Long memory = first(chain, LimitValues::maxQueryMemory, Limits.MAX_QUERY_MEMORY, where);
    Long scanned = first(chain, LimitValues::maxBytesScanned, Limits.MAX_BYTES_SCANNED, where);
    Long scannedPerDay = first(chain, LimitValues::maxBytesScannedPerDay,
        Limits.MAX_BYTES_SCANNED_PER_DAY, where);
    if (processMemory > 0) {
      where.put(Limits.PROCESS_MEMORY, catalog.where());
    }
    return new Limits(maxRows == null ? 0 : maxRows,
        onMaxRows == null ? Limits.OnMaxRows.ERROR : onMaxRows,
        timeout == null ? Duration.ZERO : timeout,
        concurrent == null ? 0 : concurrent,
        onLimit == null ? Limits.OnLimit.QUEUE : onLimit,
        queue == null ? Limits.DEFAULT_QUEUE_TIMEOUT : queue,
        fetched == null ? 0 : fetched, memory == null ? 0 : memory, processMemory,
        scanned == null ? 0 : scanned, scannedPerDay == null ? 0 : scannedPerDay, where);
  }

  private static <T> T first(List<LimitValues> chain, Function<LimitValues, T> get,
      String key, Map<String, String> where) {
    for (LimitValues v : chain) {
      T value = get.apply(v);
      if (value != null) {
        where.put(key, v.where());
        return value;
      }
    }
    return null;
  }
}
