package dev.junction.adapters.jdbc;

import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.SchemaVersion;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;

import com.github.benmanes.caffeine.cache.Cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One remote schema as a Calcite schema. Table names (one metadata call for the whole
 * schema), row-count statistics and table definitions are read lazily and cached for
 * the source's metadata TTL, so listing a schema of thousands of tables costs one round
 * trip and a table's columns are read only when a query or the navigator needs them.
 */
final class RemoteSchema implements Schema {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteSchema.class);
  private static final Object KEY = new Object();

  private final JdbcSource source;
  private final String name;
  private final RemoteScope scope;
  private final JdbcSchema calciteSchema;
  private final Cache<Object, Map<String, Listed>> tableNames;
  private final Cache<Object, Map<String, Long>> rowCounts;
  private final Cache<String, Long> singleRowCounts;
  private final Cache<String, TableStatistics> columnStatistics;
  private final Cache<String, RemoteTable> tables;
  private final Lookup<Table> lookup;

  RemoteSchema(JdbcSource source, String name) {
    this.source = source;
    this.name = name;
    this.scope = source.adapter().scope(name);
    this.calciteSchema = new JdbcSchema(source.dataSource(), source.adapter().dialect(),
        source.convention(), scope.catalog(), scope.schema());
    this.tableNames = source.newCache();
    this.rowCounts = source.newCache();
    this.singleRowCounts = source.newCache();
    this.columnStatistics = source.newCache();
    this.tables = source.newCache();
    this.lookup = new NameLookup<>(() -> tableMap().keySet(), this::table);
  }

  /** A table as the schema's listing shows it: its type and its comment (or null). */
  record Listed(TableType type, String remarks) {
  }

  String name() {
    return name;
  }

  RemoteScope scope() {
    return scope;
  }

  JdbcSource source() {
    return source;
  }

  JdbcSchema calciteSchema() {
    return calciteSchema;
  }

  Map<String, Listed> tableMap() {
    return tableNames.get(KEY, k -> source.withMetadata(md -> readTables(md)));
  }

  private Map<String, Listed> readTables(DatabaseMetaData md) throws SQLException {
    Map<String, Listed> result = new LinkedHashMap<>();
    try (ResultSet rs = md.getTables(scope.catalog(),
        JdbcSourceAdapter.escape(md, scope.schema()), "%", source.adapter().tableTypes())) {
      while (rs.next()) {
        String table = rs.getString("TABLE_NAME");
        if (source.patterns().tableVisible(name, table)) {
          String remarks = rs.getString("REMARKS");
          result.put(table, new Listed(tableType(rs.getString("TABLE_TYPE")),
              remarks == null || remarks.isEmpty() ? null : remarks));
        }
      }
    }
    return result;
  }

  private static TableType tableType(String jdbcType) {
    if (jdbcType == null) {
      return TableType.TABLE;
    }
    String t = jdbcType.toUpperCase(java.util.Locale.ROOT);
    return t.contains("VIEW") ? TableType.VIEW : TableType.TABLE;
  }

  RemoteTable table(String table) {
    Listed listed = tableMap().get(table);
    if (listed == null) {
      return null;
    }
    return tables.get(table, t -> new RemoteTable(this, t, listed.type()));
  }

  /** A table's comment from the schema's listing, or null. */
  String remarks(String table) {
    Listed listed = tableMap().get(table);
    return listed == null ? null : listed.remarks();
  }

  /**
   * The estimated row count of a table, or null if the source has no estimate. One
   * catalog query answers the whole schema; a table it misses is asked for alone. Both
   * answers are cached for the metadata TTL in caches that concurrent planners share; a
   * source that cannot answer is logged and planned without statistics.
   */
  Double rowCount(String table) {
    Long n = rowCounts.get(KEY, k -> readRowCounts()).get(table);
    if (n == null) {
      n = singleRowCounts.get(table, this::readRowCount);
    }
    return n < 0 ? null : n.doubleValue();
  }

  /**
   * The statistics the source keeps on the columns of {@code table} (distinct values and
   * histograms, by column name); none when it keeps none or cannot answer. Both are read
   * together and cached together for the metadata TTL.
   */
  TableStatistics columnStatistics(String table) {
    return columnStatistics.get(table, this::readColumnStatistics);
  }

  private TableStatistics readColumnStatistics(String table) {
    Double rows = rowCount(table);
    try (Connection c = source.dataSource().pool().getConnection()) {
      return source.adapter().columnStatistics(c, name, table, rows == null ? -1 : rows);
    } catch (SQLException e) {
      LOG.warn("source '{}': no column statistics for {}.{}, planning without them: {}",
          source.name(), name, table, source.redact(String.valueOf(e.getMessage())));
      return TableStatistics.NONE;
    }
  }

  private Map<String, Long> readRowCounts() {
    try (Connection c = source.dataSource().pool().getConnection()) {
      return Map.copyOf(source.adapter().rowCounts(c, name));
    } catch (SQLException e) {
      LOG.warn("source '{}': no row-count statistics for schema '{}', planning without them:"
          + " {}", source.name(), name, source.redact(String.valueOf(e.getMessage())));
      return Map.of();
    }
  }

  private Long readRowCount(String table) {
    try (Connection c = source.dataSource().pool().getConnection()) {
      OptionalLong one = source.adapter().rowCount(c, name, table);
      return one.isPresent() ? one.getAsLong() : -1L;
    } catch (SQLException e) {
      LOG.warn("source '{}': no row count for {}.{}, planning without it: {}", source.name(),
          name, table, source.redact(String.valueOf(e.getMessage())));
      return -1L;
    }
  }

  @Override public Lookup<Table> tables() {
    return lookup;
  }

  @Override public Lookup<? extends Schema> subSchemas() {
    return Lookup.empty();
  }

  @Deprecated @Override public Table getTable(String tableName) {
    return lookup.get(tableName);
  }

  @Deprecated @Override public Set<String> getTableNames() {
    return lookup.getNames(LikePattern.any());
  }

  @Deprecated @Override public Schema getSubSchema(String subSchemaName) {
    return null;
  }

  @Deprecated @Override public Set<String> getSubSchemaNames() {
    return Set.of();
  }

  @Override public RelProtoDataType getType(String typeName) {
    return null;
  }

  @Override public Set<String> getTypeNames() {
    return Set.of();
  }

  @Override public Collection<Function> getFunctions(String functionName) {
    return Set.of();
  }

  @Override public Set<String> getFunctionNames() {
    return Set.of();
  }

  @Override public Expression getExpression(SchemaPlus parentSchema, String schemaName) {
    return Schemas.subSchemaExpression(parentSchema, schemaName, RemoteSchema.class);
  }

  @Override public boolean isMutable() {
    return false;
  }

  @Override public Schema snapshot(SchemaVersion version) {
    return this;
  }

  @Override public String toString() {
    return "RemoteSchema{" + source.name() + "." + name + "}";
  }
}
