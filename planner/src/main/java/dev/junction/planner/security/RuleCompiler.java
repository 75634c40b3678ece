package dev.junction.planner.security;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles a rule's row filter and masks against one table's row type for one caller. It is
 * the one path both enforcement ({@link GovernedTable}) and {@code junction check}
 * ({@link PolicyDrift}) take, so that check reports exactly the failures a query would
 * meet.
 */
final class RuleCompiler {
  private RuleCompiler() {
  }

  /**
   * The row filter {@code sql} over {@code fields}, the references to the table's fields
   * in the plan being built. A filter naming an attribute the caller lacks becomes FALSE
   * (no rows, never all rows).
   *
   * @throws PolicyExpressions.InvalidExpressionException when it does not parse, names a
   *     column {@code rowType} lacks, does not validate, or is not a BOOLEAN
   */
  static RexNode filter(String sql, Principal principal, RelDataType rowType,
      List<RexNode> fields, RelOptCluster cluster) {
    RexNode f = compile(sql, principal, rowType, fields, cluster, true);
    if (!PolicyExpressions.isBoolean(f.getType())) {
      throw new PolicyExpressions.InvalidExpressionException("it is of type "
          + f.getType().getSqlTypeName() + ", not BOOLEAN", null);
    }
    return f;
  }

  /**
   * The mask {@code sql} over {@code fields}; a mask naming an attribute the caller lacks
   * becomes NULL.
   *
   * @throws PolicyExpressions.InvalidExpressionException when it does not parse, names a
   *     column {@code rowType} lacks, or does not validate
   */
  static RexNode mask(String sql, Principal principal, RelDataType rowType,
      List<RexNode> fields, RelOptCluster cluster) {
    return compile(sql, principal, rowType, fields, cluster, false);
  }

  private static RexNode compile(String sql, Principal principal, RelDataType rowType,
      List<RexNode> fields, RelOptCluster cluster, boolean isFilter) {
    SqlNode parsed = PolicyExpressions.parse(sql);
    PolicyExpressions.Bound bound = PolicyExpressions.bind(parsed, principal, rowType);
    RexNode node = PolicyExpressions.toRex(bound.node(), rowType, fields, cluster,
        (type, queryString, schemaPath, viewPath) -> {
          throw new UnsupportedOperationException("views in policy expressions");
        });
    if (bound.missing() != null) {
      RexBuilder rex = cluster.getRexBuilder();
      return isFilter ? rex.makeLiteral(false)
          : rex.makeNullLiteral(cluster.getTypeFactory()
              .createTypeWithNullability(node.getType(), true));
    }
    return node;
  }

  /**
   * The attribute names {@code sql} reads with {@code ATTRIBUTE('name')}, sorted.
   *
   * @throws PolicyExpressions.InvalidExpressionException when it does not parse
   */
  static Set<String> attributes(String sql) {
    Set<String> out = new TreeSet<>();
    PolicyExpressions.parse(sql).accept(new SqlShuttle() {
      @Override public SqlNode visit(SqlCall call) {
        if (call.getOperator().getName().toUpperCase(Locale.ROOT)
            .equals(PolicyExpressions.ATTRIBUTE)) {
          out.add(((SqlCharStringLiteral) call.operand(0)).getValueAs(String.class));
        }
        return super.visit(call);
      }
    });
    return out;
  }
}
