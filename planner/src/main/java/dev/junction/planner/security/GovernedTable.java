package dev.junction.planner.security;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

import com.google.common.collect.ImmutableList;

import java.util.ArrayList;
import java.util.List;

/**
 * A table as one caller may read it under the rule that lets them: its hidden columns
 * removed, masked columns replaced by their masks, and only the rows its row filter keeps.
 *
 * <p>Design: the table expands, when a query is converted to relational algebra, into
 * {@code Project[masks](Filter[ROW_FILTER(f)](scan))}, below every operator of the user's
 * query; the optimizer then pushes filter and projection into the source's SQL like any
 * other. Where the rule has a row filter, every column leaves the table wrapped as
 * {@code GUARD(value, f)} ({@link PolicyOperators}), so that when the optimizer merges a
 * user's predicate into the same WHERE as the filter, {@link PolicyGuards} can still tell
 * which predicates touch governed values and make each one that could fail or leak
 * evaluate only after the filter holds.
 */
final class GovernedTable extends AbstractTable implements TranslatableTable {
  /** Types for reading column names in {@link #getStatistic()}, which has no factory. */
  private static final RelDataTypeFactory TYPES =
      new org.apache.calcite.jdbc.JavaTypeFactoryImpl(
          dev.junction.planner.types.JunctionTypeSystem.INSTANCE);

  private final Table inner;
  private final List<String> path;
  private final PolicyRule rule;
  private final Access access;
  private final Principal principal;

  GovernedTable(Table inner, List<String> path, PolicyRule rule, Access access) {
    this.inner = inner;
    this.path = List.copyOf(path);
    this.rule = rule;
    this.access = access;
    this.principal = access.principal();
  }

  /** The rule this table is read under. */
  PolicyRule rule() {
    return rule;
  }

  /** One column as the caller sees it: its source field and its mask, if any. */
  private record Column(RelDataTypeField field, PolicyRule.ColumnRule columnRule) {
    String mask() {
      return columnRule == null ? null : columnRule.mask();
    }
  }

  private List<Column> columns(RelDataType innerType) {
    List<Column> out = new ArrayList<>();
    for (RelDataTypeField f : innerType.getFieldList()) {
      PolicyRule.ColumnRule c = rule.column(f.getName());
      if (c == null || c.allowed()) {
        out.add(new Column(f, c));
      }
    }
    return out;
  }

  /** The row type last computed, with the factory it was computed for. */
  private volatile Object[] rowType;
  private volatile Statistic statistic;
  private volatile Object[] compiledFor;

