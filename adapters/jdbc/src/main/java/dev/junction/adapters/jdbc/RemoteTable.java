package dev.junction.adapters.jdbc;

import org.apache.calcite.adapter.jdbc.JdbcTable;
import org.apache.calcite.adapter.jdbc.JunctionJdbcTables;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.util.ImmutableBitSet;

import com.google.common.base.Suppliers;

import dev.junction.spi.ColumnStatistics;
import dev.junction.spi.Keys;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * One remote table. It scans through Calcite's JDBC convention of its source (so every
 * operator Calcite can push is pushed), but its row type comes from {@link TypeMapping}
 * and its statistics (row count, primary key) from the source's catalog, which Calcite's
 * own JDBC table does not provide and join ordering needs.
 */
final class RemoteTable extends AbstractTable implements TranslatableTable, ColumnStatistics {
  private final RemoteSchema schema;
  private final String name;
  private final Schema.TableType type;
  private final JdbcTable jdbcTable;
  private final Supplier<List<ColumnSpec>> columns;
  private final Supplier<Statistic> statistic;

  RemoteTable(RemoteSchema schema, String name, Schema.TableType type) {
    this.schema = schema;
    this.name = name;
    this.type = type;
    RemoteScope scope = schema.scope();
    this.jdbcTable = JunctionJdbcTables.create(schema.calciteSchema(), scope.catalog(),
        scope.schema(), name, type);
    JdbcSource source = schema.source();
    this.columns = Suppliers.memoize(() -> source.withMetadata(md ->
        source.adapter().columns(md, scope, name)));
    this.statistic = Suppliers.memoize(this::readStatistic);
  }

  List<ColumnSpec> columns() {
    return columns.get();
  }

  @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (ColumnSpec c : columns()) {
      b.add(c.name(), schema.source().adapter().mapType(typeFactory, c));
    }
    return b.build();
  }

  private Statistic readStatistic() {
    List<Keys.KeyColumn> pk = schema.source().primaryKeys(schema.name(), name);
    List<ImmutableBitSet> keys = List.of();
    if (!pk.isEmpty()) {
      List<String> names = columns().stream().map(ColumnSpec::name).toList();
      ImmutableBitSet.Builder key = ImmutableBitSet.builder();
      for (Keys.KeyColumn k : pk) {
        int i = names.indexOf(k.column());
        if (i >= 0) {
          key.set(i);
        }
      }
      keys = List.of(key.build());
    }
    return Statistics.of(schema.rowCount(name), keys, null, null);
  }

  @Override public Statistic getStatistic() {
    return statistic.get();
  }

  @Override public OptionalDouble distinctValues(int ordinal) {
    List<ColumnSpec> cols = columns();
    if (ordinal < 0 || ordinal >= cols.size()) {
      return OptionalDouble.empty();
    }
    Double n = schema.columnStatistics(name).distinctValues().get(cols.get(ordinal).name());
    return n == null ? OptionalDouble.empty() : OptionalDouble.of(n);
  }

  @Override public OptionalDouble rangeShare(int ordinal, double low, double high) {
    List<ColumnSpec> cols = columns();
    if (ordinal < 0 || ordinal >= cols.size()) {
      return OptionalDouble.empty();
    }
    ColumnHistogram h = schema.columnStatistics(name).histograms().get(cols.get(ordinal).name());
    return h == null ? OptionalDouble.empty() : OptionalDouble.of(h.share(low, high));
  }

  @Override public Schema.TableType getJdbcTableType() {
    return type;
  }

  @Override public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return jdbcTable.toRel(context, relOptTable);
  }

  @Override public <C> C unwrap(Class<C> aClass) {
    if (aClass.isInstance(this)) {
      return aClass.cast(this);
    }
    if (aClass.isInstance(jdbcTable)) {
      return aClass.cast(jdbcTable);
    }
    return jdbcTable.unwrap(aClass);
  }

  @Override public String toString() {
    return "RemoteTable{" + schema.source().name() + "." + schema.name() + "." + name + "}";
  }
}
