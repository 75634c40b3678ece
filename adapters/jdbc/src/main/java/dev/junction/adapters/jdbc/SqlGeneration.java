package dev.junction.adapters.jdbc;

import org.apache.calcite.adapter.jdbc.JdbcCorrelationDataContextBuilderImpl;
import org.apache.calcite.adapter.jdbc.SourceSqlImplementor;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.util.SqlString;
import org.apache.calcite.tools.RelBuilder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns a pushed subtree into the SQL its source receives. Before printing, it reshapes
 * what SQL reads differently from the plan:
 * <ul>
 * <li>literal rows get typed NULLs ({@link #typedValues});</li>
 * <li>the dialect's own rewrites ({@link PushdownDialect#rewriteCall}), such as keeping a
 * DuckDB DECIMAL product within the precision DuckDB holds.</li>
 * </ul>
 */
final class SqlGeneration {
  private SqlGeneration() {
  }

  /**
   * The statement for {@code pushed}; correlation variables become parameters bound from
   * {@code correlations}, or are numbered for display when it is null.
   */
  static SqlString sql(RelNode pushed, SqlDialect dialect,
      JdbcCorrelationDataContextBuilderImpl correlations) {
    return sql(pushed, dialect, correlations, false);
  }

  /**
   * The statement for {@code pushed}, in its optimistic form when {@code optimistic}
   * ({@link PushdownDialect#rewriteCallOptimistic} applied below the blocking root,
   * {@link #blockingInput}), else exact.
   */
  static SqlString sql(RelNode pushed, SqlDialect dialect,
      JdbcCorrelationDataContextBuilderImpl correlations, boolean optimistic) {
    Set<RelNode> region = Collections.newSetFromMap(new IdentityHashMap<>());
    RelNode below = optimistic ? blockingInput(pushed) : null;
    if (below != null) {
      below.accept(new RelHomogeneousShuttle() {
        @Override public RelNode visit(RelNode other) {
          region.add(other);
          return super.visit(other);
        }
      });
    }
    return SourceSqlImplementor.toSql(prepare(pushed, dialect, region::contains), dialect,
        correlations);
  }

  /**
   * The input of the sort or aggregate that {@code pushed} returns through (under
   * projections and filters only), or null. The source computes all of that input before
   * it returns a first row, so an error anywhere in it surfaces before any row does.
   */
  static RelNode blockingInput(RelNode pushed) {
    RelNode node = pushed;
    while (node instanceof Project || node instanceof Filter) {
      node = node.getInput(0);
    }
    if (node instanceof Aggregate
        || node instanceof Sort sort && !sort.getCollation().getFieldCollations().isEmpty()) {
      return node.getInput(0);
    }
    return null;
  }

  /**
   * {@code rel} with typed literal rows and the dialect's rewrites, optimistic at the nodes
   * {@code optimistic} accepts (and in the subqueries of their expressions).
   */
  private static RelNode prepare(RelNode rel, SqlDialect dialect,
      Predicate<RelNode> optimistic) {
    RexBuilder rex = rel.getCluster().getRexBuilder();
    return rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        boolean fast = optimistic.test(other);
        RelNode node = super.visit(other);
        if (dialect instanceof PushdownDialect d) {
          node = node.accept(calls(d, rex, dialect, fast));
        }
        if (node instanceof Values values && (values.getTuples().isEmpty()
            || values.getTuples().stream().flatMap(List::stream)
                .anyMatch(RexLiteral::isNullLiteral))) {
          return typedValues(values);
        }
        return node;
      }
    });
  }

  /** Applies the dialect's rewrites bottom up, into subqueries too. */
  private static RexShuttle calls(PushdownDialect d, RexBuilder rex, SqlDialect dialect,
      boolean optimistic) {
    return new RexShuttle() {
      @Override public RexNode visitCall(RexCall call) {
        RexNode visited = super.visitCall(call);
        if (!(visited instanceof RexCall c)) {
          return visited;
        }
        return optimistic ? d.rewriteCallOptimistic(rex, c) : d.rewriteCall(rex, c);
      }

      @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
        RexSubQuery visited = (RexSubQuery) super.visitSubQuery(subQuery);
        return visited.clone(prepare(visited.rel, dialect, r -> optimistic));
      }
    };
  }

  /**
   * Literal rows whose NULLs carry their column's type. Calcite writes an empty relation
   * (a branch the planner proved empty) as {@code SELECT * FROM (VALUES (NULL)) AS t (id)
   * WHERE 1 = 0}, and a row as {@code VALUES (NULL, 1)}, whose NULL column PostgreSQL
   * types as text ("UNION types integer and text cannot be matched"). Here each row is a
   * projection of typed literals ({@code CAST(NULL AS INTEGER)}) over one row, the rows
   * joined by UNION ALL, and an empty relation is one such row that a false filter removes.
   */
  private static RelNode typedValues(Values values) {
    RelBuilder b = RelFactories.LOGICAL_BUILDER.create(values.getCluster(), null);
    List<String> names = values.getRowType().getFieldNames();
    List<RelNode> rows = new ArrayList<>();
    for (List<RexLiteral> tuple : values.getTuples()) {
      rows.add(typedRow(b, values, tuple, names));
    }
    if (rows.isEmpty()) {
      List<RexLiteral> nulls = new ArrayList<>();
      for (var field : values.getRowType().getFieldList()) {
        nulls.add((RexLiteral) b.getRexBuilder().makeNullLiteral(field.getType()));
      }
      return LogicalFilter.create(typedRow(b, values, nulls, names),
          b.getRexBuilder().makeLiteral(false));
    }
    return rows.size() == 1 ? rows.get(0) : LogicalUnion.create(rows, true);
  }

  private static RelNode typedRow(RelBuilder b, Values values, List<RexLiteral> tuple,
      List<String> names) {
    b.values(new String[] {"ZERO"}, 0);
    List<RexNode> row = new ArrayList<>();
    for (int i = 0; i < tuple.size(); i++) {
      RexLiteral literal = tuple.get(i);
      RelDataType type = values.getRowType().getFieldList().get(i).getType();
      row.add(literal.isNull() ? b.getRexBuilder().makeNullLiteral(type) : literal);
    }
    return b.project(row, names, true).build();
  }
}
