package dev.junction.driver;

import dev.junction.spi.SourceStatus;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * What a Junction connection offers beyond JDBC, reached with
 * {@code connection.unwrap(JunctionConnection.class)}.
 */
public interface JunctionConnection {
  /**
   * Forgets the cached remote metadata (schemas, tables, columns, row counts) of every
   * source in this connection's catalog, so the next statement or DatabaseMetaData call
   * reads it again instead of waiting for the {@code metadata-ttl} to pass. The catalog
   * is shared by every connection to the same file in this JVM, so they all see the
   * refresh.
   */
  void refreshMetadata() throws SQLException;

  /**
   * Checks every source of this connection's catalog (connects and runs a trivial query),
   * for readiness probes. Returns each source's name with an empty value when it is
   * reachable, or the reason it is not; the reason never holds a secret.
   */
  Map<String, Optional<String>> checkSources() throws SQLException;

  /**
   * Every source of this connection's catalog with its connection pool's counters and
   * whether it answered when last used ({@link SourceStatus}), in catalog order. Reading
   * it connects to nothing; the last error never holds a secret.
   */
  Map<String, SourceStatus> sourceStatus() throws SQLException;

  /**
   * The counters of the plan cache this connection's catalog shares with every connection
   * to it ({@link PlanCache}): statements served a cached plan, statements planned, plans
   * held. All zero when the cache is turned off.
   */
  PlanCache.Stats planCacheStats() throws SQLException;
}
