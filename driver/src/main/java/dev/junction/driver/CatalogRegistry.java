package dev.junction.driver;

import dev.junction.driver.audit.AuditLog;
import dev.junction.driver.cache.ResultCache;
import dev.junction.planner.catalog.Catalog;
import dev.junction.planner.config.CatalogConfig;
import dev.junction.planner.config.CatalogConfigLoader;
import dev.junction.spi.SourceSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Shares one opened {@link Catalog} (and so one pool per source) between all connections
 * to the same catalog file. A file changed on disk is loaded again for new connections;
 * the old catalog closes when its last connection does.
 */
final class CatalogRegistry {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(CatalogRegistry.class);
  static final CatalogRegistry INSTANCE = new CatalogRegistry();

  /**
   * The clock result caches opened from now on measure TTLs with; tests set a fake one
   * ({@link #useTicker}).
   */
  private volatile com.github.benmanes.caffeine.cache.Ticker ticker =
      com.github.benmanes.caffeine.cache.Ticker.systemTicker();

  private final Map<Path, Entry> entries = new HashMap<>();
  private final Map<Catalog, Entry> byCatalog = new HashMap<>();

  /**
   * An opened catalog with its audit trail, its plan cache (null when caching is off), the
   * file version it came from and its users.
   */
  private static final class Entry {
    final Catalog catalog;
    final AuditLog audit;
    final PlanCache plans;
    final ResultCache results;
    final FileTime modified;
    int users;
    boolean stale;

    Entry(Catalog catalog, AuditLog audit, PlanCache plans, ResultCache results,
        FileTime modified) {
      this.catalog = catalog;
      this.audit = audit;
      this.plans = plans;
      this.results = results;
      this.modified = modified;
    }
  }

  /** The catalog for a file, opened or reloaded as needed; call {@link #release} after. */
  synchronized Catalog acquire(Path file) {
    Path key = file.toAbsolutePath().normalize();
    FileTime modified = modified(key);
    Entry e = entries.get(key);
    if (e != null && (modified == null || !e.modified.equals(modified))) {
      e.stale = true;
      entries.remove(key);
      closeIfUnused(e);
      e = null;
    }
    if (e == null) {
      long maxPlans = PlanCache.maxPlans();
      CatalogConfig config = CatalogConfigLoader.load(key, Catalog.adapters());
      AuditLog audit = AuditLog.open(config.audit());
      Catalog catalog;
      try {
        catalog = Catalog.open(config);
      } catch (RuntimeException ex) {
        audit.close();
        throw ex;
      }
      e = new Entry(catalog, audit, PlanCache.create(maxPlans, planTtl(config)),
          ResultCache.create(config.cache(), ticker),
          modified == null ? FileTime.fromMillis(0) : modified);
      entries.put(key, e);
      byCatalog.put(e.catalog, e);
    }
    e.users++;
    return e.catalog;
  }

  /** The audit trail of a catalog taken with {@link #acquire}. */
  synchronized AuditLog audit(Catalog catalog) {
    Entry e = byCatalog.get(catalog);
    return e == null ? null : e.audit;
  }

  /** The plan cache of a catalog taken with {@link #acquire}; null when caching is off. */
  synchronized PlanCache plans(Catalog catalog) {
    Entry e = byCatalog.get(catalog);
    return e == null ? null : e.plans;
  }

  /** The result cache of a catalog taken with {@link #acquire}; null when it is off. */
  synchronized ResultCache results(Catalog catalog) {
    Entry e = byCatalog.get(catalog);
    return e == null ? null : e.results;
  }

  /**
   * The result cache of the catalog opened from {@code file} now, or null when it is not
   * open or has no result cache.
   */
  synchronized ResultCache results(Path file) {
    Entry e = entries.get(file.toAbsolutePath().normalize());
    return e == null ? null : e.results;
  }

  /** Result caches of catalogs opened from now on read time from {@code t}; for tests. */
  void useTicker(com.github.benmanes.caffeine.cache.Ticker t) {
    ticker = t;
  }

  /**
   * How long a plan is kept: the shortest {@code metadata-ttl} of the catalog's sources, so
   * no plan outlives the remote metadata (columns, statistics) it was made from by more
   * than that.
   */
  private static Duration planTtl(CatalogConfig config) {
    return config.sources().stream().map(SourceSpec::metadataTtl).min(Duration::compareTo)
        .orElse(Duration.ofMinutes(10));
  }

  /** Gives back a catalog taken with {@link #acquire}. */
  synchronized void release(Catalog catalog) {
    Entry e = byCatalog.get(catalog);
    if (e != null) {
      e.users--;
      closeIfUnused(e);
    }
  }

  private void closeIfUnused(Entry e) {
    if (e.stale && e.users <= 0) {
      byCatalog.remove(e.catalog);
      try {
        e.catalog.close();
      } finally {
        e.audit.close();
      }
    }
  }

  /**
   * The file's modification time, or null when it cannot be read: the entry is then
   * treated as changed, so loading the file again reports why it cannot be read instead
   * of silently serving what was loaded before.
   */
  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      LOG.warn("catalog file {}: cannot read its modification time ({}); loading it again",
          file, e.toString());
      return null;
    }
  }
}
