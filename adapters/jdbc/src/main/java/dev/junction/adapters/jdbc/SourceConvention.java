package dev.junction.adapters.jdbc;

import dev.junction.spi.SourcePushdown;

import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcRules;
import org.apache.calcite.adapter.jdbc.JdbcToEnumerableConverterRule;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.InvalidRelException;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The Calcite JDBC convention of one source, and what the source can run
 * ({@link SourcePushdown}). Calcite's own JDBC rules convert any filter, projection or
 * join whose expressions they can print, whether or not the database has the function;
 * here an expression with an operator the dialect disowns ({@link PushdownDialect}), a
 * literal its SQL cannot carry, or a session function stays in Junction. Window functions
 * always run in Junction, whatever the dialect says (see {@link PushableVisitor#visitOver}).
 *
 * <p>The cost-based planner never sees this convention's operators: the pushdown phase
 * converts each maximal subtree a source accepts with {@link #push} and wraps it in one
 * {@link SourceStatement}. Only Calcite's converter rule is registered, as a net.
 */
final class SourceConvention extends JdbcConvention implements SourcePushdown {
  private static final Set<SqlKind> SUBQUERY_KINDS =
      EnumSet.of(SqlKind.EXISTS, SqlKind.IN, SqlKind.SCALAR_QUERY, SqlKind.SOME, SqlKind.ALL);

  private final String sourceName;
  private final JdbcRules.JdbcAggregateRule aggregateRule;
  private final JdbcRules.JdbcValuesRule valuesRule;

  /** What EXPLAIN adds to a statement's SQL (a cost estimate), or null for nothing. */
  private final java.util.function.Function<String, String> explainer;

  /** The rows the source's planner expects a statement to return, or null. */
  private final java.util.function.Function<String, Double> rowEstimator;

  SourceConvention(SqlDialect dialect, Expression expression, String name) {
    this(dialect, expression, name, sql -> null);
  }

  SourceConvention(SqlDialect dialect, Expression expression, String name,
      java.util.function.Function<String, String> explainer) {
    this(dialect, expression, name, explainer, sql -> null);
  }

  /**
   * With {@code rowEstimator}, the rows the source's own planner expects a statement to
   * return (null when it cannot say).
   */
  SourceConvention(SqlDialect dialect, Expression expression, String name,
      java.util.function.Function<String, String> explainer,
      java.util.function.Function<String, Double> rowEstimator) {
    super(dialect, expression, name);
    this.sourceName = name;
    this.explainer = explainer;
    this.rowEstimator = rowEstimator;
    this.aggregateRule = JdbcRules.JdbcAggregateRule.create(this);
    this.valuesRule = JdbcRules.JdbcValuesRule.create(this);
  }

  /** What EXPLAIN shows besides {@code sql}: the source's estimate of its cost, or null. */
  String explain(String sql) {
    return explainer.apply(sql);
  }

  /**
   * The rows the source's planner expects {@code sql} (a statement without parameters) to
   * return, or null when it cannot say ({@link JdbcSourceAdapter#estimatedRows}).
   */
  Double sourceRows(String sql) {
    return rowEstimator.apply(sql);
  }

  /** The source's name in the catalog. */
  String sourceName() {
    return sourceName;
  }

  @Override public void register(RelOptPlanner planner) {
    planner.addRule(JdbcToEnumerableConverterRule.create(this));
  }

  @Override public boolean derivesJoinDisjunctions() {
    return dialect instanceof PushdownDialect d && d.derivesJoinDisjunctions();
  }

  @Override public boolean comparesStringsExactly() {
    return dialect instanceof PushdownDialect d && d.comparesStringsExactly();
  }

  @Override public RelNode push(RelNode node) {
    RelTraitSet traits = node.getTraitSet().replace(this);
    RelOptCluster cluster = node.getCluster();
    if (node instanceof Filter f) {
      if (!canPush(List.of(f.getCondition()))) {
        return null;
      }
      return f.getVariablesSet().isEmpty()
          ? new JdbcRules.JdbcFilter(cluster, traits, f.getInput(), f.getCondition())
          : new CorrelatedFilter(cluster, traits, f.getInput(), f.getCondition(),
              f.getVariablesSet());
    }
    if (node instanceof Project p) {
      if (!canPush(p.getProjects()) || !p.getRowType().getFieldNames().stream()
          .allMatch(n -> SqlQuoting.isWritable(n, false))) {
        return null;
      }
      return p.getVariablesSet().isEmpty()
          ? new JdbcRules.JdbcProject(cluster, traits, p.getInput(), p.getProjects(),
              p.getRowType())
          : new CorrelatedProject(cluster, traits, p.getInput(), p.getProjects(),
              p.getRowType(), p.getVariablesSet());
    }
    if (node instanceof Join j) {
      if (!dialect.supportsJoinType(j.getJoinType()) || !canPush(List.of(j.getCondition()))) {
        return null;
      }
      try {
        return new JdbcRules.JdbcJoin(cluster, traits, j.getLeft(), j.getRight(),
            j.getCondition(), j.getVariablesSet(), j.getJoinType());
      } catch (InvalidRelException e) {
        return null;
      }
    }
    if (node instanceof Aggregate a) {
      return hasLiteralAgg(a) ? pushWithLiterals(a, traits) : aggregateRule.convert(node);
    }
    if (node instanceof Sort s) {
      return canPush(s.getSortExps()) && (s.offset == null || canPush(List.of(s.offset)))
          && (s.fetch == null || canPush(List.of(s.fetch)))
          ? new JdbcRules.JdbcSort(cluster, traits, s.getInput(), s.getCollation(), s.offset,
              s.fetch)
          : null;
    }
    if (node instanceof Union u) {
      return new JdbcRules.JdbcUnion(cluster, traits, u.getInputs(), u.all);
    }
    if (node instanceof Intersect i) {
      return i.all ? null : new JdbcRules.JdbcIntersect(cluster, traits, i.getInputs(), false);
    }
    if (node instanceof Minus m) {
      return m.all ? null : new JdbcRules.JdbcMinus(cluster, traits, m.getInputs(), false);
    }
    if (node instanceof Values v) {
      for (List<RexLiteral> tuple : v.getTuples()) {
        if (!canPush(tuple)) {
          return null;
        }
      }
      return valuesRule.convert(node);
    }
    return null;
  }

  private static boolean hasLiteralAgg(Aggregate a) {
    return a.getAggCallList().stream()
        .anyMatch(c -> c.getAggregation().getKind() == SqlKind.LITERAL_AGG);
  }

  /**
   * An aggregate with {@code LITERAL_AGG} calls (Calcite's marker for "a group exists",
   * from subquery removal), which no SQL has: the aggregate without them, and a projection
   * that puts the literals in their place.
   */
  private RelNode pushWithLiterals(Aggregate a, RelTraitSet traits) {
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall c : a.getAggCallList()) {
      if (c.getAggregation().getKind() != SqlKind.LITERAL_AGG) {
        calls.add(c);
      }
    }
    RelNode pushed = aggregateRule.convert(
        a.copy(a.getTraitSet(), a.getInput(), a.getGroupSet(), a.getGroupSets(), calls));
    if (pushed == null) {
      return null;
    }
    RexBuilder rex = a.getCluster().getRexBuilder();
    List<RexNode> exprs = new ArrayList<>();
    int groups = a.getGroupCount();
    for (int i = 0; i < groups; i++) {
      exprs.add(rex.makeInputRef(pushed, i));
    }
    int next = groups;
    for (int i = 0; i < a.getAggCallList().size(); i++) {
      AggregateCall c = a.getAggCallList().get(i);
      RelDataType type = a.getRowType().getFieldList().get(groups + i).getType();
      exprs.add(c.getAggregation().getKind() == SqlKind.LITERAL_AGG
          ? rex.ensureType(type, c.rexList.get(0), true)
          : rex.makeInputRef(pushed, next++));
    }
    return canPush(exprs)
        ? new JdbcRules.JdbcProject(a.getCluster(), traits, pushed, exprs, a.getRowType())
        : null;
  }

  /** A filter whose condition holds correlated subqueries, printed with its correlation. */
  static final class CorrelatedFilter extends JdbcRules.JdbcFilter {
    private final Set<CorrelationId> variables;

    CorrelatedFilter(RelOptCluster cluster, RelTraitSet traits, RelNode input,
        RexNode condition, Set<CorrelationId> variables) {
      super(cluster, traits, input, condition);
      this.variables = Set.copyOf(variables);
    }

    @Override public Set<CorrelationId> getVariablesSet() {
      return variables;
    }

    @Override public JdbcRules.JdbcFilter copy(RelTraitSet traitSet, RelNode input,
        RexNode condition) {
      return new CorrelatedFilter(getCluster(), traitSet, input, condition, variables);
    }
  }

  /** A projection that holds correlated subqueries, printed with its correlation. */
  static final class CorrelatedProject extends JdbcRules.JdbcProject {
    private final Set<CorrelationId> variables;

    CorrelatedProject(RelOptCluster cluster, RelTraitSet traits, RelNode input,
        List<? extends RexNode> projects, RelDataType rowType, Set<CorrelationId> variables) {
      super(cluster, traits, input, projects, rowType);
      this.variables = Set.copyOf(variables);
    }

    @Override public Set<CorrelationId> getVariablesSet() {
      return variables;
    }

    @Override public JdbcRules.JdbcProject copy(RelTraitSet traitSet, RelNode input,
        List<RexNode> projects, RelDataType rowType) {
      return new CorrelatedProject(getCluster(), traitSet, input, projects, rowType,
          variables);
    }
  }

  @Override public RelNode statement(RelNode pushed) {
    return new SourceStatement(this, pushed);
  }

  /** Whether every call in {@code nodes} can be sent to this source. */
  boolean canPush(List<? extends RexNode> nodes) {
    PushableVisitor visitor = new PushableVisitor();
    for (RexNode node : nodes) {
      node.accept(visitor);
      if (!visitor.pushable) {
        return false;
      }
    }
    return true;
  }

  /**
   * Finds calls the source cannot take: user-defined functions, disowned operators,
   * literals its SQL cannot carry ({@link PushdownDialect#supportsLiteral}) and dynamic
   * functions. A dynamic function (CURRENT_USER, SESSION_USER, CURRENT_DATE,
   * CURRENT_TIMESTAMP, ...) means the caller's session, which only Junction knows: in the
   * source it would answer with the source login ({@code postgres}) or the source's clock
   * and time zone, and SQLite has no CURRENT_USER at all.
   */
  private final class PushableVisitor extends RexVisitorImpl<Void> {
    boolean pushable = true;

    PushableVisitor() {
      super(true);
    }

    @Override public Void visitCall(RexCall call) {
      if (call.getOperator() instanceof SqlUserDefinedFunction
          || call.getOperator().isDynamicFunction()
          || dialect instanceof PushdownDialect d && !d.supportsCall(call)) {
        pushable = false;
        return null;
      }
      return super.visitCall(call);
    }

    /**
     * A subquery the source runs itself (a query sent whole, subqueries included): its
     * plan must already be in this source's convention, and it must be a kind SQL writes
     * as a predicate or a value.
     */
    @Override public Void visitSubQuery(RexSubQuery subQuery) {
      if (subQuery.rel.getConvention() != SourceConvention.this
          || !SUBQUERY_KINDS.contains(subQuery.getKind())
          || dialect instanceof PushdownDialect d && !d.supportsCall(subQuery)) {
        pushable = false;
        return null;
      }
      return super.visitSubQuery(subQuery);
    }

    @Override public Void visitLiteral(RexLiteral literal) {
      if (dialect instanceof PushdownDialect d && !d.supportsLiteral(literal)) {
        pushable = false;
      }
      return null;
    }

    /**
     * Keeps every window function in Junction, on every source: this is the one place
     * that decides it, and no dialect needs to say so. Calcite 1.42 cannot plan a window
     * over a JDBC table (CALCITE-7616, fixed after 1.42: its project-to-window rule makes a
     * window in the JDBC convention that no JDBC rel implements, an AssertionError), so
     * windows run over the rows the source returns. Ask
     * {@link SqlDialect#supportsWindowFunctions} here once Calcite has the fix.
     */
    @Override public Void visitOver(RexOver over) {
      pushable = false;
      return null;
    }
  }
}
