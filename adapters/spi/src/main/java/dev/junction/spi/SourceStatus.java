package dev.junction.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A source's connection pool and reachability as last seen, for the {@code junction.sources}
 * system table and the server's {@code /metrics}. Reading it never connects: a source no
 * query has used yet is {@link Reachability#UNKNOWN} with an empty pool. The last error is
 * the message a query received (it names the source and never a secret).
 *
 * @param name the source's name in the catalog
 * @param type the adapter type, e.g. {@code postgresql}
 * @param pool the pool's counters, or empty for a source that does not pool (an embedded
 *     database shared in process)
 * @param reachability whether the last connection attempt or statement reached the source
 * @param lastError the last connection failure's message, kept after the source recovers
 * @param lastErrorAt when it happened
 */
public record SourceStatus(String name, String type, Optional<Pool> pool,
    Reachability reachability, Optional<String> lastError, Optional<Instant> lastErrorAt) {

  /** Whether a source answered when it was last used. */
  public enum Reachability {
    /** Not used since the catalog was opened. */
    UNKNOWN,
    /** The last connection or statement reached it. */
    UP,
    /** The last connection attempt failed or a connection broke. */
    DOWN
  }

  /**
   * A pool's counters at one moment (HikariCP's, read without locking, so they need not add
   * up exactly while connections move).
   *
   * @param active connections lent to running statements
   * @param idle open connections waiting in the pool
   * @param waiting statements waiting for a connection
   * @param total open connections, active and idle
   * @param max the pool's size ({@code pool-size})
   */
  public record Pool(int active, int idle, int waiting, int total, int max) {
  }

  /** Validates the components. */
  public SourceStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(reachability, "reachability");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(lastErrorAt, "lastErrorAt");
  }
}
