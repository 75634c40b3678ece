package dev.junction.planner.security;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Source;

import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written source for policy tests: the real adapters live in modules the planner
 * must not depend on. Its schemas and tables exist in memory only (a table has columns and
 * no rows); {@link #down} makes every listing fail as an unreachable database would.
 */
final class FakeSource implements Source {
  private final String name;
  private final Map<String, Map<String, Table>> schemas = new LinkedHashMap<>();
  private boolean down;

  FakeSource(String name) {
    this.name = name;
  }

  /**
   * Adds a table; {@code columns} alternate names and types:
   * {@code "id", SqlTypeName.INTEGER, "name", SqlTypeName.VARCHAR}.
   */
  FakeSource table(String schema, String table, Object... columns) {
    schemas.computeIfAbsent(schema, s -> new LinkedHashMap<>())
        .put(table, new FakeTable(columns));
    return this;
  }

  /** Makes every listing fail. */
  FakeSource down() {
    down = true;
    return this;
  }

  @Override public String name() {
    return name;
  }

  @Override public String type() {
    return "fake";
  }

  @Override public Schema schema() {
    if (down) {
      throw new JunctionException(ErrorCode.SOURCE_UNAVAILABLE, "source '" + name
          + "' is unreachable: connection refused");
    }
    return new AbstractSchema() {
      @Override protected Map<String, Schema> getSubSchemaMap() {
        Map<String, Schema> out = new LinkedHashMap<>();
        schemas.forEach((s, tables) -> out.put(s, new AbstractSchema() {
          @Override protected Map<String, Table> getTableMap() {
            return tables;
          }
        }));
        return out;
      }
    };
  }

  @Override public void check() {
    schema();
  }

  @Override public void refresh() {
  }

  @Override public void close() {
  }

  /** A table of columns, scanned as a plain logical scan. */
  static final class FakeTable extends AbstractTable implements TranslatableTable {
    private final List<Object> columns;

    FakeTable(Object... columns) {
      this.columns = List.of(columns);
    }

    @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      RelDataTypeFactory.Builder b = typeFactory.builder();
      for (int i = 0; i < columns.size(); i += 2) {
        b.add((String) columns.get(i), typeFactory.createTypeWithNullability(
            typeFactory.createSqlType((SqlTypeName) columns.get(i + 1)), true));
      }
      return b.build();
    }

    @Override public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable table) {
      return LogicalTableScan.create(context.getCluster(), table, List.of());
    }
  }
}
