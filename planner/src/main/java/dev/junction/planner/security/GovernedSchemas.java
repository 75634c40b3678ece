package dev.junction.planner.security;

import dev.junction.spi.Source;

import org.apache.calcite.jdbc.CalciteSchema;
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
import org.apache.calcite.schema.lookup.Named;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The catalog as one caller sees it. Each source is mounted as a schema that shows only
 * what the policy lets the caller read: a remote schema with no readable table is absent,
 * a table no rule lets them read is absent, and a readable table is a
 * {@link GovernedTable}. Absent means absent everywhere (name resolution, DatabaseMetaData,
 * error messages), so a denied object and a missing one look the same.
 *
 * <p>A source is mounted when some rule might let the caller read in it, decided from
 * the rules alone so that connecting does not list every source.
 */
public final class GovernedSchemas {
  private GovernedSchemas() {
  }

  /** Mounts the sources the caller may read something in under {@code root}. */
  public static void mount(SchemaPlus root, Collection<Source> sources, Access access) {
    for (Source s : sources) {
      if (access.mayReadSomething(s.name(), null)) {
        SchemaPlus mounted = root.add(s.name(), new SourceView(s, access));
        mounted.setCacheEnabled(false);
      }
    }
  }

  /** The access a connection's root schema was mounted with, if it is governed. */
  public static Optional<Access> access(CalciteSchema root) {
    for (String name : root.subSchemas().getNames(LikePattern.any())) {
      CalciteSchema sub = root.subSchemas().get(name);
      if (sub != null && sub.schema instanceof SourceView v) {
        return Optional.of(v.access);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code schema} is a source mounted for a governed caller. */
  public static boolean isGoverned(Schema schema) {
    return schema instanceof SourceView;
  }

  /** A lookup showing only the entries {@code visible} accepts, mapped by {@code view}. */
  private static final class FilteredLookup<T, R> implements Lookup<R> {
    private final Lookup<? extends T> inner;
    private final Predicate<String> visible;
    private final BiFunction<String, T, R> view;

    FilteredLookup(Lookup<? extends T> inner, Predicate<String> visible,
        BiFunction<String, T, R> view) {
      this.inner = inner;
      this.visible = visible;
      this.view = view;
    }

    @Override public R get(String name) {
      T t = inner.get(name);
      return t == null || !visible.test(name) ? null : view.apply(name, t);
    }

    @Override public Named<R> getIgnoreCase(String name) {
      Named<? extends T> n = inner.getIgnoreCase(name);
      if (n == null || !visible.test(n.name())) {
        return null;
      }
      return new Named<>(n.name(), view.apply(n.name(), n.entity()));
    }

    @Override public Set<String> getNames(LikePattern pattern) {
      return inner.getNames(pattern).stream().filter(visible).collect(Collectors.toSet());
    }
  }

  /** Behaviour shared by the two schema views: no types, no functions, read-only. */
  private abstract static class View implements Schema, Wrapper {
    @Override public RelProtoDataType getType(String name) {
      return null;
    }

    @Override public Set<String> getTypeNames() {
      return Set.of();
    }

    @Override public Collection<Function> getFunctions(String name) {
      return List.of();
    }

    @Override public Set<String> getFunctionNames() {
      return Set.of();
    }

    @Override public boolean isMutable() {
      return false;
    }

    @Override public Schema snapshot(SchemaVersion version) {
      return this;
    }

    @Deprecated @Override public Table getTable(String name) {
      return tables().get(name);
    }

    @Deprecated @Override public Set<String> getTableNames() {
      return tables().getNames(LikePattern.any());
    }

    @Deprecated @Override public Schema getSubSchema(String name) {
      return subSchemas().get(name);
    }

    @Deprecated @Override public Set<String> getSubSchemaNames() {
      return subSchemas().getNames(LikePattern.any());
    }
  }

  /** A source as the caller sees it: the remote schemas they may read a table in. */
  static final class SourceView extends View {
    private final Source source;
    private final Access access;

    SourceView(Source source, Access access) {
      this.source = source;
      this.access = access;
    }

    /** The source behind the view. */
    Source source() {
      return source;
    }

    @Override public Lookup<Table> tables() {
      return Lookup.empty();
    }

    @Override public Lookup<? extends Schema> subSchemas() {
      return new FilteredLookup<Schema, Schema>(source.schema().subSchemas(),
          this::visible, (name, schema) -> new RemoteSchemaView(source.name(), name, schema,
              access));
    }

    /** A remote schema is visible when the caller may read at least one of its tables. */
    private boolean visible(String schemaName) {
      if (!access.mayReadSomething(source.name(), schemaName)) {
        return false;
      }
      Schema schema = source.schema().subSchemas().get(schemaName);
      if (schema == null) {
        return false;
      }
      for (String table : schema.tables().getNames(LikePattern.any())) {
        if (access.readRule(source.name(), schemaName, table).isPresent()) {
          return true;
        }
      }
      return false;
    }

    @Override public Expression getExpression(SchemaPlus parentSchema, String name) {
      return Schemas.subSchemaExpression(parentSchema, name, SourceView.class);
    }

    /**
     * Also the source's own objects (its DataSource): the code Calcite generates for a
     * remote query reaches the source's connections through the mounted schema.
     */
    @Override public <C> C unwrap(Class<C> aClass) {
      if (aClass.isInstance(this)) {
        return aClass.cast(this);
      }
      return source.schema() instanceof Wrapper w ? w.unwrap(aClass) : null;
    }
  }

  /** A remote schema as the caller sees it: the tables they may read, governed. */
  static final class RemoteSchemaView extends View {
    private final String source;
    private final String name;
    private final Schema schema;
    private final Access access;

    RemoteSchemaView(String source, String name, Schema schema, Access access) {
      this.source = source;
      this.name = name;
      this.schema = schema;
      this.access = access;
    }

    @Override public Lookup<Table> tables() {
      return new FilteredLookup<Table, Table>(schema.tables(),
          t -> access.readRule(source, name, t).isPresent(),
          (t, table) -> access.readRule(source, name, t)
              .<Table>map(rule -> access.governed(List.of(source, name, t), rule, table,
                  () -> new GovernedTable(table, List.of(source, name, t), rule, access)))
              .orElse(null));
    }

    @Override public Lookup<? extends Schema> subSchemas() {
      return Lookup.empty();
    }

    @Override public Expression getExpression(SchemaPlus parentSchema, String schemaName) {
      return Schemas.subSchemaExpression(parentSchema, schemaName, RemoteSchemaView.class);
    }

    @Override public <C> C unwrap(Class<C> aClass) {
      if (aClass.isInstance(this)) {
        return aClass.cast(this);
      }
      return null;
    }
  }
}
