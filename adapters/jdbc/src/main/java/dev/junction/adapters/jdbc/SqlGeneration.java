package dev.junction.adapters.jdbc;

import org.apache.calcite.adapter.jdbc.JdbcCorrelationDataContextBuilderImpl;
import org.apache.calcite.adapter.jdbc.SourceSqlImplementor;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlString;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a pushed subtree into the SQL its source receives. Before printing, it reshapes
 * what SQL reads differently from the plan:
 * <ul>
 * <li>a constant in GROUP BY or ORDER BY is an ordinal to every source
 * ({@code SELECT DISTINCT -25 AS c FROM t} became {@code GROUP BY -25}: "GROUP BY term out
 * of range" on DuckDB and SQLite, "Unknown column" on MariaDB). A constant sort key orders
 * nothing and is dropped; a constant group key is dropped and its value projected above
 * the aggregate ({@link #withoutLiteralGroupKeys});</li>
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
    return SourceSqlImplementor.toSql(prepare(pushed, dialect), dialect, correlations);
  }

  private static RelNode prepare(RelNode rel, SqlDialect dialect) {
    RexBuilder rex = rel.getCluster().getRexBuilder();
    RexShuttle calls = dialect instanceof PushdownDialect d
        ? new RexShuttle() {
            @Override public RexNode visitCall(RexCall call) {
              RexNode visited = super.visitCall(call);
              return visited instanceof RexCall c ? d.rewriteCall(rex, c) : visited;
            }
          }
        : null;
    return rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        RelNode node = super.visit(other);
        if (calls != null) {
          node = node.accept(calls);
        }
        if (node instanceof Sort sort && sort.getInput() instanceof Project project) {
          return withoutConstantKeys(sort, project);
        }
        if (node instanceof Aggregate aggregate
            && aggregate.getInput() instanceof Project project) {
          return withoutLiteralGroupKeys(aggregate, project);
        }
        return node;
      }
    });
  }

  private static RelNode withoutConstantKeys(Sort sort, Project project) {
    List<RelFieldCollation> kept = new ArrayList<>();
    for (RelFieldCollation c : sort.getCollation().getFieldCollations()) {
      if (!(project.getProjects().get(c.getFieldIndex()) instanceof RexLiteral)) {
        kept.add(c);
      }
    }
    if (kept.size() == sort.getCollation().getFieldCollations().size()) {
      return sort;
    }
    if (kept.isEmpty() && sort.offset == null && sort.fetch == null) {
      return project;
    }
    RelCollation collation = RelCollations.of(kept);
    return sort.copy(sort.getTraitSet().replace(collation), project, collation, sort.offset,
        sort.fetch);
  }

  /**
   * The aggregate without its literal group keys, which are put back by a projection above
   * it. Grouping by a constant as well as by other keys forms the same groups; grouping by
   * constants alone forms one group when there are rows and none when there are not, which
   * is an aggregate without keys whose row is kept only if it counted a row.
   */
  private static RelNode withoutLiteralGroupKeys(Aggregate aggregate, Project project) {
    if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
      return aggregate;
    }
    ImmutableBitSet.Builder literalKeys = ImmutableBitSet.builder();
    for (int key : aggregate.getGroupSet()) {
      if (project.getProjects().get(key) instanceof RexLiteral) {
        literalKeys.set(key);
      }
    }
    if (literalKeys.isEmpty()) {
      return aggregate;
    }
    ImmutableBitSet kept = aggregate.getGroupSet().except(literalKeys.build());
    List<AggregateCall> calls = new ArrayList<>(aggregate.getAggCallList());
    boolean grandTotal = kept.isEmpty();
    if (grandTotal) {
      calls.add(AggregateCall.create(SqlStdOperatorTable.COUNT, false, false, false,
          List.of(), -1, null, RelCollations.EMPTY, 0, project, null, "rows"));
    }
    RelBuilder b = RelFactories.LOGICAL_BUILDER.create(aggregate.getCluster(), null);
    b.push(LogicalAggregate.create(project, aggregate.getHints(), kept, null, calls));
    if (grandTotal) {
      b.filter(b.greaterThan(b.field(calls.size() - 1), b.literal(0)));
    }
    List<RexNode> out = new ArrayList<>();
    int keptIndex = 0;
    for (int key : aggregate.getGroupSet()) {
      out.add(kept.get(key) ? b.field(keptIndex++) : project.getProjects().get(key));
    }
    for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
      out.add(b.field(kept.cardinality() + i));
    }
    return b.project(out, aggregate.getRowType().getFieldNames(), true).build();
  }
}
