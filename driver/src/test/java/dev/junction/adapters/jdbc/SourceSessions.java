package dev.junction.adapters.jdbc;

import dev.junction.spi.Source;
import dev.junction.spi.SourceAdapter;
import dev.junction.spi.SourceSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Opens a source the way a catalog does and hands out a connection from its pool, as a
 * query gets it (session settings applied), so tests can check what the source session
 * is, and what it refuses. Lives in the adapters' package to reach the pool.
 */
public final class SourceSessions {
  private SourceSessions() {
  }

  /** Opens source {@code name} of {@code type} with these settings and driver properties. */
  public static Source open(String name, String type, Map<String, Object> settings,
      Map<String, String> properties) {
    SourceSpec spec = new SourceSpec(name, type, settings, List.of(), List.of(), properties,
        Duration.ofMinutes(10));
    for (SourceAdapter adapter : ServiceLoader.load(SourceAdapter.class)) {
      if (adapter.type().equals(type)) {
        return adapter.open(spec);
      }
    }
    throw new IllegalArgumentException("no adapter of type " + type);
  }

  /** A connection from the source's pool, exactly as a query would get one. */
  public static Connection pooledConnection(Source source) throws SQLException {
    return ((JdbcSource) source).dataSource().getConnection();
  }
}
