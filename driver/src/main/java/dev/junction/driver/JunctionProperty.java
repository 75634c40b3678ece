package dev.junction.driver;

import org.apache.calcite.avatica.ConnectionProperty;
import org.apache.calcite.avatica.ConnectionConfigImpl;

import java.util.Properties;

/**
 * The connection properties Junction adds to Calcite's, each with its name, type and
 * default. They may be given in the URL ({@code jdbc:junction:config=/x.yaml}) or as
 * {@link java.util.Properties}.
 */
public enum JunctionProperty implements ConnectionProperty {
  /** Path of the catalog YAML file. */
  CONFIG("config", Type.STRING, null),
  /** Use the bundled demo catalog; {@code jdbc:junction:demo} sets it. */
  DEMO("demo", Type.BOOLEAN, false),
  /** The caller's name, as seen by CURRENT_USER (default: the JVM's user.name). */
  USER("user", Type.STRING, null),
  /**
   * Groups the caller belongs to besides those the policy file gives them, comma-separated.
   * The server sets it from the caller's token ({@code auth.jwt.groups-claim}) and drops
   * what a client sends; in-process, the application is trusted to set it.
   */
  GROUPS("groups", Type.STRING, null),
  /**
   * Attributes of the caller besides those the policy file gives them, as a JSON object of
   * names to strings, numbers or booleans. Set by the server from token claims
   * ({@code auth.jwt.attribute-claims}); in-process, by the application.
   */
  ATTRIBUTES("attributes", Type.STRING, null),
  /** The caller's network address, for the audit log; set by the server. */
  CLIENT_ADDRESS("clientAddress", Type.STRING, null),
  /**
   * Show the policy's own predicates in EXPLAIN instead of {@code <row filter>} and
   * {@code <mask>} placeholders: for {@code junction policy explain}; never set by the
   * server.
   */
  REVEAL_POLICY("revealPolicy", Type.BOOLEAN, false),
  /**
   * What this connection's statements do with the catalog's result cache: {@code default}
   * (cached as the catalog's TTLs say), {@code bypass} (never read or stored) or
   * {@code force} (cached even where a source's TTL is 0). A statement's
   * {@code /*+ result_cache(bypass|force) *}{@code /} hint overrides it.
   */
  RESULT_CACHE("resultCache", Type.STRING, "default"),
  /**
   * Whether a query's remote statements may run at the same time: while one is read, the
   * others already execute in their sources (each bounded by its pool), so a query over
   * several sources takes about as long as its slowest statement. {@code false} runs each
   * statement only when the query reaches it.
   */
  PARALLEL_READS("parallelReads", Type.BOOLEAN, true),
  /**
   * With {@link #PARALLEL_READS}, how many of one query's remote statements may run ahead
   * of the one being read at once (1 to 64).
   */
  PARALLEL_READS_PER_QUERY("parallelReadsPerQuery", Type.NUMBER, 4),
  /**
   * Whether a grouping over a join across sources may be computed in part in the source its
   * aggregates read (sums, counts, minimums and maximums per join key there, finished in
   * Junction). {@code false} fetches that source's rows ungrouped.
   */
  PARTIAL_AGGREGATES("partialAggregates", Type.BOOLEAN, true);

  /** The largest {@link #PARALLEL_READS_PER_QUERY}. */
  public static final int MAX_PARALLEL_READS_PER_QUERY = 64;

  /**
   * How many remote statements of one query may read ahead at once under {@code p}: 0
   * when {@link #PARALLEL_READS} is off.
   *
   * @throws IllegalArgumentException naming the property and the allowed values when one
   *     of the two is not valid
   */
  public static int parallelReads(Properties p) {
    String on = p.getProperty(PARALLEL_READS.camelName());
    if (on != null && !on.isBlank() && !on.trim().equalsIgnoreCase("true")
        && !on.trim().equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("property 'parallelReads' is '" + on
          + "'; allowed: true, false");
    }
    String n = p.getProperty(PARALLEL_READS_PER_QUERY.camelName());
    int max = (Integer) PARALLEL_READS_PER_QUERY.defaultValue();
    if (n != null && !n.isBlank()) {
      try {
        max = Integer.parseInt(n.trim());
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > MAX_PARALLEL_READS_PER_QUERY) {
        throw new IllegalArgumentException("property 'parallelReadsPerQuery' is '" + n
            + "'; allowed: a whole number from 1 to " + MAX_PARALLEL_READS_PER_QUERY);
      }
    }
    return on != null && on.trim().equalsIgnoreCase("false") ? 0 : max;
  }

  /**
   * {@link #PARTIAL_AGGREGATES} under {@code p}.
   *
   * @throws IllegalArgumentException naming the property and the allowed values when it is
   *     not valid
   */
  public static boolean partialAggregates(Properties p) {
    String on = p.getProperty(PARTIAL_AGGREGATES.camelName());
    if (on == null || on.isBlank()) {
      return true;
    }
    if (!on.trim().equalsIgnoreCase("true") && !on.trim().equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("property 'partialAggregates' is '" + on
          + "'; allowed: true, false");
    }
    return on.trim().equalsIgnoreCase("true");
  }

  private final String camelName;
  private final Type type;
  private final Object defaultValue;

  JunctionProperty(String camelName, Type type, Object defaultValue) {
    this.camelName = camelName;
    this.type = type;
    this.defaultValue = defaultValue;
  }

  @Override public String camelName() {
    return camelName;
  }

  @Override public Object defaultValue() {
    return defaultValue;
  }

  @Override public Type type() {
    return type;
  }

  @Override public Class valueClass() {
    return type.defaultValueClass();
  }

  @Override public ConnectionConfigImpl.PropEnv wrap(Properties properties) {
    return new ConnectionConfigImpl.PropEnv(
        ConnectionConfigImpl.parse(properties, null), this);
  }

  @Override public boolean required() {
    return false;
  }
}
