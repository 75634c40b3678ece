package dev.junction.spi;

import org.apache.calcite.schema.Schema;

import java.util.List;

/**
 * An opened source: the Calcite schema the planner mounts under the source's name, plus
 * the catalog metadata Calcite has no place for (keys, indexes, remarks).
 *
 * <p>Implementations connect lazily, cache remote metadata for the spec's TTL and are
 * safe to share between connections and threads.
 */
public interface Source extends AutoCloseable {

  /** The source name from the catalog file. */
  String name();

  /** The adapter type, e.g. {@code duckdb}. */
  String type();

  /**
   * The schema mounted as {@code name}; its sub-schemas are the remote schemas, so tables
   * are addressed as {@code source.schema.table}.
   */
  Schema schema();

  /** Connects and runs a trivial query; throws {@link JunctionException} if unreachable. */
  void check();

  /** Forgets cached metadata so the next lookup reads the remote catalog again. */
  void refresh();

  /** Primary key columns of a table, in key order. */
  default List<Keys.KeyColumn> primaryKeys(String schema, String table) {
    return List.of();
  }

  /** Foreign key columns of a table (the keys it imports). */
  default List<Keys.ForeignKeyColumn> importedKeys(String schema, String table) {
    return List.of();
  }

  /** Foreign key columns elsewhere that reference a table (the keys it exports). */
  default List<Keys.ForeignKeyColumn> exportedKeys(String schema, String table) {
    return List.of();
  }

  /** Index columns of a table, where the source has indexes. */
  default List<Keys.IndexColumn> indexes(String schema, String table, boolean uniqueOnly) {
    return List.of();
  }

  /** The remark (comment) of a column, or null. */
  default String columnRemarks(String schema, String table, String column) {
    return null;
  }

  /** How a column is filled when an insert leaves it out, or null when unknown. */
  default Keys.ColumnDefault columnDefault(String schema, String table, String column) {
    return null;
  }

  /** The remark (comment) of a table, or null. */
  default String tableRemarks(String schema, String table) {
    return null;
  }

  /**
   * The source's pool and reachability now, read without connecting. Unknown and unpooled
   * by default.
   */
  default SourceStatus status() {
    return new SourceStatus(name(), type(), java.util.Optional.empty(),
        SourceStatus.Reachability.UNKNOWN, java.util.Optional.empty(),
        java.util.Optional.empty());
  }

  /** Releases pooled connections. */
  @Override void close();
}
