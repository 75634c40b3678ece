package dev.junction.driver;

import dev.junction.driver.system.SystemSchema;
import dev.junction.planner.catalog.Catalog;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Keys;
import dev.junction.spi.Source;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteMetaImpl;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JunctionMetaBridge;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * DatabaseMetaData over the federated catalog: sources are catalogs, remote schemas are
 * schemas, and keys and indexes come from each source's own metadata, so DBeaver's
 * navigator and ER diagrams work. Listings read only names (one remote call per schema,
 * cached); columns are read only for the tables asked about.
 */
final class JunctionMeta extends JunctionMetaBridge {
  private static final Logger LOG = LoggerFactory.getLogger(JunctionMeta.class);

  private final CalciteConnection connection;
  private final Supplier<Catalog> catalog;

  JunctionMeta(CalciteConnection connection, Supplier<Catalog> catalog) {
    super(connection);
    this.connection = connection;
    this.catalog = catalog;
  }

  private List<Source> sources(String catalogName) {
    Catalog c = catalog.get();
    if (c == null) {
      return List.of();
    }
    List<Source> result = new ArrayList<>();
    for (Source s : c.sources().values()) {
      if ((catalogName == null || s.name().equals(catalogName)) && mounted(s) != null) {
        result.add(s);
      }
    }
    return result;
  }

  /**
   * A source as this connection sees it: the schema mounted under its name, which under
   * an access policy shows only what the caller may read; null when it is not mounted.
   */
  private Schema mounted(Source s) {
    var mounted = connection.getRootSchema().subSchemas().get(s.name());
    // The schema itself, not Calcite's caching wrapper around it: a refresh must show.
    return mounted == null ? null : mounted.unwrap(CalciteSchema.class).schema;
  }

