package dev.junction.adapters.jdbc;

import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcRules;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.util.List;

/**
 * The Calcite JDBC convention of one source, with Calcite's JDBC rules narrowed to what
 * the source's dialect can execute. Calcite's own rules convert any filter, projection
 * or join whose expressions they can print, whether or not the database has the
 * function; here an expression with an operator the dialect disowns
 * ({@link PushdownDialect}) stays in Junction. Window functions always run in Junction,
 * whatever the dialect says (see {@link PushableVisitor#visitOver}). Semi and anti joins
 * stay in Junction, as in Calcite (see {@link JoinRule}).
 */
final class SourceConvention extends JdbcConvention {

  SourceConvention(SqlDialect dialect, Expression expression, String name) {
    super(dialect, expression, name);
  }

  @Override public void register(RelOptPlanner planner) {
    for (RelOptRule rule : JdbcRules.rules(this)) {
      if (rule instanceof JdbcRules.JdbcProjectRule || rule instanceof JdbcRules.JdbcFilterRule
          || rule instanceof JdbcRules.JdbcJoinRule) {
        continue;
      }
      planner.addRule(rule);
    }
    planner.addRule(ProjectRule.create(this));
    planner.addRule(FilterRule.create(this));
    planner.addRule(JoinRule.create(this));
    planner.addRule(CoreRules.FILTER_SET_OP_TRANSPOSE);
    planner.addRule(CoreRules.PROJECT_REMOVE);
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

  /**
   * Converts a projection whose expressions the source can evaluate and whose column names
   * its SQL can carry (a name with NUL, which no source takes, is given in Junction).
   */
  static final class ProjectRule extends JdbcRules.JdbcProjectRule {
    static ProjectRule create(SourceConvention out) {
      return ConverterRule.Config.INSTANCE
          .withConversion(Project.class, (Project p) -> out.canPush(p.getProjects())
                  && p.getRowType().getFieldNames().stream()
                      .allMatch(n -> SqlQuoting.isWritable(n, false)),
              Convention.NONE, out, "JunctionJdbcProjectRule")
          .withRuleFactory(ProjectRule::new)
          .toRule(ProjectRule.class);
    }

    ProjectRule(Config config) {
      super(config);
    }
  }

  /** Converts a filter whose condition the source can evaluate. */
  static final class FilterRule extends JdbcRules.JdbcFilterRule {
    static FilterRule create(SourceConvention out) {
      return ConverterRule.Config.INSTANCE
          .withConversion(Filter.class, (Filter f) -> out.canPush(List.of(f.getCondition())),
              Convention.NONE, out, "JunctionJdbcFilterRule")
          .withRuleFactory(FilterRule::new)
          .toRule(FilterRule.class);
    }

    FilterRule(Config config) {
      super(config);
    }
  }

  /**
   * Converts a join whose condition the source can evaluate, of a type its dialect
   * supports. Semi and anti joins stay unconverted, as in Calcite: its RelToSqlConverter
   * prints them as {@code EXISTS (SELECT 1 FROM (..) AS t0 WHERE "id" = t0.customer_id)}
   * with the outer column unqualified, which binds to the subquery's own {@code id}; the
   * conformance battery got no rows back where 12 were due.
   */
  static final class JoinRule extends JdbcRules.JdbcJoinRule {
    static JoinRule create(SourceConvention out) {
      return ConverterRule.Config.INSTANCE
          .withConversion(Join.class, (Join j) -> out.canPush(List.of(j.getCondition())),
              Convention.NONE, out, "JunctionJdbcJoinRule")
          .withRuleFactory(JoinRule::new)
          .toRule(JoinRule.class);
    }

    JoinRule(Config config) {
      super(config);
    }
  }
}
