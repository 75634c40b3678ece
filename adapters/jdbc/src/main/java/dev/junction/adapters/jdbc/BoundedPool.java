package dev.junction.adapters.jdbc;

/**
 * A source's own pool that is not a HikariCP pool but still lends a bounded number of
 * connections (DuckDB's pool of duplicates), so that statements may read ahead on it
 * ({@link ReadAheadEnumerable}) without taking more connections than it holds. A pool
 * that is neither never reads ahead.
 */
public interface BoundedPool {
  /** The most connections the pool lends at once, for one kind of statement. */
  int maximumPoolSize();
}
