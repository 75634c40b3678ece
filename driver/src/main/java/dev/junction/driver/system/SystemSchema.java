package dev.junction.driver.system;

import dev.junction.planner.security.Access;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code junction} schema of one connection. Without an access policy every caller
 * sees all of its tables; under a policy it is matched by rules as source {@code junction},
 * schema {@code junction}, table by name, like any source (deny by default), and checked
 * again on every scan, so a reloaded policy takes effect at once.
 */
public final class SystemSchema extends AbstractSchema {
  /** The schema's name. */
  public static final String NAME = "junction";

  /** The attribute that lets a caller see every caller's running queries. */
  public static final String SEE_ALL_ATTRIBUTE = "junction-queries";

  /** Every system table; a new one is one line here. */
  static final List<SystemTable> TABLES = List.of(new CacheTable(), new QueriesTable(),
      new SourcesTable(), new LimitsTable());

  private final Map<String, Table> tables = new LinkedHashMap<>();

  private SystemSchema(Access access, Supplier<SystemContext> context) {
    for (SystemTable t : TABLES) {
      if (readable(access, t.name())) {
        tables.put(t.name(), new Scannable(t, access, context));
      }
    }
  }

  /**
   * Mounts the schema in a connection's root schema, with the tables the caller may read
   * (none under a policy that grants nothing in source {@code junction}: then the schema
   * is not mounted at all).
   *
   * @param access the caller's access under the policy, or null without a policy
   * @param context answers the tables for this caller, read at each scan
   */
  public static void mount(SchemaPlus root, Access access, Supplier<SystemContext> context) {
    SystemSchema schema = new SystemSchema(access, context);
    if (!schema.tables.isEmpty()) {
      root.add(NAME, schema);
    }
  }

  /** Whether the caller sees other callers' rows. */
  public static boolean seesEveryone(Access access) {
    return access == null
        || "all".equalsIgnoreCase(access.principal().attributes().get(SEE_ALL_ATTRIBUTE));
  }

  private static boolean readable(Access access, String table) {
    return access == null || access.readRule(NAME, NAME, table).isPresent();
  }

  @Override protected Map<String, Table> getTableMap() {
    return tables;
  }

  /** A system table as Calcite scans it. */
  private static final class Scannable extends AbstractTable implements ScannableTable {
    private final SystemTable table;
    private final Access access;
    private final Supplier<SystemContext> context;

    Scannable(SystemTable table, Access access, Supplier<SystemContext> context) {
      this.table = table;
      this.access = access;
      this.context = context;
    }

    @Override public RelDataType getRowType(RelDataTypeFactory types) {
      return table.rowType(types);
    }

    @Override public Schema.TableType getJdbcTableType() {
      return Schema.TableType.SYSTEM_TABLE;
    }

    @Override public Enumerable<Object[]> scan(DataContext root) {
      if (!readable(access, table.name())) {
        throw new JunctionException(ErrorCode.UNDEFINED_TABLE, "Table '" + NAME + "."
            + table.name() + "' not found");
      }
      return Linq4j.asEnumerable(table.rows(context.get()));
    }
  }
}
