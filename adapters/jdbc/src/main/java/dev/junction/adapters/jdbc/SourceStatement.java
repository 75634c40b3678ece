package dev.junction.adapters.jdbc;

import dev.junction.spi.RemoteStatement;
import dev.junction.spi.SourcePushdown;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.adapter.jdbc.JdbcCorrelationDataContextBuilderImpl;
import org.apache.calcite.adapter.jdbc.SourceSqlImplementor;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.linq4j.tree.Primitive;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlString;
import org.apache.calcite.util.BuiltInMethod;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import javax.sql.DataSource;

/**
 * One remote statement: a leaf of the executable plan that sends a whole subtree of
 * operators (in its source's convention) to the source as one SQL statement and streams
 * the rows back.
 *
 * <p>Design: Calcite wraps a JDBC subtree in a {@code JdbcToEnumerableConverter}, whose
 * input the cost-based planner keeps exploring; with row counts as its only cost, it
 * often preferred fetching two tables and joining them in Junction over one remote
 * join. Here the pushdown phase decides before cost-based planning what each source runs,
 * and the planner sees only this leaf (its row count estimated from the subtree). The
 * code generated to read the rows is Calcite's converter's, with the SQL coming from
 * {@link SourceSqlImplementor}, which corrects the statement shapes Calcite prints
 * wrong.
 */
final class SourceStatement extends AbstractRelNode implements EnumerableRel, RemoteStatement {
  /**
   * The estimated rows up to which a result the source computes whole is fetched in one
   * piece (no fetch size): a few megabytes at most, where a batch costs a round trip.
   */
  static final double FETCH_ALL_MAX_ROWS = 50_000;

  /**
   * The estimated values (rows times columns) up to which a statement's result is computed
   * whole by a source that can either stream it or compute it first
   * ({@link PushdownDialect#wholeResultSession}). DuckDB streams a scan with less
   * parallelism: 76,000 of SF 1 lineitem's 6 million rows (3 columns) took 26 ms streamed
   * against 16 ms computed whole, and 900,000 rows 110 against 74 ms through Junction, while
   * a whole table of SF 0.1 (600,000 rows of 16 columns) streamed in 1,140 ms against
   * 1,208 ms; streaming also bounds the source's memory for a large export.
   */
  static final double MATERIALIZED_MAX_VALUES = 4_000_000;

  /**
   * The index of the first key-array parameter of a keyed statement ({@link #keyedBy}):
   * far above any index of a parameter the caller binds, far below those of Calcite's
   * correlation parameters ({@code JdbcCorrelationDataContext.OFFSET}).
   */
  static final int KEY_PARAMETER_BASE = 1_000_000;

  private final SourceConvention convention;
  private final RelNode pushed;
  /** For a keyed statement, each key column's array element type; else null. */
  private final List<String> keyArrayTypes;
  /** For a keyed statement, the estimate of the rows it returns; else null. */
  private final Double keyedRows;
  /**
   * {@link #fetchedWhole}'s answer once given: it may ask the source (a round trip), and
   * both EXPLAIN and code generation ask it of the same statement.
   */
  private Boolean fetchedWhole;
  private String displaySql;

  SourceStatement(SourceConvention convention, RelNode pushed) {
    this(convention, pushed, traitsOf(pushed), null, null);
  }

  /**
   * Enumerable, ordered as the subtree's result when it has one known order (a subtree may
   * carry several, which a leaf cannot).
   */
  private static RelTraitSet traitsOf(RelNode pushed) {
    RelTraitSet traits = pushed.getCluster().traitSetOf(EnumerableConvention.INSTANCE);
    List<RelCollation> collations = pushed.getTraitSet().getTraits(RelCollationTraitDef.INSTANCE);
    return collations != null && collations.size() == 1
        ? traits.replace(collations.get(0)) : traits;
  }

