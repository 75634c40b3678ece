package org.apache.calcite.adapter.jdbc;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.util.SqlString;
import org.apache.calcite.util.Litmus;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Calcite's SQL generator for JDBC sources, with the statement shapes Calcite 1.42 gets
 * wrong corrected. It lives in Calcite's package because the generator's constructor that
 * binds correlation variables (the keys a batched join sends) is package-private.
 *
 * <p>Semi and anti joins: Calcite prints {@code L SEMI JOIN R ON cond} as
 * {@code SELECT .. FROM l WHERE EXISTS (SELECT 1 FROM r WHERE cond)}, but replaces the
 * left's columns in {@code cond} by the left's own select-list expressions, unqualified,
 * so {@code "id" = t0.customer_id} binds {@code id} to the subquery's table when both
 * have one (the conformance battery got no rows where twelve were due). Here the left is
 * always a derived table with its own alias, and the condition names its columns through
 * that alias.
 */
public final class SourceSqlImplementor extends JdbcImplementor {
  private SourceSqlImplementor(SqlDialect dialect, JavaTypeFactory typeFactory,
      JdbcCorrelationDataContextBuilder correlations) {
    super(dialect, typeFactory, correlations);
  }

  /**
   * The statement for {@code rel}, a subtree in a JDBC convention. Correlation variables
   * in it (the keys of a batched join) become dynamic parameters registered with
   * {@code correlations}, or numbered from 1 when it is null (for display).
   */
  public static SqlString toSql(RelNode rel, SqlDialect dialect,
      JdbcCorrelationDataContextBuilderImpl correlations) {
    JavaTypeFactory typeFactory = (JavaTypeFactory) rel.getCluster().getTypeFactory();
    JdbcCorrelationDataContextBuilder builder = correlations != null ? correlations
        : new JdbcCorrelationDataContextBuilder() {
          private int counter = 1;

          @Override public int add(org.apache.calcite.rel.core.CorrelationId id, int ordinal,
              Type type) {
            return counter++;
          }
        };
    SourceSqlImplementor implementor = new SourceSqlImplementor(dialect, typeFactory, builder);
    return inLists(implementor.visitRoot(rel).asStatement()).toSqlString(dialect);
  }

  /**
   * {@code node} with each disjunction of equalities between one expression and
   * parameters ({@code x = ? OR x = ? OR ...}, as Calcite's key-batched join writes a batch
   * of keys) written as {@code x IN (?, ?, ...)}, which means the same in SQL's three-valued
   * logic. The parameters keep their order. A source plans an IN list as a set of point
   * lookups; a chain of 256 ORs of mostly-NULL parameters made MariaDB evaluate every
   * disjunct on every row of a join (TPC-H Q11: 930 ms against 240 ms for reading the
   * whole join).
   */
  static SqlNode inLists(SqlNode node) {
    return node.accept(new SqlShuttle() {
      @Override public SqlNode visit(SqlCall call) {
        if (call.getKind() == SqlKind.OR) {
          List<SqlNode> disjuncts = new ArrayList<>();
          flattenOr(call, disjuncts);
          SqlNode in = asInList(disjuncts);
          if (in != null) {
            return in;
          }
        }
        return super.visit(call);
      }
    });
  }

  private static void flattenOr(SqlNode node, List<SqlNode> disjuncts) {
    if (node instanceof SqlCall call && call.getKind() == SqlKind.OR) {
      for (SqlNode operand : call.getOperandList()) {
        flattenOr(operand, disjuncts);
      }
    } else {
      disjuncts.add(node);
    }
  }

  private static SqlNode asInList(List<SqlNode> disjuncts) {
    if (disjuncts.size() < 2) {
      return null;
    }
    SqlNode subject = null;
    List<SqlNode> values = new ArrayList<>();
    for (SqlNode disjunct : disjuncts) {
      if (!(disjunct instanceof SqlCall eq) || eq.getKind() != SqlKind.EQUALS
          || !(eq.operand(1) instanceof SqlDynamicParam)
          || !(eq.operand(0) instanceof SqlIdentifier)) {
        return null;
      }
      if (subject == null) {
        subject = eq.operand(0);
      } else if (!subject.equalsDeep(eq.operand(0), Litmus.IGNORE)) {
        return null;
      }
      values.add(eq.operand(1));
    }
    return SqlStdOperatorTable.IN.createCall(POS, subject, new SqlNodeList(values, POS));
  }

  @Override protected Result visitAntiOrSemiJoin(Join e) {
    final Result left = visitInput(e, 0).resetAlias();
    final Result right = visitInput(e, 1).resetAlias();
    final Context leftContext = left.qualifiedContext();
    final Context rightContext = right.qualifiedContext();
    SqlNode condition =
        convertConditionToSqlNode(e.getCondition(), leftContext, rightContext);
    SqlNodeList one = SqlNodeList.of(SqlLiteral.createExactNumeric("1", POS));
    SqlSelect exists = new SqlSelect(POS, null, one, right.asFrom(), condition, null, null,
        null, null, null, null, null, null);
    SqlNode where = SqlStdOperatorTable.EXISTS.createCall(POS, exists);
    if (e.getJoinType() == JoinRelType.ANTI) {
      where = SqlStdOperatorTable.NOT.createCall(POS, where);
    }
    List<SqlNode> items = new ArrayList<>();
    List<RelDataTypeField> fields = e.getLeft().getRowType().getFieldList();
    for (int i = 0; i < fields.size(); i++) {
      SqlNode field = leftContext.field(i);
      String name = fields.get(i).getName();
      boolean sameName = field instanceof SqlIdentifier id
          && id.names.get(id.names.size() - 1).equals(name);
      items.add(sameName ? field : as(field, name));
    }
    SqlSelect select = new SqlSelect(POS, null, new SqlNodeList(items, POS), left.asFrom(),
        where, null, null, null, null, null, null, null, null);
    return result(select, List.of(Clause.SELECT), e, null);
  }
}