  /**
   * The columns of a table this connection may see, or null when it may not see the
   * table; keys and indexes are listed only over these.
   */
  private java.util.Set<String> visibleColumns(Source s, String schema, String table) {
    Schema mounted = mounted(s);
    Schema sub = mounted == null ? null : mounted.subSchemas().get(schema);
    Table t = sub == null ? null : sub.tables().get(table);
    if (t == null) {
      return null;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    t.getRowType(connection.getTypeFactory()).getFieldList()
        .forEach(f -> names.add(f.getName()));
    return names;
  }

  private static Predicate<String> like(Pat pattern) {
    if (pattern == null || pattern.s == null) {
      return s -> true;
    }
    var m = LikePattern.matcher(pattern.s);
    return m::apply;
  }

  private static List<String> sorted(java.util.Set<String> names) {
    List<String> list = new ArrayList<>(names);
    list.sort(null);
    return list;
  }

  @Override public MetaResultSet getCatalogs(ConnectionHandle ch) {
    List<MetadataRows.CatalogRow> rows = new ArrayList<>();
    for (Source s : sources(null)) {
      rows.add(new MetadataRows.CatalogRow(s.name()));
    }
    if (systemSchema() != null) {
      rows.add(new MetadataRows.CatalogRow(SystemSchema.NAME));
    }
    return rows(MetadataRows.CatalogRow.class, CalciteMetaImpl.CATALOG_COLUMNS, rows);
  }

  /**
   * The remote schema names of a source. When listing across all sources, a source that
   * cannot be reached is left out with a warning, so one bad source does not hide the
   * others in a navigator; asked for by name, its error is reported.
   */
  private List<String> schemaNames(Source s, String catalogName) {
    try {
      return sorted(mounted(s).subSchemas().getNames(LikePattern.any()));
    } catch (JunctionException e) {
      if (catalogName != null) {
        throw e;
      }
      LOG.warn("metadata listing skips source '{}': {}", s.name(), e.getMessage());
      return List.of();
    }
  }

  /**
   * The schema names of several sources, read at the same time: the first listing of a
   * catalog opens every source's connection pool, and one after another they add up (a
   * DuckDB file takes ~0.7 s to open here, a PostgreSQL pool ~0.5 s).
   */
  private java.util.Map<Source, List<String>> schemaNames(List<Source> sources,
      String catalogName) {
    java.util.Map<Source, List<String>> out = new java.util.LinkedHashMap<>();
    if (sources.size() < 2) {
      sources.forEach(s -> out.put(s, schemaNames(s, catalogName)));
      return out;
    }
    List<java.util.concurrent.CompletableFuture<List<String>>> futures = new ArrayList<>();
    for (Source s : sources) {
      futures.add(java.util.concurrent.CompletableFuture.supplyAsync(
          () -> schemaNames(s, catalogName), LISTING));
    }
    for (int i = 0; i < sources.size(); i++) {
      try {
        out.put(sources.get(i), futures.get(i).join());
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    return out;
  }

  /** Threads that list sources side by side; idle ones end after a minute. */
  private static final ExecutorService LISTING = listingThreads();

  private static ExecutorService listingThreads() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "junction-metadata-listing");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override public MetaResultSet getSchemas(ConnectionHandle ch, String catalogName,
      Pat schemaPattern) {
    List<MetadataRows.SchemaRow> rows = new ArrayList<>();
    Predicate<String> match = like(schemaPattern);
    var names = schemaNames(sources(catalogName), catalogName);
    for (Source s : names.keySet()) {
      for (String schema : names.get(s)) {
        if (match.test(schema)) {
          rows.add(new MetadataRows.SchemaRow(s.name(), schema));
        }
      }
    }
    return rows(MetadataRows.SchemaRow.class, CalciteMetaImpl.SCHEMA_COLUMNS, rows);
  }

  /** One table of the catalog with the names it is listed under. */
  private record Found(String catalog, String schema, String name, Table table) {
  }

  /**
   * The {@code junction} system schema as this connection sees it, or null when the policy
   * grants none of it.
   */
  private Schema systemSchema() {
    var mounted = connection.getRootSchema().subSchemas().get(SystemSchema.NAME);
    return mounted == null ? null : mounted.unwrap(CalciteSchema.class).schema;
  }

  /**
   * The system tables matching a listing: catalog {@code junction}, no schema (they are
   * named {@code junction.table}), so a schema pattern other than none or {@code %}
   * matches none of them.
   */
  private List<Found> systemTables(String catalogName, Pat schemaPattern, Pat tablePattern) {
    Schema system = systemSchema();
    boolean anySchema = schemaPattern == null || schemaPattern.s == null
        || schemaPattern.s.isEmpty() || schemaPattern.s.equals("%");
    if (system == null || !anySchema
        || catalogName != null && !catalogName.equals(SystemSchema.NAME)) {
      return List.of();
    }
    Predicate<String> tableMatch = like(tablePattern);
    List<Found> found = new ArrayList<>();
    for (String t : sorted(system.tables().getNames(LikePattern.any()))) {
      if (tableMatch.test(t)) {
        found.add(new Found(SystemSchema.NAME, null, t, system.tables().get(t)));
      }
    }
    return found;
  }

  private List<Found> tables(String catalogName, Pat schemaPattern, Pat tablePattern) {
    List<Found> found = new ArrayList<>();
    found.addAll(systemTables(catalogName, schemaPattern, tablePattern));
    Predicate<String> schemaMatch = like(schemaPattern);
    Predicate<String> tableMatch = like(tablePattern);
    var names = schemaNames(sources(catalogName), catalogName);
    for (Source s : names.keySet()) {
      for (String schemaName : names.get(s)) {
        if (!schemaMatch.test(schemaName)) {
          continue;
        }
        Schema schema = mounted(s).subSchemas().get(schemaName);
        if (schema == null) {
          continue;
        }
        for (String t : sorted(schema.tables().getNames(LikePattern.any()))) {
          if (tableMatch.test(t)) {
            found.add(new Found(s.name(), schemaName, t, schema.tables().get(t)));
          }
        }
      }
    }
    return found;
  }

  @Override public MetaResultSet getTables(ConnectionHandle ch, String catalogName,
      Pat schemaPattern, Pat tableNamePattern, List<String> typeList) {
    List<MetadataRows.TableRow> rows = new ArrayList<>();
    for (Found f : tables(catalogName, schemaPattern, tableNamePattern)) {
      String type = f.table() == null ? "TABLE" : f.table().getJdbcTableType().jdbcName;
      if (typeList == null || typeList.contains(type)) {
        Source source = f.schema() == null ? null : catalog.get().sources().get(f.catalog());
        rows.add(new MetadataRows.TableRow(f.catalog(), f.schema(), f.name(), type,
            source == null ? null : source.tableRemarks(f.schema(), f.name())));
      }
    }
    return rows(MetadataRows.TableRow.class, CalciteMetaImpl.TABLE_COLUMNS, rows);
  }

  @Override public MetaResultSet getColumns(ConnectionHandle ch, String catalogName,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    List<MetadataRows.ColumnRow> rows = new ArrayList<>();
    Predicate<String> columnMatch = like(columnNamePattern);
    for (Found f : tables(catalogName, schemaPattern, tableNamePattern)) {
      if (f.table() == null) {
        continue;
      }
      Source source = f.schema() == null ? null : catalog.get().sources().get(f.catalog());
      RelDataType rowType = f.table().getRowType(connection.getTypeFactory());
      for (RelDataTypeField field : rowType.getFieldList()) {
        if (!columnMatch.test(field.getName())) {
          continue;
        }
        RelDataType type = field.getType();
        SqlTypeName typeName = type.getSqlTypeName();
        Integer size = columnSize(type);
        Integer scale = typeName.allowsScale() ? Integer.valueOf(type.getScale())
            : SqlTypeName.DATETIME_TYPES.contains(typeName) && typeName != SqlTypeName.DATE
                ? Integer.valueOf(fractionalDigits(type)) : null;
        boolean numeric = SqlTypeName.NUMERIC_TYPES.contains(typeName);
        boolean character = SqlTypeName.CHAR_TYPES.contains(typeName);
        rows.add(new MetadataRows.ColumnRow(f.catalog(), f.schema(), f.name(),
            field.getName(), typeName.getJdbcOrdinal(), typeLabel(type), size, scale,
            numeric ? 10 : null,
            type.isNullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
            source == null ? null : source.columnRemarks(f.schema(), f.name(), field.getName()),
            character ? size : null, field.getIndex() + 1,
            source == null ? null : source.columnDefault(f.schema(), f.name(),
                field.getName())));
      }
    }
    return rows(MetadataRows.ColumnRow.class, CalciteMetaImpl.COLUMN_COLUMNS, rows);
  }

  /**
   * COLUMN_SIZE as JDBC defines it: the precision of numbers; the length in characters of
   * text and binary (Integer.MAX_VALUE when unbounded, as PostgreSQL reports {@code text});
   * for date and time types the length of their text form at full fractional precision
   * ({@code 2024-01-31} is 10, {@code 2024-01-31 12:00:00.000} is 23); null where it does
   * not apply.
   */
  static Integer columnSize(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    int fraction = fractionalDigits(type);
    int withFraction = fraction > 0 ? fraction + 1 : 0;
    Integer datetime = switch (name) {
      case DATE -> 10;
      case TIME, TIME_WITH_LOCAL_TIME_ZONE -> 8 + withFraction;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 19 + withFraction;
      case TIME_TZ -> 8 + withFraction + 6;
      case TIMESTAMP_TZ -> 19 + withFraction + 6;
      default -> null;
    };
    if (datetime != null) {
      return datetime;
    }
    if (SqlTypeName.CHAR_TYPES.contains(name) || SqlTypeName.BINARY_TYPES.contains(name)) {
      int p = type.getPrecision();
      return p == RelDataType.PRECISION_NOT_SPECIFIED || p <= 0 ? Integer.MAX_VALUE : p;
    }
    if (SqlTypeName.NUMERIC_TYPES.contains(name)) {
      int p = type.getPrecision();
      return p == RelDataType.PRECISION_NOT_SPECIFIED ? null : p;
    }
    return null;
  }

  /** Digits after the seconds' decimal point of a time or timestamp type (0 for others). */
  private static int fractionalDigits(RelDataType type) {
    int p = type.getPrecision();
    return SqlTypeName.DATETIME_TYPES.contains(type.getSqlTypeName())
        && p != RelDataType.PRECISION_NOT_SPECIFIED && type.getSqlTypeName() != SqlTypeName.DATE
        ? p : 0;
  }

  /** The type name shown to tools: the SQL type with element type for arrays. */
  private static String typeLabel(RelDataType type) {
    if (type.getSqlTypeName() == SqlTypeName.ARRAY && type.getComponentType() != null) {
      return type.getComponentType().getSqlTypeName().getName() + " ARRAY";
    }
    return type.getSqlTypeName().getName();
  }

  @Override public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalogName,
      String schema, String table) {
    List<MetadataRows.PrimaryKeyRow> rows = new ArrayList<>();
    for (Source s : sources(catalogName)) {
      for (Found f : tables(s.name(), exact(schema), exact(table))) {
        java.util.Set<String> visible = visibleColumns(s, f.schema(), f.name());
        List<Keys.KeyColumn> key = s.primaryKeys(f.schema(), f.name());
        if (visible == null
            || !key.stream().allMatch(k -> visible.contains(k.column()))) {
          continue;
        }
        for (Keys.KeyColumn k : key) {
          rows.add(new MetadataRows.PrimaryKeyRow(s.name(), f.schema(), f.name(), k.column(),
              (short) k.sequence(), k.keyName()));
        }
      }
    }
    return rows(MetadataRows.PrimaryKeyRow.class, MetadataRows.PRIMARY_KEY_COLUMNS, rows);
  }

  @Override public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalogName,
      String schema, String table) {
    return foreignKeys(catalogName, schema, table, true);
  }