  private SourceStatement(SourceConvention convention, RelNode pushed, RelTraitSet traits,
      List<String> keyArrayTypes, Double keyedRows) {
    super(pushed.getCluster(), traits);
    this.convention = convention;
    this.pushed = pushed;
    this.keyArrayTypes = keyArrayTypes;
    this.keyedRows = keyedRows;
    this.rowType = pushed.getRowType();
  }

  /**
   * This statement with a filter per key column that keeps the values of one array
   * parameter ({@link KeySetOperator}, written by {@link PushdownDialect#unparseKeyIn}),
   * or null when the dialect takes no array of a key's type. The statement is sent once
   * with every distinct key of the other side of the join, however many there are, where
   * a batched join sends 256 keys per statement as as many parameters (DuckDB took 11.6 ms
   * for 10 keys padded with NULLs to 256 parameters, 1.1 ms for one list parameter).
   */
  @Override public RelNode keyedBy(List<Integer> keys, double rows) {
    List<String> types = keyArrayTypes(keys);
    if (types == null) {
      return null;
    }
    RexBuilder rex = getCluster().getRexBuilder();
    List<RexNode> filters = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      RelDataType type = pushed.getRowType().getFieldList().get(keys.get(i)).getType();
      RelDataType array = getCluster().getTypeFactory().createArrayType(
          getCluster().getTypeFactory().createTypeWithNullability(type, false), -1);
      filters.add(rex.makeCall(KeySetOperator.INSTANCE, new RexInputRef(keys.get(i), type),
          rex.makeDynamicParam(array, KEY_PARAMETER_BASE + i)));
    }
    return new SourceStatement(convention, keyFiltered(pushed, filters), getTraitSet(),
        types, rows);
  }

  @Override public boolean takesKeyArrays(List<Integer> keys) {
    return keyArrayTypes(keys) != null;
  }

  /**
   * The array element type under which the source takes each of {@code keys}, in order;
   * null when this statement is keyed already, there is no key, or the dialect takes no
   * array of one key's type ({@link PushdownDialect#keyArrayType}).
   */
  private List<String> keyArrayTypes(List<Integer> keys) {
    if (keyArrayTypes != null || !(convention.dialect instanceof PushdownDialect d)
        || keys.isEmpty()) {
      return null;
    }
    List<String> types = new ArrayList<>();
    for (int key : keys) {
      String element = d.keyArrayType(
          pushed.getRowType().getFieldList().get(key).getType().getSqlTypeName());
      if (element == null) {
        return null;
      }
      types.add(element);
    }
    return List.copyOf(types);
  }

  /**
   * {@code rel} filtered by {@code filters} (key filters over its fields), placed below its
   * projections of plain columns and below a grouping on the keys, so the source filters
   * rows before it groups them. Written over the grouped result, as SQL's {@code HAVING},
   * DuckDB grouped all of TPC-H SF 1's lineitem before keeping the 57,000 keys of Q4's
   * orders: 1.3 s, against 0.5 s filtered first. Only the nodes above the filter are new;
   * the subtree it filters is kept as it is (its leaves are what EXPLAIN maps to the
   * statements shown).
   */
  private static RelNode keyFiltered(RelNode rel, List<RexNode> filters) {
    List<Integer> fields = new ArrayList<>();
    for (RexNode f : filters) {
      fields.add(((RexInputRef) ((RexCall) f).getOperands().get(0)).getIndex());
    }
    List<Integer> below = new ArrayList<>();
    RelNode input = null;
    if (rel instanceof Project project) {
      for (int f : fields) {
        below.add(project.getProjects().get(f) instanceof RexInputRef ref ? ref.getIndex() : -1);
      }
      input = project.getInput();
    } else if (rel instanceof Aggregate agg && agg.getGroupType() == Aggregate.Group.SIMPLE) {
      for (int f : fields) {
        below.add(f < agg.getGroupCount() ? agg.getGroupSet().nth(f) : -1);
      }
      input = agg.getInput();
    }
    if (input == null || below.contains(-1)) {
      RexBuilder rex = rel.getCluster().getRexBuilder();
      return LogicalFilter.create(rel, RexUtil.composeConjunction(rex, filters));
    }
    List<RexNode> moved = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      RexCall call = (RexCall) filters.get(i);
      moved.add(call.clone(call.getType(), List.of(
          new RexInputRef(below.get(i), input.getRowType().getFieldList().get(below.get(i))
              .getType()), call.getOperands().get(1))));
    }
    return rel.copy(rel.getTraitSet(), List.of(keyFiltered(input, moved)));
  }

  @Override public SourcePushdown pushdown() {
    return convention;
  }

  @Override public RelNode pushed() {
    return pushed;
  }

  @Override public String sourceName() {
    return convention.sourceName();
  }

  /**
   * The statement as the source receives it first (its optimistic form, when it has one),
   * on one line (correlated keys as {@code ?}).
   */
  @Override public String sql() {
    if (displaySql == null) {
      String optimistic = optimisticSql();
      displaySql = (optimistic != null ? optimistic
          : SqlGeneration.sql(pushed, convention.dialect, null).getSql())
          .replaceAll("\\s*\\n\\s*", " ");
    }
    return displaySql;
  }

  /**
   * The optimistic form of the statement ({@link PushdownDialect#rewriteCallOptimistic}),
   * or null when the dialect has none, the statement does not end in a sort or aggregate
   * (a failure could follow rows already returned), it has parameters, or it reads the
   * same as the exact form.
   */
  private String optimisticSql() {
    if (!(convention.dialect instanceof PushdownDialect d) || d.optimisticFailure() == null
        || SqlGeneration.blockingInput(pushed) == null
        || !RelOptUtil.getVariablesUsed(pushed).isEmpty()) {
      return null;
    }
    SqlString exact = SqlGeneration.sql(pushed, convention.dialect, null);
    if (exact.getDynamicParameters() != null && !exact.getDynamicParameters().isEmpty()) {
      return null;
    }
    String optimistic = SqlGeneration.sql(pushed, convention.dialect, null, true).getSql();
    return optimistic.equals(exact.getSql()) ? null : optimistic;
  }

  @Override protected RelDataType deriveRowType() {
    return pushed.getRowType();
  }

  @Override public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return traitSet.equals(getTraitSet()) ? this
        : new SourceStatement(convention, pushed, traitSet, keyArrayTypes, keyedRows);
  }

  @Override public double estimateRowCount(RelMetadataQuery mq) {
    if (keyedRows != null) {
      return keyedRows;
    }
    Double rows = mq.getRowCount(pushed);
    return rows == null ? super.estimateRowCount(mq) : rows;
  }

  /**
   * Whether a statement the source computes whole before its first row is estimated small
   * enough ({@link #FETCH_ALL_MAX_ROWS}) to be fetched in one piece rather than in
   * fetch-size batches. PostgreSQL plans no parallel workers for a statement read in
   * batches (a portal with a row limit may be suspended): TPC-H Q1 at SF 0.1 took 450 ms
   * read in batches of 1,000 rows and 280 ms read whole, for the same 4 rows. Where
   * Junction's estimate is above the bound, the source's own estimate of a statement without
   * parameters decides ({@link JdbcSourceAdapter#estimatedRows}).
   */
  private boolean fetchedWhole(RelMetadataQuery mq, SqlString sql) {
    if (fetchedWhole == null) {
      fetchedWhole = decideFetchedWhole(mq, sql);
    }
    return fetchedWhole;
  }

  private boolean decideFetchedWhole(RelMetadataQuery mq, SqlString sql) {
    Double rows = mq.getRowCount(pushed);
    if (rows != null && rows <= FETCH_ALL_MAX_ROWS) {
      return true;
    }
    if (keyArrayTypes != null || !RelOptUtil.getVariablesUsed(pushed).isEmpty()
        || sql.getDynamicParameters() != null && !sql.getDynamicParameters().isEmpty()) {
      return false;
    }
    // Junction's estimate of a whole query with subqueries can be far off; the source's
    // planner, which runs the statement, knows better (TPC-H Q15: 337,821 rows for 1).
    Double source = convention.sourceRows(sql.getSql());
    return source != null && source <= FETCH_ALL_MAX_ROWS;
  }

  /** Rows crossing into Junction are what a remote statement costs. */
  @Override public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double rows = mq.getRowCount(this);
    return planner.getCostFactory().makeCost(rows, rows, rows * getRowType().getFieldCount());
  }

  /**
   * The source and SQL; in EXPLAIN (not in the digest the planner compares plans by), also
   * what the source estimates the statement costs ({@link JdbcSourceAdapter#explainEstimate},
   * BigQuery's bytes to be scanned), and {@code fetch=[whole]} for a result read in one
   * piece rather than in fetch-size batches ({@link #fetchedWhole}).
   */
  @Override public RelWriter explainTerms(RelWriter pw) {
    RelWriter w = super.explainTerms(pw).item("source", sourceName()).item("sql", sql());
    if (pw.getDetailLevel() != org.apache.calcite.sql.SqlExplainLevel.DIGEST_ATTRIBUTES) {
      String estimate = convention.explain(sql());
      if (estimate != null) {
        w.item("estimate", estimate);
      }
      if (keyArrayTypes == null && SqlGeneration.blockingInput(pushed) != null
          && fetchedWhole(getCluster().getMetadataQuery(),
              SqlGeneration.sql(pushed, convention.dialect, null))) {
        w.item("fetch", "whole");
      }
    }
    return w;
  }

  @Override public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    if (keyArrayTypes != null) {
      throw new IllegalStateException("a keyed statement is generated by implementKeyed");
    }
    return implement(implementor, pref, false);
  }

  @Override public Result implementKeyed(EnumerableRelImplementor implementor, Prefer pref) {
    if (keyArrayTypes == null) {
      throw new IllegalStateException("not a keyed statement");
    }
    return implement(implementor, pref, true);
  }

  private Result implement(EnumerableRelImplementor implementor, Prefer pref, boolean keyed) {
    final BlockBuilder builder0 = new BlockBuilder(false);
    final PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
        pref.prefer(JavaRowFormat.CUSTOM));
    JdbcCorrelationDataContextBuilderImpl correlations =
        new JdbcCorrelationDataContextBuilderImpl(implementor, builder0, DataContext.ROOT);
    SqlString sqlString = SqlGeneration.sql(pushed, convention.dialect, correlations);
    String sql = sqlString.getSql();
    String optimistic = optimisticSql();
    Hook.QUERY_PLAN.run(optimistic == null ? sql : optimistic);
    final Expression sql_ = builder0.append("sql", Expressions.constant(sql));
    final int fieldCount = getRowType().getFieldCount();
    BlockBuilder builder = new BlockBuilder();
    final ParameterExpression resultSet_ =
        Expressions.parameter(Modifier.FINAL, ResultSet.class, builder.newName("resultSet"));
    final SqlDialect.CalendarPolicy calendarPolicy = convention.dialect.getCalendarPolicy();
    final Expression calendar_ = calendarPolicy == SqlDialect.CalendarPolicy.LOCAL
        ? builder0.append("calendar", Expressions.call(Calendar.class, "getInstance",
            timeZone(implementor)))
        : null;
    if (fieldCount == 0) {
      final ParameterExpression value_ =
          Expressions.parameter(Object.class, builder.newName("value"));
      builder.add(Expressions.declare(Modifier.FINAL, value_, null));
      builder.add(Expressions.return_(null, value_));
    } else if (fieldCount == 1) {
      final ParameterExpression value_ =
          Expressions.parameter(Object.class, builder.newName("value"));
      builder.add(Expressions.declare(Modifier.FINAL, value_, null));
      generateGet(implementor, physType, builder, resultSet_, 0, value_, calendar_,
          calendarPolicy);
      builder.add(Expressions.return_(null, value_));
    } else {
      final Expression values_ = builder.append("values",
          Expressions.newArrayBounds(Object.class, 1, Expressions.constant(fieldCount)));
      for (int i = 0; i < fieldCount; i++) {
        generateGet(implementor, physType, builder, resultSet_, i,
            Expressions.arrayIndex(values_, Expressions.constant(i)), calendar_,
            calendarPolicy);
      }
      builder.add(Expressions.return_(null, values_));
    }
    final ParameterExpression e_ =
        Expressions.parameter(SQLException.class, builder.newName("e"));
    final Expression rowBuilderFactory_ = builder0.append("rowBuilderFactory",
        Expressions.lambda(Expressions.block(Expressions.return_(null,
            Expressions.lambda(!readsColumns() ? builder.toBlock()
                : Expressions.block(Expressions.tryCatch(builder.toBlock(),
                    Expressions.catch_(e_, Expressions.throw_(
                        Expressions.new_(RuntimeException.class, e_)))))))),
            resultSet_));
    final Expression pool_ = pool();
    RelMetadataQuery mq = getCluster().getMetadataQuery();
    double estimate = mq.getRowCount(this);
    boolean whole = SqlGeneration.blockingInput(pushed) != null;
    boolean computedWhole = whole
        || estimate * getRowType().getFieldCount() <= MATERIALIZED_MAX_VALUES;
    String session = computedWhole && convention.dialect instanceof PushdownDialect d
        ? d.wholeResultSession() : null;
    boolean fetchAll = whole && fetchedWhole(mq, sqlString);
    final Expression dataSource_ = session == null && !fetchAll ? pool_
        : builder0.append("dataSource", Expressions.call(WholeResultDataSource.class, "of",
            pool_, Expressions.constant(session, String.class),
            Expressions.constant(fetchAll)));
    final Expression enumerable;
    if (sqlString.getDynamicParameters() != null
        && !sqlString.getDynamicParameters().isEmpty()) {
      Map<Integer, SqlTypeName> types = parameterTypes(pushed);
      List<Expression> indexes = new ArrayList<>();
      List<Expression> kinds = new ArrayList<>();
      for (Integer i : sqlString.getDynamicParameters()) {
        indexes.add(Expressions.constant(i));
        SqlTypeName type = types.get(i);
        kinds.add(Expressions.constant(isKeyParameter(i)
            ? SourceParameters.ARRAY + keyArrayTypes.get(i - KEY_PARAMETER_BASE)
            : type == SqlTypeName.DATE || type == SqlTypeName.TIME
            || type == SqlTypeName.TIMESTAMP ? type.getName() : null, String.class));
      }
      if (keyed) {
        builder0.add(Expressions.return_(null, Expressions.call(KeyedStatements.class, "of",
            dataSource_, sql_, rowBuilderFactory_,
            Expressions.newArrayInit(Integer.class, 1, indexes),
            Expressions.newArrayInit(String.class, 1, kinds), correlations.build())));
        return implementor.result(physType, builder0.toBlock());
      }
      final Expression enricher_ = builder0.append("preparedStatementConsumer",
          Expressions.call(SourceParameters.class, "enricher",
              Expressions.newArrayInit(Integer.class, 1, indexes),
              Expressions.newArrayInit(String.class, 1, kinds), correlations.build()));
      enumerable = builder0.append("enumerable",
          Expressions.call(BuiltInMethod.RESULT_SET_ENUMERABLE_OF_PREPARED.method,
              dataSource_, sql_, rowBuilderFactory_, enricher_));
    } else {
      enumerable = builder0.append("enumerable",
          Expressions.call(BuiltInMethod.RESULT_SET_ENUMERABLE_OF.method,
              dataSource_, sql_, rowBuilderFactory_));
    }
    builder0.add(Expressions.statement(Expressions.call(enumerable,
        BuiltInMethod.RESULT_SET_ENUMERABLE_SET_TIMEOUT.method, DataContext.ROOT)));
    Expression rows = enumerable;
    if (optimistic != null) {
      // Statements without parameters only (see optimisticSql): the same row builder.
      final Expression first = builder0.append("optimistic",
          Expressions.call(BuiltInMethod.RESULT_SET_ENUMERABLE_OF.method, dataSource_,
              Expressions.constant(optimistic), rowBuilderFactory_));
      builder0.add(Expressions.statement(Expressions.call(first,
          BuiltInMethod.RESULT_SET_ENUMERABLE_SET_TIMEOUT.method, DataContext.ROOT)));
      rows = Expressions.call(OptimisticEnumerable.class, "of", first, enumerable,
          Expressions.constant(((PushdownDialect) convention.dialect).optimisticFailure()));
    }
    if (RelOptUtil.getVariablesUsed(pushed).isEmpty()) {
      // Its parameters, if any, are the caller's: it may run before it is reached.
      // Only a statement whose rows the source streams as it computes them: one it computes
      // whole (a grouping, a sort) was slower on a thread of its own, DuckDB's TPC-H Q15 by
      // 0.9 ms of 4.4 and Q9 by 1.3 to 2.7 ms of 15.
      boolean pipelined = !whole && estimate >= ReadAheadEnumerable.PIPELINED_ROWS;
      rows = Expressions.call(ReadAheadEnumerable.class, "of", rows, pool_,
          Expressions.constant(pipelined));
    }
    builder0.add(Expressions.return_(null, rows));
    return implementor.result(physType, builder0.toBlock());
  }

  /** Reads ahead bounded by this source's places ({@link ReadAheadEnumerable}). */
  @Override public Expression readingAhead(Expression rows) {
    return Expressions.call(ReadAheadEnumerable.class, "unit", rows, pool());
  }

  /** The code that gives this source's data source, which its statements read from. */
  private Expression pool() {
    return Schemas.unwrap(convention.expression, DataSource.class);
  }

  /** Whether the parameter of this index is one of a keyed statement's key arrays. */
  private boolean isKeyParameter(int index) {
    return keyArrayTypes != null && index >= KEY_PARAMETER_BASE
        && index < KEY_PARAMETER_BASE + keyArrayTypes.size();
  }

  /** The type of each parameter the caller binds ({@code ?} in the user's SQL), by index. */
  private static Map<Integer, SqlTypeName> parameterTypes(RelNode rel) {
    Map<Integer, SqlTypeName> types = new HashMap<>();
    RexShuttle finder = new RexShuttle() {
      @Override public RexNode visitDynamicParam(RexDynamicParam param) {
        types.put(param.getIndex(), param.getType().getSqlTypeName());
        return param;
      }
    };
    rel.accept(new RelHomogeneousShuttle() {
      @Override public RelNode visit(RelNode other) {
        other.accept(finder);
        return super.visit(other);
      }
    });
    return types;
  }

  /** Whether any column is read from the result set (a NULL column is not). */
  private boolean readsColumns() {
    return getRowType().getFieldList().stream()
        .anyMatch(f -> f.getType().getSqlTypeName() != SqlTypeName.NULL);
  }

  private static Expression timeZone(EnumerableRelImplementor implementor) {
    return Expressions.convert_(Expressions.call(implementor.getRootExpression(), "get",
        Expressions.constant("timeZone")), TimeZone.class);
  }

  /** Reads column {@code i} as Calcite's JDBC converter does. */
  private static void generateGet(EnumerableRelImplementor implementor, PhysType physType,
      BlockBuilder builder, ParameterExpression resultSet_, int i, Expression target,
      Expression calendar_, SqlDialect.CalendarPolicy calendarPolicy) {
    final Primitive primitive = Primitive.ofBoxOr(physType.fieldClass(i));
    final RelDataType fieldType = physType.getRowType().getFieldList().get(i).getType();
    final List<Expression> dateTimeArgs = new ArrayList<>();
    dateTimeArgs.add(Expressions.constant(i + 1));
    SqlTypeName sqlTypeName = fieldType.getSqlTypeName();
    boolean offset = false;
    switch (calendarPolicy) {
      case LOCAL -> dateTimeArgs.add(calendar_);
      case DIRECT -> sqlTypeName = SqlTypeName.ANY;
      case SHIFT -> offset = sqlTypeName == SqlTypeName.TIMESTAMP
          || sqlTypeName == SqlTypeName.DATE;
      default -> {
      }
    }
    final Expression source;
    if (sqlTypeName == SqlTypeName.DATE && calendarPolicy == SqlDialect.CalendarPolicy.NULL) {
      // The day as the source holds it, without java.sql.Date's two time-zone conversions.
      sqlTypeName = SqlTypeName.ANY;
      source = Expressions.call(SourceValues.class, "epochDay", resultSet_,
          Expressions.constant(i + 1));
      builder.add(Expressions.statement(Expressions.assign(target, source)));
      return;
    }
    switch (sqlTypeName) {
      case DATE, TIME, TIMESTAMP -> {
        List<Expression> args = new ArrayList<>();
        args.add(Expressions.call(resultSet_, dateTimeGetter(sqlTypeName), dateTimeArgs));
        if (offset) {
          args.add(timeZone(implementor));
        }
        source = Expressions.call(dateTimeConverter(sqlTypeName, fieldType.isNullable(),
            offset), args);
      }
      case ARRAY -> source = Expressions.call(BuiltInMethod.JDBC_ARRAY_TO_LIST.method,
          Expressions.convert_(Expressions.call(resultSet_, jdbcGetMethod(primitive),
              Expressions.constant(i + 1)), java.sql.Array.class));
      case NULL -> source = RexImpTable.NULL_EXPR;
      default -> source = Expressions.call(resultSet_, jdbcGetMethod(primitive),
          Expressions.constant(i + 1));
    }
    builder.add(Expressions.statement(Expressions.assign(target, source)));
    // A NULL column is not read, so there is no read to ask wasNull about (SQLite then
    // fails: "column -1 out of bounds").
    if (primitive != null && sqlTypeName != SqlTypeName.NULL) {
      builder.add(Expressions.ifThen(Expressions.call(resultSet_, "wasNull"),
          Expressions.statement(Expressions.assign(target, Expressions.constant(null)))));
    }
  }

  private static Method dateTimeConverter(SqlTypeName sqlTypeName, boolean nullable,
      boolean offset) {
    return switch (sqlTypeName) {
      case DATE -> (nullable
          ? (offset ? BuiltInMethod.DATE_TO_INT_OPTIONAL_OFFSET
              : BuiltInMethod.DATE_TO_INT_OPTIONAL)
          : (offset ? BuiltInMethod.DATE_TO_INT_OFFSET : BuiltInMethod.DATE_TO_INT)).method;
      case TIME -> (nullable ? BuiltInMethod.TIME_TO_INT_OPTIONAL
          : BuiltInMethod.TIME_TO_INT).method;
      case TIMESTAMP -> (nullable
          ? (offset ? BuiltInMethod.TIMESTAMP_TO_LONG_OPTIONAL_OFFSET
              : BuiltInMethod.TIMESTAMP_TO_LONG_OPTIONAL)
          : (offset ? BuiltInMethod.TIMESTAMP_TO_LONG_OFFSET
              : BuiltInMethod.TIMESTAMP_TO_LONG)).method;
      default -> throw new AssertionError(sqlTypeName + ":" + nullable);
    };
  }

  private static Method dateTimeGetter(SqlTypeName sqlTypeName) {
    return switch (sqlTypeName) {
      case DATE -> BuiltInMethod.RESULT_SET_GET_DATE2.method;
      case TIME -> BuiltInMethod.RESULT_SET_GET_TIME2.method;
      case TIMESTAMP -> BuiltInMethod.RESULT_SET_GET_TIMESTAMP2.method;
      default -> throw new AssertionError(sqlTypeName);
    };
  }

  /** {@code getInt} for an int column, {@code getObject} for anything boxed. */
  private static String jdbcGetMethod(Primitive primitive) {
    return primitive == null ? "getObject"
        : "get" + org.apache.calcite.runtime.SqlFunctions.initcap(primitive.primitiveName);
  }
}
