package dev.junction.adapters.jdbc;

import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.SchemaVersion;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.Wrapper;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;

import java.util.Collection;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The Calcite schema of a whole source: it has no tables of its own and one sub-schema
 * per exposed remote schema. It unwraps to the source's {@link DataSource}, which is how
 * code Calcite generates for the source's convention reaches the pool.
 */
final class SourceSchema implements Schema, Wrapper {
  private final JdbcSource source;
  private final Lookup<RemoteSchema> subSchemas;

  SourceSchema(JdbcSource source) {
    this.source = source;
    this.subSchemas = new NameLookup<>(source::schemaNames, source::remoteSchema);
  }

  @Override public Lookup<Table> tables() {
    return Lookup.empty();
  }

  @Override public Lookup<? extends Schema> subSchemas() {
    return subSchemas;
  }

  @Deprecated @Override public Table getTable(String name) {
    return null;
  }

  @Deprecated @Override public Set<String> getTableNames() {
    return Set.of();
  }

  @Deprecated @Override public Schema getSubSchema(String name) {
    return subSchemas.get(name);
  }

  @Deprecated @Override public Set<String> getSubSchemaNames() {
    return subSchemas.getNames(LikePattern.any());
  }

  @Override public RelProtoDataType getType(String name) {
    return null;
  }

  @Override public Set<String> getTypeNames() {
    return Set.of();
  }

  @Override public Collection<Function> getFunctions(String name) {
    return Set.of();
  }

  @Override public Set<String> getFunctionNames() {
    return Set.of();
  }

  @Override public Expression getExpression(SchemaPlus parentSchema, String name) {
    return Schemas.subSchemaExpression(parentSchema, name, SourceSchema.class);
  }

  @Override public boolean isMutable() {
    return false;
  }

  @Override public Schema snapshot(SchemaVersion version) {
    return this;
  }

  @Override public <C> C unwrap(Class<C> aClass) {
    if (aClass.isInstance(this)) {
      return aClass.cast(this);
    }
    if (aClass.isInstance(source.dataSource())) {
      return aClass.cast(source.dataSource());
    }
    return null;
  }

  @Override public String toString() {
    return "SourceSchema{" + source.name() + "}";
  }
}
