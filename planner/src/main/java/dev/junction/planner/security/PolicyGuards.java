package dev.junction.planner.security;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.RemoteStatement;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last step of the policy rewrite, run on the optimized plan: replaces the
 * {@link PolicyOperators} by what they stand for.
 *
 * <p>Design: the optimizer is free to merge a user's predicate into the WHERE that holds a
 * governed table's row filter, and neither Calcite, the sources' planners, nor SQL promise
 * to evaluate {@code filter AND predicate} in that order. A predicate that can fail or
 * return something other than true/false/unknown for a row's values (a division, a cast,
 * a function) would then run on hidden rows, and its error (division by zero) would tell
 * the caller a hidden row exists. So each conjunct of a condition that reads a governed
 * value is looked at here:
 * <ul>
 * <li>one built only of comparisons, boolean logic, null tests, IN lists, literal LIKE
 * patterns and widening casts over columns and literals cannot fail or leak, whatever the
 * row: it is left as written, so indexes still serve it;</li>
 * <li>any other becomes {@code CASE WHEN filter THEN predicate ELSE FALSE END}, which SQL
 * evaluates in order, locally and in every source.</li>
 * </ul>
 * Both are equivalent for every row the filter keeps, and the filter itself stays in the
 * plan, so results do not change. Projections, aggregates and sorts only ever see rows that
 * passed the filter (Calcite pushes only plain column references below a filter), so
 * their guards are simply removed.
 *
 * <p>For EXPLAIN by the caller, the filter is shown as {@code <row filter>} and masks as
 * {@code <mask>}. Anything left unresolved would fail to run (no implementation exists),
 * and is checked for anyway: planning fails rather than running a plan that lost a guard.
 */
public final class PolicyGuards {
  private static final Set<SqlKind> LEAKPROOF = EnumSet.of(SqlKind.AND, SqlKind.OR,
      SqlKind.NOT, SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN,
      SqlKind.LESS_THAN_OR_EQUAL, SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL,
      SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.IS_TRUE, SqlKind.IS_NOT_TRUE,
      SqlKind.IS_FALSE, SqlKind.IS_NOT_FALSE, SqlKind.IS_DISTINCT_FROM,
      SqlKind.IS_NOT_DISTINCT_FROM, SqlKind.SEARCH, SqlKind.IN, SqlKind.NOT_IN,
      SqlKind.BETWEEN, SqlKind.CASE, SqlKind.COALESCE);

  private PolicyGuards() {
  }

