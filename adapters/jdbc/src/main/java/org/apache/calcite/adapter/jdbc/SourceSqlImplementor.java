package org.apache.calcite.adapter.jdbc;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.util.SqlString;
import org.apache.calcite.util.Litmus;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 *
 * <p>Repeated subtrees: a join or aggregate that occurs twice in one statement (TPC-H
 * Q15's view, read once for its rows and once for their maximum) is written once, as a
 * {@code WITH} item both uses read, so the source computes it once where it materializes
 * a common table expression read twice (PostgreSQL, DuckDB) instead of twice; inlined,
 * PostgreSQL ran Q15 in 2.4 times its own time. The planner prunes each use's columns on
 * its own, so the two copies of Q15's aggregate differ in the projections under them:
 * an aggregate over filters and projections of one table is recognized by what it
 * computes (the table, the conditions, the group keys and the aggregate calls, each in
 * terms of the table's columns), anything else by its digest. Only where the statement
 * has no parameters: a {@code WITH} item moves its text, and with it the order of its
 * {@code ?}.
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
    Set<String> shared = sharedSubtrees(rel);
    if (shared.isEmpty()) {
      return inLists(implementor.visitRoot(rel).asStatement()).toSqlString(dialect);
    }
    WithItems with = new WithItems(implementor, shared);
    SqlNode body = implementor.visitRoot(with.replace(rel)).asStatement();
    return new WithStatement(new SqlNodeList(List.copyOf(with.items.values()), POS), body)
        .toSqlString(dialect);
  }

  /**
   * Replaces each occurrence of a shared subtree by a {@link WithReference} leaf, writing
   * the subtree as a {@code WITH} item on first sight. The parents then see a leaf, as
   * they would a table: Calcite's generator shapes a parent by its input's class (a filter
   * over an aggregate becomes its {@code HAVING}), which must not happen to a reference.
   */
  private static final class WithItems {
    private final SourceSqlImplementor implementor;
    private final Set<String> shared;
    /** The items by key, in an order where each precedes its first use. */
    final Map<String, SqlWithItem> items = new LinkedHashMap<>();

    WithItems(SourceSqlImplementor implementor, Set<String> shared) {
      this.implementor = implementor;
      this.shared = shared;
    }

    RelNode replace(RelNode rel) {
      String key = shareKey(rel);
      if (!shared.contains(key)) {
        return replaceInputs(rel);
      }
      SqlWithItem item = items.get(key);
      if (item == null) {
        SqlNode query = implementor.visitRoot(replaceInputs(rel)).asStatement();
        List<SqlNode> columns = new ArrayList<>();
        for (String name : rel.getRowType().getFieldNames()) {
          columns.add(new SqlIdentifier(name, POS));
        }
        item = new SqlWithItem(POS, new SqlIdentifier("junction_w" + items.size(), POS),
            new SqlNodeList(columns, POS), query);
        items.put(key, item);
      }
      return new WithReference(rel, item);
    }

    private RelNode replaceInputs(RelNode rel) {
      List<RelNode> inputs = new ArrayList<>();
      boolean changed = false;
      for (RelNode input : rel.getInputs()) {
        RelNode replaced = replace(input);
        changed |= replaced != input;
        inputs.add(replaced);
      }
      RelNode copy = changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
      return copy.accept(new RexShuttle() {
        @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
          RelNode replaced = replace(subQuery.rel);
          return replaced == subQuery.rel ? subQuery : subQuery.clone(replaced);
        }
      });
    }
  }

  /** A use of a {@code WITH} item: a leaf with the row type of the subtree it stands for. */
  private static final class WithReference extends AbstractRelNode {
    final SqlWithItem item;

    WithReference(RelNode replaced, SqlWithItem item) {
      super(replaced.getCluster(), replaced.getTraitSet());
      this.rowType = replaced.getRowType();
      this.item = item;
    }

    @Override protected RelDataType deriveRowType() {
      return rowType;
    }

    @Override public RelWriter explainTerms(RelWriter pw) {
      return super.explainTerms(pw).item("with", item.name.getSimple())
          .item("fields", rowType.getFieldNames());
    }
  }

  /**
   * {@code WITH items body}, with the body unparenthesized: Calcite writes
   * {@code WITH w AS (...) (SELECT ...)}, which SQLite rejects.
   */
  private static final class WithStatement extends SqlWith {
    WithStatement(SqlNodeList withList, SqlNode body) {
      super(POS, withList, body);
    }

    @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
      SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.WITH, "WITH", "");
      SqlWriter.Frame items = writer.startList("", "");
      for (SqlNode item : withList) {
        writer.sep(",");
        item.unparse(writer, 0, 0);
      }
      writer.endList(items);
      SqlWriter.Frame bodyFrame = writer.startList(SqlWriter.FrameTypeEnum.WITH_BODY);
      body.unparse(writer, 0, 0);
      writer.endList(bodyFrame);
      writer.endList(frame);
    }
  }

  /**
   * Keys of the largest subtrees of {@code root} that occur more than once and are
   * worth computing once: they join or aggregate, and every expression in them is
   * deterministic. Empty when the statement binds parameters or correlation variables.
   */
  static Set<String> sharedSubtrees(RelNode root) {
    Map<String, Integer> counts = new HashMap<>();
    boolean[] bindsValues = {false};
    countSubtrees(root, counts, bindsValues);
    if (bindsValues[0]) {
      return Set.of();
    }
    Set<String> shared = new HashSet<>();
    markShared(root, counts, shared);
    return shared;
  }

  private static void countSubtrees(RelNode rel, Map<String, Integer> counts,
      boolean[] bindsValues) {
    counts.merge(shareKey(rel), 1, Integer::sum);
    rel.accept(new RexShuttle() {
      @Override public RexNode visitDynamicParam(RexDynamicParam param) {
        bindsValues[0] = true;
        return param;
      }

      @Override public RexNode visitCorrelVariable(RexCorrelVariable variable) {
        bindsValues[0] = true;
        return variable;
      }

      @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
        countSubtrees(subQuery.rel, counts, bindsValues);
        return super.visitSubQuery(subQuery);
      }
    });
    for (RelNode input : rel.getInputs()) {
      countSubtrees(input, counts, bindsValues);
    }
  }

  private static void markShared(RelNode rel, Map<String, Integer> counts,
      Set<String> shared) {
    String key = shareKey(rel);
    if (counts.getOrDefault(key, 0) > 1 && worthSharing(rel)) {
      shared.add(key);
      return;
    }
    for (RelNode input : rel.getInputs()) {
      markShared(input, counts, shared);
    }
  }

  /**
   * What identifies {@code rel} as a repeated subtree: for a simple aggregate over
   * filters and projections of one table, what it computes in terms of the table's
   * columns, and the types of its fields; otherwise its digest.
   */
  static String shareKey(RelNode rel) {
    if (rel instanceof Aggregate aggregate && Aggregate.isSimple(aggregate)) {
      String key = aggregateKey(aggregate);
      if (key != null) {
        return key;
      }
    }
    return rel.getDigest();
  }

  private static String aggregateKey(Aggregate aggregate) {
    RelNode node = aggregate.getInput();
    List<RexNode> fields = new ArrayList<>();
    for (int i = 0; i < node.getRowType().getFieldCount(); i++) {
      fields.add(RexInputRef.of(i, node.getRowType()));
    }
    List<RexNode> conditions = new ArrayList<>();
    while (!(node instanceof TableScan)) {
      if (node instanceof Filter filter) {
        conditions.addAll(RelOptUtil.conjunctions(filter.getCondition()));
      } else if (node instanceof Project project) {
        fields = RelOptUtil.pushPastProject(fields, project);
        conditions = new ArrayList<>(RelOptUtil.pushPastProject(conditions, project));
      } else {
        return null;
      }
      node = node.getInput(0);
    }
    // One filter may hold a range as SEARCH, its twin as two comparisons.
    List<String> where = new ArrayList<>();
    RexBuilder rexBuilder = aggregate.getCluster().getRexBuilder();
    for (RexNode condition : conditions) {
      for (RexNode conjunct
          : RelOptUtil.conjunctions(RexUtil.expandSearch(rexBuilder, null, condition))) {
        where.add(conjunct.toString());
      }
    }
    where.sort(null);
    List<String> groups = new ArrayList<>();
    for (int key : aggregate.getGroupSet()) {
      groups.add(fields.get(key).toString());
    }
    List<String> calls = new ArrayList<>();
    for (AggregateCall call : aggregate.getAggCallList()) {
      List<String> args = new ArrayList<>();
      for (int arg : call.getArgList()) {
        args.add(fields.get(arg).toString());
      }
      calls.add(call.getAggregation().getName() + (call.isDistinct() ? " DISTINCT" : "")
          + args + (call.filterArg >= 0 ? " FILTER " + fields.get(call.filterArg) : "")
          + " " + call.collation);
    }
    List<String> types = new ArrayList<>();
    for (RelDataTypeField field : aggregate.getRowType().getFieldList()) {
      types.add(field.getType().getFullTypeString());
    }
    return "aggregate of " + ((TableScan) node).getTable().getQualifiedName() + " where "
        + where + " group by " + groups + " computing " + calls + " typed " + types;
  }

  /** Whether {@code rel} joins or aggregates and computes nothing non-deterministic. */
  private static boolean worthSharing(RelNode rel) {
    boolean[] costly = {false};
    boolean[] deterministic = {true};
    walk(rel, costly, deterministic);
    return costly[0] && deterministic[0];
  }

  private static void walk(RelNode rel, boolean[] costly, boolean[] deterministic) {
    if (rel instanceof Join || rel instanceof Aggregate) {
      costly[0] = true;
    }
    if (!(rel instanceof TableScan)) {
      rel.accept(new RexShuttle() {
        @Override public RexNode visitCall(RexCall call) {
          if (!call.getOperator().isDeterministic()) {
            deterministic[0] = false;
          }
          return super.visitCall(call);
        }

        @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
          walk(subQuery.rel, costly, deterministic);
          return super.visitSubQuery(subQuery);
        }
      });
    }
    for (RelNode input : rel.getInputs()) {
      walk(input, costly, deterministic);
    }
  }

  /**
   * A use of a {@code WITH} item, read as a table; a use whose fields are named otherwise
   * than the item's columns selects them under its own names.
   */
  public Result visit(WithReference e) {
    List<String> names = e.getRowType().getFieldNames();
    List<SqlNode> items = new ArrayList<>();
    boolean renamed = false;
    for (int i = 0; i < names.size(); i++) {
      SqlIdentifier column = (SqlIdentifier) e.item.columnList.get(i);
      renamed |= !column.getSimple().equals(names.get(i));
      items.add(as(column, names.get(i)));
    }
    if (!renamed) {
      return result(e.item.name, List.of(Clause.FROM), e, null);
    }
    SqlSelect select = new SqlSelect(POS, null, new SqlNodeList(items, POS), e.item.name,
        null, null, null, null, null, null, null, null, null);
    return result(select, List.of(Clause.SELECT), e, null);
  }

  /**
   * {@code node} with each disjunction of equalities between one expression and
   * parameters or literals ({@code x = ? OR x = ? OR ...}, as Calcite's key-batched join
   * writes a batch of keys; {@code SUBSTRING(c, 1, 2) = '13' OR ...}, as Calcite writes a
   * short IN list it did not simplify, in a subquery sent as written) written as
   * {@code x IN (?, ?, ...)}, which means the same in SQL's three-valued logic. The values
   * keep their order; the expression must be deterministic, since it is now evaluated
   * once. A source plans an IN list as a set of point lookups; a chain of 256 ORs of
   * mostly-NULL parameters made MariaDB evaluate every disjunct on every row of a join
   * (TPC-H Q11: 930 ms against 240 ms for reading the whole join), and PostgreSQL
   * computed TPC-H Q22's {@code SUBSTRING} once per disjunct (estimated cost 8,304
   * against 7,723 for the IN list).
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
          || !(eq.operand(1) instanceof SqlDynamicParam
              || eq.operand(1) instanceof SqlLiteral literal
                  && literal.getTypeName() != SqlTypeName.NULL)
          || !deterministic(eq.operand(0))) {
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

  /**
   * Whether {@code node} is a column, or a call of deterministic operators over columns and
   * literals, so that evaluating it once gives what evaluating it per disjunct would.
   */
  private static boolean deterministic(SqlNode node) {
    if (node instanceof SqlIdentifier || node instanceof SqlLiteral) {
      return true;
    }
    if (!(node instanceof SqlBasicCall call) || !call.getOperator().isDeterministic()
        || call.getOperator().isDynamicFunction()) {
      return false;
    }
    for (SqlNode operand : call.getOperandList()) {
      if (operand != null && !deterministic(operand)) {
        return false;
      }
    }
    return true;
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