  /** The row type, computed once per type factory (masks are compiled to type it). */
  @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    Object[] memo = rowType;
    if (memo != null && memo[0] == typeFactory) {
      return (RelDataType) memo[1];
    }
    RelDataType computed = computeRowType(typeFactory);
    rowType = new Object[] {typeFactory, computed};
    return computed;
  }

  private RelDataType computeRowType(RelDataTypeFactory typeFactory) {
    RelOptCluster cluster = RelOptCluster.create(new HepPlanner(HepProgram.builder().build()),
        new RexBuilder(typeFactory));
    RelDataType innerType = inner.getRowType(typeFactory);
    List<RexNode> fields = new ArrayList<>();
    for (RelDataTypeField f : innerType.getFieldList()) {
      fields.add(cluster.getRexBuilder().makeInputRef(f.getType(), f.getIndex()));
    }
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (Column c : columns(innerType)) {
      b.add(c.field().getName(), c.mask() == null ? c.field().getType()
          : mask(c, innerType, fields, cluster).getType());
    }
    return b.build();
  }

  @Override public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    RelOptCluster cluster = context.getCluster();
    RexBuilder rex = cluster.getRexBuilder();
    RelDataType innerType = inner.getRowType(cluster.getTypeFactory());
    RelOptTable innerTable = RelOptTableImpl.create(relOptTable.getRelOptSchema(), innerType,
        ImmutableList.copyOf(relOptTable.getQualifiedName()), inner,
        c -> null);
    RelNode scan = inner instanceof TranslatableTable t ? t.toRel(context, innerTable)
        : org.apache.calcite.rel.logical.LogicalTableScan.create(cluster, innerTable,
            context.getTableHints());
    List<RexNode> fields = new ArrayList<>();
    for (int i = 0; i < innerType.getFieldCount(); i++) {
      fields.add(rex.makeInputRef(scan, i));
    }
    RexNode filter = filter(innerType, fields, cluster);
    RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(cluster,
        relOptTable.getRelOptSchema());
    builder.push(scan);
    boolean guarded = filter != null && !filter.isAlwaysTrue() && !filter.isAlwaysFalse();
    if (filter != null && filter.isAlwaysFalse()) {
      builder.filter(rex.makeLiteral(false));
    } else if (guarded) {
      builder.filter(rex.makeCall(PolicyOperators.ROW_FILTER, filter));
    }
    List<RexNode> values = new ArrayList<>();
    List<String> names = new ArrayList<>();
    RelDataType declared = relOptTable.getRowType();
    for (Column c : columns(innerType)) {
      RexNode value = c.mask() == null ? fields.get(c.field().getIndex())
          : mask(c, innerType, fields, cluster);
      RelDataType type = declared.getField(c.field().getName(), true, false).getType();
      if (!value.getType().equals(type)) {
        value = rex.makeCast(type, value, true, false);
      }
      if (guarded || c.mask() != null) {
        // A mask is always marked, so EXPLAIN can show it as <mask> even where no filter
        // guards it (TRUE: nothing to evaluate first).
        value = rex.makeCall(type, PolicyOperators.GUARD, List.of(value,
            guarded ? filter : rex.makeLiteral(true), rex.makeLiteral(c.mask() != null)));
      }
      values.add(value);
      names.add(c.field().getName());
    }
    return builder.project(values, names, true).build();
  }

  /**
   * A filter ({@code key} "") or mask compiled once per type factory: expressions over the
   * table's field positions do not depend on the plan they are put in.
   */
  private RexNode compiled(RelOptCluster cluster, String key,
      java.util.function.Supplier<RexNode> compile) {
    Object[] memo = compiledFor;
    if (memo == null || memo[0] != cluster.getTypeFactory()) {
      memo = new Object[] {cluster.getTypeFactory(),
          new java.util.concurrent.ConcurrentHashMap<String, RexNode>()};
      compiledFor = memo;
    }
    @SuppressWarnings("unchecked")
    java.util.Map<String, RexNode> map = (java.util.Map<String, RexNode>) memo[1];
    RexNode node = map.get(key);
    if (node == null) {
      node = compile.get();
      map.put(key, node);
    }
    return node;
  }

  /**
   * The rule's row filter over the table's fields; FALSE when an attribute is missing
   * ({@link RuleCompiler#filter}).
   */
  private RexNode filter(RelDataType innerType, List<RexNode> fields, RelOptCluster cluster) {
    if (rule.filter() == null) {
      return null;
    }
    try {
      return compiled(cluster, "", () -> RuleCompiler.filter(rule.filter(), principal,
          innerType, fields, cluster));
    } catch (PolicyExpressions.InvalidExpressionException e) {
      throw invalid("row filter", e.getMessage(), e);
    }
  }

  /** A column's mask; NULL when an attribute is missing ({@link RuleCompiler#mask}). */
  private RexNode mask(Column c, RelDataType innerType, List<RexNode> fields,
      RelOptCluster cluster) {
    try {
      return compiled(cluster, c.field().getName(), () -> RuleCompiler.mask(c.mask(),
          principal, innerType, fields, cluster));
    } catch (PolicyExpressions.InvalidExpressionException e) {
      throw invalid("mask of column '" + c.field().getName() + "'", e.getMessage(), e);
    }
  }

  private JunctionException invalid(String what, String reason, Throwable cause) {
    return new JunctionException(ErrorCode.CONFIG_INVALID, "the access policy for table '"
        + String.join(".", path) + "' cannot be applied: the " + what + " of the rule at"
        + " line " + rule.line() + " of " + access.policyFile().getFileName() + " is invalid ("
        + reason + "); the table cannot be read until the policy is fixed", cause);
  }

  /**
   * The source table's row count (the filter's selectivity is the optimizer's guess, as
   * for any filter) and its keys, where every key column is visible.
   */
  @Override public Statistic getStatistic() {
    Statistic memo = statistic;
    if (memo == null) {
      memo = computeStatistic();
      statistic = memo;
    }
    return memo;
  }

  private Statistic computeStatistic() {
    Statistic s = inner.getStatistic();
    List<ImmutableBitSet> keys = new ArrayList<>();
    if (s.getKeys() != null) {
      RelDataType innerType = inner.getRowType(TYPES);
      List<Column> cols = columns(innerType);
      for (ImmutableBitSet key : s.getKeys()) {
        ImmutableBitSet.Builder mapped = ImmutableBitSet.builder();
        boolean ok = true;
        for (int i : key) {
          int at = -1;
          for (int j = 0; j < cols.size(); j++) {
            if (cols.get(j).field().getIndex() == i && cols.get(j).mask() == null) {
              at = j;
            }
          }
          if (at < 0) {
            ok = false;
            break;
          }
          mapped.set(at);
        }
        if (ok) {
          keys.add(mapped.build());
        }
      }
    }
    return Statistics.of(s.getRowCount() == null ? 100d : s.getRowCount(), keys, null, null);
  }

  @Override public Schema.TableType getJdbcTableType() {
    return inner.getJdbcTableType();
  }

  @Override public String toString() {
    return "GovernedTable{" + String.join(".", path) + "}";
  }
}