  /**
   * Resolves every policy operator in an optimized plan.
   *
   * @param placeholders show filters and masks as placeholders (EXPLAIN by the caller)
   * @throws JunctionException if a policy operator is left where it cannot be resolved
   */
  public static RelNode resolve(RelNode rel, boolean placeholders) {
    Resolver r = new Resolver(rel.getCluster().getRexBuilder(), placeholders);
    RelNode out = rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        return r.rewrite(super.visit(other));
      }
    });
    check(out);
    return out;
  }

  /** Whether a plan holds a policy operator, in subqueries and remote statements too. */
  public static boolean hasPolicyOperator(RelNode rel) {
    boolean[] found = {false};
    RexShuttle finder = new RexShuttle() {
      @Override public RexNode visitCall(RexCall call) {
        if (PolicyOperators.isPolicyOperator(call.getOperator())) {
          found[0] = true;
        }
        return super.visitCall(call);
      }
    };
    RemoteStatement.forEachNode(rel, node -> node.accept(finder));
    return found[0];
  }

  private static void check(RelNode rel) {
    if (hasPolicyOperator(rel)) {
      throw new JunctionException(ErrorCode.INTERNAL, "the access policy could not be"
          + " enforced on this query's plan, so it was not run");
    }
  }

  /** Rewrites one operator's expressions. */
  private static final class Resolver {
    private final RexBuilder rex;
    private final boolean placeholders;
    private final RexShuttle strip;

    Resolver(RexBuilder rex, boolean placeholders) {
      this.rex = rex;
      this.placeholders = placeholders;
      this.strip = new RexShuttle() {
        @Override public RexNode visitCall(RexCall call) {
          if (call.getOperator() == PolicyOperators.GUARD) {
            if (placeholders && RexLiteral.booleanValue(call.operands.get(2))) {
              return rex.makeCall(call.getType(), PolicyOperators.MASK_PLACEHOLDER, List.of());
            }
            return call.operands.get(0).accept(this);
          }
          if (call.getOperator() == PolicyOperators.ROW_FILTER) {
            return filter(call.operands.get(0));
          }
          return super.visitCall(call);
        }
      };
    }

    /** A row filter as it runs, or its placeholder. */
    RexNode filter(RexNode f) {
      return placeholders
          ? rex.makeCall(f.getType(), PolicyOperators.ROW_FILTER_PLACEHOLDER, List.of()) : f;
    }

    RelNode rewrite(RelNode rel) {
      if (!hasPolicyOperatorInExpressions(rel)) {
        return rel;
      }
      if (rel instanceof Filter f) {
        return f.copy(f.getTraitSet(), f.getInput(), condition(f.getCondition()));
      }
      if (rel instanceof Join j) {
        return j.copy(j.getTraitSet(), condition(j.getCondition()), j.getLeft(), j.getRight(),
            j.getJoinType(), j.isSemiJoinDone());
      }
      if (rel instanceof Calc c) {
        RexProgram p = c.getProgram();
        List<RexNode> projects = new ArrayList<>();
        p.getProjectList().forEach(r -> projects.add(p.expandLocalRef(r).accept(strip)));
        RexNode cond = p.getCondition() == null ? null
            : condition(p.expandLocalRef(p.getCondition()));
        RexProgram q = RexProgram.create(p.getInputRowType(), projects, cond,
            p.getOutputRowType(), rex);
        return c.copy(c.getTraitSet(), c.getInput(), q);
      }
      return rel.accept(strip);
    }

    private static boolean hasPolicyOperatorInExpressions(RelNode rel) {
      boolean[] found = {false};
      rel.accept(new RexShuttle() {
        @Override public RexNode visitCall(RexCall call) {
          if (PolicyOperators.isPolicyOperator(call.getOperator())) {
            found[0] = true;
            return call;
          }
          return super.visitCall(call);
        }
      });
      return found[0];
    }

    /** A condition with each conjunct that reads governed values made safe. */
    RexNode condition(RexNode condition) {
      List<RexNode> out = new ArrayList<>();
      for (RexNode c : RelOptUtil.conjunctions(condition)) {
        Map<String, RexNode> filters = new LinkedHashMap<>();
        collectFilters(c, filters);
        if (filters.isEmpty() || leakproof(c)) {
          out.add(c.accept(strip));
        } else {
          List<RexNode> guards = new ArrayList<>();
          filters.values().forEach(f -> guards.add(filter(f)));
          RexNode when = RexUtil.composeConjunction(rex, guards);
          out.add(rex.makeCall(SqlStdOperatorTable.CASE, when, c.accept(strip),
              rex.makeLiteral(false)));
        }
      }
      return RexUtil.composeConjunction(rex, out);
    }

    /** The distinct row filters of the governed values an expression reads. */
    private static void collectFilters(RexNode node, Map<String, RexNode> out) {
      node.accept(new RexShuttle() {
        @Override public RexNode visitCall(RexCall call) {
          if (call.getOperator() == PolicyOperators.GUARD) {
            RexNode f = call.operands.get(1);
            if (!f.isAlwaysTrue()) {
              out.putIfAbsent(f.toString(), f);
            }
            return call;
          }
          return super.visitCall(call);
        }
      });
    }
  }

  /**
   * Whether an expression cannot fail, and answers only from comparisons, for any values
   * of the columns it reads.
   */
  static boolean leakproof(RexNode node) {
    if (node instanceof RexInputRef || node instanceof RexLiteral
        || node instanceof RexDynamicParam || node instanceof RexCorrelVariable) {
      return true;
    }
    if (node instanceof RexFieldAccess a) {
      return leakproof(a.getReferenceExpr());
    }
    if (!(node instanceof RexCall call)) {
      return false;
    }
    if (call.getOperator() == PolicyOperators.GUARD) {
      return leakproof(call.operands.get(0));
    }
    if (call.getOperator() == PolicyOperators.ROW_FILTER) {
      return true;
    }
    if (call.getKind() == SqlKind.CAST) {
      return wideningCast(call.operands.get(0).getType(), call.getType())
          && leakproof(call.operands.get(0));
    }
    if (call.getKind() == SqlKind.LIKE) {
      for (int i = 1; i < call.operands.size(); i++) {
        if (!(call.operands.get(i) instanceof RexLiteral)) {
          return false;
        }
      }
      return leakproof(call.operands.get(0));
    }
    if (!LEAKPROOF.contains(call.getKind())) {
      return false;
    }
    for (RexNode o : call.operands) {
      if (!leakproof(o)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a cast can never fail: same type, text to text, or a wider number. */
  static boolean wideningCast(RelDataType from, RelDataType to) {
    SqlTypeName f = from.getSqlTypeName();
    SqlTypeName t = to.getSqlTypeName();
    if (f == t && (to.getPrecision() >= from.getPrecision()
        || to.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED)
        && to.getScale() >= from.getScale() && f != SqlTypeName.DECIMAL) {
      return true;
    }
    if (SqlTypeFamily.CHARACTER.contains(from) && SqlTypeFamily.CHARACTER.contains(to)) {
      return true;
    }
    int fi = integerRank(f);
    int ti = integerRank(t);
    if (fi > 0 && ti >= fi) {
      return true;
    }
    if (fi > 0 && (t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT || t == SqlTypeName.REAL)) {
      return true;
    }
    if ((f == SqlTypeName.DECIMAL || f == SqlTypeName.REAL || f == SqlTypeName.FLOAT)
        && t == SqlTypeName.DOUBLE) {
      return true;
    }
    if (t == SqlTypeName.DECIMAL && (f == SqlTypeName.DECIMAL || fi > 0)) {
      int fromInt = f == SqlTypeName.DECIMAL ? from.getPrecision() - from.getScale()
          : new int[] {0, 3, 5, 10, 19}[fi];
      return to.getScale() >= (f == SqlTypeName.DECIMAL ? from.getScale() : 0)
          && to.getPrecision() - to.getScale() >= fromInt;
    }
    return false;
  }

  private static int integerRank(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> 1;
      case SMALLINT -> 2;
      case INTEGER -> 3;
      case BIGINT -> 4;
      default -> 0;
    };
  }
}