  @Override public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalogName,
      String schema, String table) {
    return foreignKeys(catalogName, schema, table, false);
  }

  private MetaResultSet foreignKeys(String catalogName, String schema, String table,
      boolean imported) {
    List<MetadataRows.ForeignKeyRow> rows = new ArrayList<>();
    for (Source s : sources(catalogName)) {
      for (Found f : tables(s.name(), exact(schema), exact(table))) {
        List<Keys.ForeignKeyColumn> keys = imported
            ? s.importedKeys(f.schema(), f.name()) : s.exportedKeys(f.schema(), f.name());
        for (Keys.ForeignKeyColumn k : keys) {
          java.util.Set<String> pk = visibleColumns(s, k.pkSchema(), k.pkTable());
          java.util.Set<String> fk = visibleColumns(s, k.fkSchema(), k.fkTable());
          if (pk != null && fk != null && pk.contains(k.pkColumn())
              && fk.contains(k.fkColumn())) {
            rows.add(new MetadataRows.ForeignKeyRow(s.name(), k));
          }
        }
      }
    }
    return rows(MetadataRows.ForeignKeyRow.class, MetadataRows.FOREIGN_KEY_COLUMNS, rows);
  }

  @Override public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalogName,
      String schema, String table, boolean unique, boolean approximate) {
    List<MetadataRows.IndexRow> rows = new ArrayList<>();
    for (Source s : sources(catalogName)) {
      for (Found f : tables(s.name(), exact(schema), exact(table))) {
        java.util.Set<String> visible = visibleColumns(s, f.schema(), f.name());
        for (Keys.IndexColumn i : s.indexes(f.schema(), f.name(), unique)) {
          boolean governed = catalog.get().policy().isPresent();
          if (visible != null && (i.column() == null ? !governed
              : visible.contains(i.column()))) {
            rows.add(new MetadataRows.IndexRow(s.name(), i));
          }
        }
      }
    }
    return rows(MetadataRows.IndexRow.class, MetadataRows.INDEX_COLUMNS, rows);
  }

  /**
   * The functions a query can call: Calcite's standard operator table, less operators
   * written as symbols ({@code +}, {@code LIKE}), internal functions ({@code $HISTOGRAM},
   * {@code SINGLE_VALUE}), MATCH_RECOGNIZE-only and streaming window functions. Sources
   * do not contribute functions: Junction plans every function itself.
   */
  @Override public MetaResultSet getFunctions(ConnectionHandle ch, String catalogName,
      Pat schemaPattern, Pat functionNamePattern) {
    List<MetadataRows.FunctionRow> rows = new ArrayList<>();
    if (catalogName == null || catalogName.isEmpty()) {
      Predicate<String> match = like(functionNamePattern);
      for (var e : callableFunctions().entrySet()) {
        if (match.test(e.getKey())) {
          rows.add(new MetadataRows.FunctionRow(e.getKey(), e.getValue().remarks(),
              e.getValue().type()));
        }
      }
    }
    return rows(MetadataRows.FunctionRow.class, MetadataRows.FUNCTION_COLUMNS, rows);
  }

  /** A function listed by getFunctions: what kind it is and its JDBC FUNCTION_TYPE. */
  private record Callable(String remarks, short type) {
  }

  /** Callable functions by name, sorted; see {@link #getFunctions}. */
  static java.util.SortedMap<String, Callable> callableFunctions() {
    java.util.SortedMap<String, Callable> out = new java.util.TreeMap<>();
    for (SqlOperator op : SqlStdOperatorTable.instance().getOperatorList()) {
      if (!(op instanceof SqlFunction f) || !op.getName().matches("[A-Z][A-Z0-9_]*")
          || op.getKind() == SqlKind.SINGLE_VALUE || op.isGroup() || op.isGroupAuxiliary()
          || f.getFunctionType() == SqlFunctionCategory.MATCH_RECOGNIZE) {
        continue;
      }
      boolean table = f.getFunctionType().isTableFunction();
      String kind = op instanceof SqlAggFunction ? "aggregate function"
          : table ? "table function"
          : f.getFunctionType().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + " function";
      out.putIfAbsent(op.getName(), new Callable(kind, (short) (table
          ? DatabaseMetaData.functionReturnsTable : DatabaseMetaData.functionNoTable)));
    }
    return out;
  }

  /**
   * The types a query can name in a CAST (and that columns are reported as), ordered by
   * DATA_TYPE as JDBC asks; precisions are those of Junction's type system.
   */
  @Override public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    var system = connection.getTypeFactory().getTypeSystem();
    List<MetadataRows.TypeInfoRow> rows = new ArrayList<>();
    for (SqlTypeName t : List.of(SqlTypeName.BOOLEAN, SqlTypeName.TINYINT, SqlTypeName.SMALLINT,
        SqlTypeName.INTEGER, SqlTypeName.BIGINT, SqlTypeName.DECIMAL, SqlTypeName.REAL,
        SqlTypeName.FLOAT, SqlTypeName.DOUBLE, SqlTypeName.CHAR, SqlTypeName.VARCHAR,
        SqlTypeName.BINARY, SqlTypeName.VARBINARY, SqlTypeName.DATE, SqlTypeName.TIME,
        SqlTypeName.TIMESTAMP)) {
      boolean text = SqlTypeName.CHAR_TYPES.contains(t);
      boolean exact = SqlTypeName.EXACT_TYPES.contains(t);
      boolean numeric = SqlTypeName.NUMERIC_TYPES.contains(t);
      boolean datetime = SqlTypeName.DATETIME_TYPES.contains(t);
      Integer precision = t == SqlTypeName.BOOLEAN ? Integer.valueOf(1)
          : datetime ? columnSize(connection.getTypeFactory().createSqlType(t,
              t == SqlTypeName.DATE ? 0 : system.getMaxPrecision(t)))
          : Integer.valueOf(system.getMaxPrecision(t));
      String createParams = t == SqlTypeName.DECIMAL ? "precision,scale"
          : text || SqlTypeName.BINARY_TYPES.contains(t) ? "length"
          : t == SqlTypeName.TIME || t == SqlTypeName.TIMESTAMP ? "precision" : null;
      String prefix = text ? "'" : SqlTypeName.BINARY_TYPES.contains(t) ? "X'"
          : datetime ? t.getName() + " '" : null;
      Short maxScale = t == SqlTypeName.DECIMAL ? Short.valueOf((short) system.getMaxScale(t))
          : exact ? Short.valueOf((short) 0) : null;
      rows.add(new MetadataRows.TypeInfoRow(t.getName(), t.getJdbcOrdinal(), precision,
          prefix, prefix == null ? null : "'", createParams, text, false,
          exact ? Short.valueOf((short) 0) : null, maxScale, numeric ? 10 : null));
    }
    rows.sort(java.util.Comparator.comparingInt(r -> r.dataType));
    return rows(MetadataRows.TypeInfoRow.class, MetadataRows.TYPE_INFO_COLUMNS, rows);
  }

  /** A pattern matching exactly one name (or anything, for null). */
  private static Pat exact(String name) {
    if (name == null) {
      return Pat.of(null);
    }
    return Pat.of(name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%"));
  }
}
