package dev.junction.planner.planning;

import dev.junction.planner.pushdown.StatementFilterRule;
import dev.junction.planner.security.Access;
import dev.junction.planner.security.GovernedSchemas;
import dev.junction.planner.security.PolicyGuards;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.tools.Program;
import org.apache.calcite.util.CancelFlag;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Calcite's statement preparation with Junction's pipeline ({@link JunctionPrograms})
 * and a planning deadline: planning that runs past it is aborted with an error instead
 * of occupying a core indefinitely ({@code setQueryTimeout} does not cover planning).
 *
 * <p>Junction is read-only: a statement that would write (INSERT, UPDATE, DELETE, MERGE,
 * DDL) is refused here, once parsed and before it is planned, with
 * {@link ErrorCode#READ_ONLY}; statements Calcite's parser does not know (CREATE TABLE,
 * DROP, TRUNCATE, GRANT...) are recognised by their first word when they fail to parse.
 */
public final class JunctionPrepare extends CalcitePrepareImpl {
  /** Default bound on planning one statement. */
  public static final Duration DEFAULT_PLANNING_TIMEOUT = Duration.ofSeconds(30);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junction-planning-deadline");
        t.setDaemon(true);
        return t;
      });

  /** First words of statements that write or change schema, for SQL that does not parse. */
  private static final Set<String> WRITE_VERBS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE",
      "UPSERT", "REPLACE", "CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME", "COMMENT",
      "GRANT", "REVOKE", "COPY", "LOAD", "CALL");

  private final Duration planningTimeout;

  /** Creates a preparer with the given planning deadline. */
  public JunctionPrepare(Duration planningTimeout) {
    this.planningTimeout = planningTimeout;
  }

  @Override public <T> CalciteSignature<T> prepareSql(CalcitePrepare.Context context,
      CalcitePrepare.Query<T> query, Type elementType, long maxRowCount) {
    TOUCHED.remove();
    ORIGINS.remove();
    HOLDS_ROWS.remove();
    FETCH.set(maxRowCount);
    RESULT_KEY.remove();
    CACHE_HINTS.remove();
    Access access = GovernedSchemas.access(context.getRootSchema()).orElse(null);
    long policyVersion = access == null ? -1 : access.policyVersion();
    try {
      CalciteSignature<T> signature = super.prepareSql(context, query, elementType,
          maxRowCount);
      List<String> touched = TOUCHED.get();
      withCatalogNames(signature.columns, ORIGINS.get());
      try {
        signature.internalParameters.put(POLICY_VERSION, policyVersion);
        signature.internalParameters.put(TABLES, touched == null ? List.of() : touched);
        signature.internalParameters.put(HOLDS_ROWS_LOCALLY,
            Boolean.TRUE.equals(HOLDS_ROWS.get()));
        String resultKey = RESULT_KEY.get();
        if (resultKey != null) {
          signature.internalParameters.put(RESULT_KEY_PARAMETER, resultKey);
        }
        String hint = CACHE_HINTS.get();
        if (hint != null) {
          signature.internalParameters.put(CACHE_HINT, hint);
        }
      } catch (UnsupportedOperationException e) {
        // Calcite's fast path for SELECT 1 / VALUES 1 has an immutable map: it reads no
        // table, so there is nothing to record.
      }
      return signature;
    } catch (RuntimeException e) {
      if (query.sql != null && e.getCause() instanceof SqlParseException) {
        int analyze = ExplainAnalyze.prefixEnd(query.sql);
        String verb = firstWord(analyze < 0 ? query.sql : query.sql.substring(analyze));
        if (WRITE_VERBS.contains(verb)) {
          throw readOnly(verb, e.getCause());
        }
      }
      throw e;
    } finally {
      TOUCHED.remove();
      ORIGINS.remove();
      HOLDS_ROWS.remove();
      FETCH.remove();
      RESULT_KEY.remove();
      CACHE_HINTS.remove();
    }
  }

  /**
   * Whether the plan keeps rows in Junction's memory while it runs (a {@code Boolean}): it
   * joins, sorts, aggregates, combines set operations or computes windows outside its
   * sources. The driver meters such a query's rows against its memory budget.
   */
  public static final String HOLDS_ROWS_LOCALLY = "junction.holdsRowsLocally";

  /** Whether the plan being prepared on this thread holds rows locally. */
  private static final ThreadLocal<Boolean> HOLDS_ROWS = new ThreadLocal<>();

  /**
   * The row count the statement being prepared on this thread may return at most
   * (Calcite's {@code maxRowCount}: {@code Statement.setMaxRows}, or the driver's row cap
   * plus one); a positive value becomes a {@code Sort(fetch)} on top of the plan, which
   * the pushdown rules turn into a LIMIT on the source's SQL where the whole result comes
   * from one statement.
   */
  private static final ThreadLocal<Long> FETCH = new ThreadLocal<>();

  /** Whether evaluating {@code plan} holds rows in Junction (see {@link #HOLDS_ROWS_LOCALLY}). */
  static boolean holdsRowsLocally(RelNode plan) {
    boolean[] holds = {false};
    holdsRows(plan, holds);
    return holds[0];
  }

  private static void holdsRows(RelNode rel, boolean[] holds) {
    if (holds[0] || rel instanceof dev.junction.spi.RemoteStatement) {
      return; // what a source computes is held by the source
    }
    if (rel instanceof org.apache.calcite.rel.core.Join
        || rel instanceof org.apache.calcite.rel.core.Correlate
        || rel instanceof org.apache.calcite.rel.core.Aggregate
        || rel instanceof org.apache.calcite.rel.core.Window
        || rel instanceof org.apache.calcite.rel.core.Minus
        || rel instanceof org.apache.calcite.rel.core.Intersect
        || rel instanceof org.apache.calcite.rel.core.Union u && !u.all
        || rel instanceof org.apache.calcite.rel.core.Sort sort
            && !sort.getCollation().getFieldCollations().isEmpty()) {
      holds[0] = true;
      return;
    }
    rel.accept(new org.apache.calcite.rex.RexShuttle() {
      @Override public org.apache.calcite.rex.RexNode visitSubQuery(
          org.apache.calcite.rex.RexSubQuery subQuery) {
        holdsRows(subQuery.rel, holds);
        return subQuery;
      }
    });
    for (RelNode input : rel.getInputs()) {
      holdsRows(input, holds);
    }
  }

  /**
   * {@code rel} under a {@code Sort} that keeps its order ({@code collation}) and stops
   * after {@code fetch} rows.
   */
  static RelNode withFetch(RelNode rel, org.apache.calcite.plan.RelTraitSet traits,
      long fetch) {
    org.apache.calcite.rel.RelCollation collation =
        traits.getTrait(org.apache.calcite.rel.RelCollationTraitDef.INSTANCE);
    if (collation == null) {
      collation = org.apache.calcite.rel.RelCollations.EMPTY;
    }
    var rex = rel.getCluster().getRexBuilder();
    return org.apache.calcite.rel.logical.LogicalSort.create(rel, collation, null,
        rex.makeExactLiteral(java.math.BigDecimal.valueOf(fetch)));
  }

  /**
   * What identifies the result of a statement's plan, for the result cache: the final
   * plan (after the policy rewrite, so row filters and masks are in it as literals), each
   * remote statement's subtree and the row type, as text. The statement's
   * {@link CalciteSignature#internalParameters} entry under this key (a {@code String}); absent
   * when the plan's result may differ between two runs with the same parameters (see
   * {@link #resultKey}).
   */
  public static final String RESULT_KEY_PARAMETER = "junction.resultKey";

  /**
   * The statement's {@code /*+ result_cache(bypass|force) *}{@code /} hint: its
   * {@link CalciteSignature#internalParameters} entry under this key ({@code "bypass"} or
   * {@code "force"}), absent without the hint.
   */
  public static final String CACHE_HINT = "junction.cacheHint";

  /** The name of the result cache hint. */
  public static final String CACHE_HINT_NAME = "result_cache";

  /** The result key of the plan being prepared on this thread. */
  private static final ThreadLocal<String> RESULT_KEY = new ThreadLocal<>();

  /** The cache hint of the statement being prepared on this thread. */
  private static final ThreadLocal<String> CACHE_HINTS = new ThreadLocal<>();

  /**
   * The result key of a final plan, or null when it is not deterministic: it calls a
   * non-deterministic function ({@code RAND}) or one whose value depends on when or by whom
   * it runs ({@code CURRENT_TIMESTAMP}, {@code CURRENT_USER} written by the user; the
   * policy's own are literals by now), or reads the {@code junction} system schema.
   */
  static String resultKey(RelNode best) {
    StringBuilder key = new StringBuilder(best.getRowType().getFullTypeString()).append('\n')
        .append(org.apache.calcite.plan.RelOptUtil.toString(best,
            org.apache.calcite.sql.SqlExplainLevel.DIGEST_ATTRIBUTES));
    boolean[] cacheable = {true};
    org.apache.calcite.rex.RexVisitor<Void> check =
        new org.apache.calcite.rex.RexVisitorImpl<Void>(true) {
          @Override public Void visitCall(org.apache.calcite.rex.RexCall call) {
            if (!call.getOperator().isDeterministic() || call.getOperator().isDynamicFunction()) {
              cacheable[0] = false;
            }
            return super.visitCall(call);
          }
        };
    dev.junction.spi.RemoteStatement.forEachNode(best, node -> {
      if (node instanceof dev.junction.spi.RemoteStatement remote) {
        key.append('\n').append(remote.sourceName()).append(": ")
            .append(org.apache.calcite.plan.RelOptUtil.toString(remote.pushed(),
                org.apache.calcite.sql.SqlExplainLevel.DIGEST_ATTRIBUTES));
      }
      if (node instanceof org.apache.calcite.rel.core.TableScan scan
          && SYSTEM_SCHEMA.equals(scan.getTable().getQualifiedName().get(0))) {
        cacheable[0] = false;
      }
      node.accept(new org.apache.calcite.rex.RexShuttle() {
        @Override public org.apache.calcite.rex.RexNode visitCall(
            org.apache.calcite.rex.RexCall call) {
          call.accept(check);
          return call;
        }
      });
    });
    return cacheable[0] ? key.toString() : null;
  }

  /** The system schema's name: its tables are never cached. */
  public static final String SYSTEM_SCHEMA = "junction";

  /**
   * The cache hint on a statement's outermost SELECT ({@code bypass} or {@code force}), or
   * null; any other option is an error naming the allowed ones. The hint is taken off the
   * statement: it is Junction's, not a planner hint, and Calcite would reject it where it
   * attaches hints to the policy's views.
   */
  static String cacheHint(SqlNode node) {
    SqlNode n = node;
    while (true) {
      if (n instanceof org.apache.calcite.sql.SqlOrderBy orderBy) {
        n = orderBy.query;
      } else if (n instanceof org.apache.calcite.sql.SqlWith with) {
        n = with.body;
      } else {
        break;
      }
    }
    String found = n instanceof org.apache.calcite.sql.SqlSelect select
        ? takeCacheHint(select) : null;
    // Anywhere else (a subquery, an EXPLAIN) it has no effect, but is taken off too.
    node.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>() {
      @Override public Void visit(org.apache.calcite.sql.SqlCall call) {
        if (call instanceof org.apache.calcite.sql.SqlSelect select) {
          takeCacheHint(select);
        }
        return super.visit(call);
      }
    });
    return found;
  }

  /** Removes the {@code result_cache} hint from a SELECT; returns its option, or null. */
  private static String takeCacheHint(org.apache.calcite.sql.SqlSelect select) {
    if (!select.hasHints()) {
      return null;
    }
    String found = null;
    List<SqlNode> others = new java.util.ArrayList<>();
    for (SqlNode h : select.getHints()) {
      org.apache.calcite.sql.SqlHint hint = (org.apache.calcite.sql.SqlHint) h;
      if (!hint.getName().equalsIgnoreCase(CACHE_HINT_NAME)) {
        others.add(h);
        continue;
      }
      List<String> options = hint.getOptionList();
      String option = options.size() == 1 ? options.get(0).toLowerCase(Locale.ROOT) : "";
      if (!option.equals("bypass") && !option.equals("force")) {
        throw new JunctionException(ErrorCode.SYNTAX_ERROR, "hint " + CACHE_HINT_NAME
            + "(" + String.join(", ", options) + "): allowed: " + CACHE_HINT_NAME
            + "(bypass), " + CACHE_HINT_NAME + "(force)");
      }
      found = option;
    }
    select.setHints(new org.apache.calcite.sql.SqlNodeList(others,
        select.getHints().getParserPosition()));
    return found;
  }

  /** Where each result column of the statement being prepared on this thread comes from. */
  private static final ThreadLocal<List<? extends List<String>>> ORIGINS = new ThreadLocal<>();

  /**
   * Gives result columns read straight from a table the source they come from as their
   * catalog name. Calcite fills in the schema and table of such a column from its origin
   * ({@code source.schema.table.column}) but never the catalog.
   */
  private static void withCatalogNames(List<org.apache.calcite.avatica.ColumnMetaData> columns,
      List<? extends List<String>> origins) {
    if (origins == null || origins.size() != columns.size()) {
      return;
    }
    for (int i = 0; i < columns.size(); i++) {
      List<String> origin = origins.get(i);
      org.apache.calcite.avatica.ColumnMetaData c = columns.get(i);
      if (origin == null || origin.size() != 4 || c.catalogName != null) {
        continue;
      }
      try {
        columns.set(i, new org.apache.calcite.avatica.ColumnMetaData(c.ordinal, c.autoIncrement,
            c.caseSensitive, c.searchable, c.currency, c.nullable, c.signed, c.displaySize,
            c.label, c.columnName, c.schemaName, c.precision, c.scale, c.tableName,
            origin.get(0), c.type, c.readOnly, c.writable, c.definitelyWritable,
            c.columnClassName));
      } catch (UnsupportedOperationException e) {
        return;
      }
    }
  }

  /**
   * The tables a prepared statement reads, as {@code source.schema.table} names: the
   * statement's {@link CalciteSignature#internalParameters} entry under this key (a
   * {@code List<String>}), for the audit trail.
   */
  public static final String TABLES = "junction.tables";

  /**
   * The version of the access policy a statement was prepared under (a {@code Long}; -1
   * without a policy): its {@link CalciteSignature#internalParameters} entry under this key.
   */
  public static final String POLICY_VERSION = "junction.policyVersion";

  /** The tables the plan being prepared on this thread reads. */
  private static final ThreadLocal<List<String>> TOUCHED = new ThreadLocal<>();

  /** The tables a final plan scans, each once, in plan order. */
  static List<String> tablesOf(org.apache.calcite.rel.RelNode rel) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    dev.junction.spi.RemoteStatement.forEachNode(rel, node -> {
      if (node instanceof org.apache.calcite.rel.core.TableScan scan) {
        out.add(String.join(".", scan.getTable().getQualifiedName()));
      }
    });
    return List.copyOf(out);
  }

  /** DDL that parsed (Calcite's parser knows a few forms): refused, nothing is executed. */
  @Override public void executeDdl(CalcitePrepare.Context context, SqlNode node) {
    if (node.getKind() == SqlKind.SET_OPTION) {
      throw new JunctionException(ErrorCode.FEATURE_NOT_SUPPORTED,
          "SET and ALTER SESSION are not supported; set options as connection properties");
    }
    throw readOnly(node.getKind().sql.replace('_', ' '), null);
  }

  /** The error for a statement that would write. */
  static JunctionException readOnly(String what, Throwable cause) {
    return new JunctionException(ErrorCode.READ_ONLY, "Junction is read-only: " + what
        + " statements are not supported. Write to the source database directly.", cause);
  }

  /** A duration as people write it: {@code 30 s}, {@code 250 ms}. */
  static String readable(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** The statement's first keyword in upper case, after blanks, comments and parentheses. */
  static String firstWord(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && Character.isLetter(sql.charAt(i))) {
      i++;
    }
    return sql.substring(start, i).toUpperCase(Locale.ROOT);
  }

  /** Parses {@code EXPLAIN ANALYZE}, which Calcite's parser does not know. */
  @Override protected SqlParser createParser(String sql, SqlParser.Config parserConfig) {
    int analyze = ExplainAnalyze.prefixEnd(sql);
    return analyze < 0 ? super.createParser(sql, parserConfig)
        : ExplainAnalyze.parser(sql, analyze, parserConfig);
  }

  @Override protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.Context externalContext, RelOptCostFactory costFactory) {
    CancelFlag flag = new CancelFlag(new AtomicBoolean());
    PlanningOptions options = prepareContext instanceof PlanningOptions.Carrier carrier
        ? carrier.planningOptions() : PlanningOptions.DEFAULT;
    org.apache.calcite.plan.Context context = externalContext == null
        ? Contexts.of(prepareContext.config(), flag, options)
        : Contexts.chain(externalContext, Contexts.of(flag, options));
    RelOptPlanner planner = super.createPlanner(prepareContext, context, costFactory);
    planner.removeRule(
        org.apache.calcite.rel.rules.CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW);
    planner.addRule(JunctionRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW);
    // Sources deliver rows unsorted, so a merge join sorts both inputs in Junction: for
    // federated TPC-H Q9 a local sort of 600,000 lineitem rows (3.1 s against 1.1 s with
    // hash joins, HashJoinSides choosing the build side).
    planner.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
    // linq4j's sort builds a tree map of the rows: 3.4x slower than sorting them in a list.
    planner.removeRule(EnumerableRules.ENUMERABLE_SORT_RULE);
    planner.addRule(JunctionRules.LOCAL_SORT);
    planner.addRule(KeyPushdownJoinRule.INSTANCE);
    planner.addRule(KeySetJoinRule.INSTANCE);
    planner.addRule(KeyPushdownCommuteRule.INSTANCE);
    planner.addRule(StatementFilterRule.INSTANCE);
    return planner;
  }

  @Override protected CalcitePreparingStmt getPreparingStmt(CalcitePrepare.Context context,
      Type elementType, CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    EnumerableRel.Prefer prefer = elementType == Object[].class
        ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM;
    var typeFactory = context.getTypeFactory();
    return new PreparingStmt(this, context, SourceFirstCatalogReader.of(catalogReader),
        typeFactory, context.getRootSchema(), prefer,
        createCluster(planner, new org.apache.calcite.rex.RexBuilder(typeFactory)),
        org.apache.calcite.adapter.enumerable.EnumerableConvention.INSTANCE,
        createConvertletTable(), planningTimeout,
        GovernedSchemas.access(context.getRootSchema()).orElse(null));
  }

  /** A preparing statement whose optimization runs Junction's program under a deadline. */
  private static final class PreparingStmt extends CalcitePreparingStmt {
    private final Duration timeout;
    private final Access access;
    private boolean explain;
    private boolean analyze;
    /** For EXPLAIN ANALYZE: the plan as the caller may see it, and its statements' SQL. */
    private RelNode shownPlan;
    private Map<String, String> shownSql;

    PreparingStmt(CalcitePrepareImpl prepare, CalcitePrepare.Context context,
        Prepare.CatalogReader catalogReader, RelDataTypeFactory typeFactory,
        CalciteSchema schema, EnumerableRel.Prefer prefer, RelOptCluster cluster,
        Convention resultConvention, SqlRexConvertletTable convertletTable,
        Duration timeout, Access access) {
      super(prepare, context, catalogReader, typeFactory, schema, prefer, cluster,
          resultConvention, convertletTable);
      this.timeout = timeout;
      this.access = access;
    }

    /** Validates with names resolved source first ({@link SourceFirstCatalogReader}). */
    @Override protected SqlValidator createSqlValidator(Prepare.CatalogReader catalogReader,
        UnaryOperator<SqlValidator.Config> configTransform) {
      return super.createSqlValidator(SourceFirstCatalogReader.of(catalogReader),
          configTransform);
    }

    /** Refuses statements that write before they are validated or planned. */
    @Override public PreparedResult prepareSql(SqlNode sqlQuery, SqlNode sqlNodeOriginal,
        Class<?> runtimeContextClass, SqlValidator validator, boolean needsValidation) {
      explain = sqlQuery.getKind() == SqlKind.EXPLAIN;
      analyze = sqlQuery instanceof ExplainAnalyze.Statement;
      if (analyze) {
        SqlKind kind = ((SqlExplain) sqlQuery).getExplicandum().getKind();
        if (kind.belongsTo(SqlKind.DML)) {
          throw readOnly(kind == SqlKind.PROCEDURE_CALL ? "CALL" : kind.sql, null);
        }
      }
      if (sqlQuery.getKind().belongsTo(SqlKind.DML)) {
        SqlKind kind = sqlQuery.getKind();
        throw readOnly(kind == SqlKind.PROCEDURE_CALL ? "CALL" : kind.sql, null);
      }
      CACHE_HINTS.set(cacheHint(sqlQuery));
      PreparedResult result = super.prepareSql(sqlQuery, sqlNodeOriginal, runtimeContextClass,
          validator, needsValidation);
      ORIGINS.set(result.getFieldOrigins());
      return result;
    }

    /**
     * No lattices. Calcite gathers them by walking every schema of every source on each
     * prepare, which would make every query list every source's schemas (and fail when
     * any one source is down).
     */
    @Override protected List<CalciteSchema.LatticeEntry> getLattices() {
      return List.of();
    }

    @Override protected PreparedResult createPreparedExplanation(
        org.apache.calcite.rel.type.RelDataType resultType,
        org.apache.calcite.rel.type.RelDataType parameterRowType,
        org.apache.calcite.rel.RelRoot root,
        org.apache.calcite.sql.SqlExplainFormat format,
        org.apache.calcite.sql.SqlExplainLevel detailLevel) {
      if (analyze) {
        // The plan that runs is compiled as for the query itself; the plan shown is its
        // rendering for the caller (JunctionPrograms.analyzed).
        PreparedResult run = implement(root);
        String plan = new SourceSqlExplain(null, parameterRowType, root.withRel(shownPlan),
            format, detailLevel).getCode();
        return new ExplainAnalyze.Result(parameterRowType, root, format, detailLevel, plan,
            run.getBindable(org.apache.calcite.avatica.Meta.CursorFactory.ARRAY),
            ExplainAnalyze.shownSql(shownSql));
      }
      // EXPLAIN PLAN WITHOUT IMPLEMENTATION explains the plan as converted, before the
      // program that resolves the policy's operators: show the caller placeholders there.
      if (access != null && root != null && PolicyGuards.hasPolicyOperator(root.rel)) {
        root = root.withRel(PolicyGuards.resolve(root.rel, !access.revealPolicy()));
      }
      return new SourceSqlExplain(resultType, parameterRowType, root, format, detailLevel);
    }

    @Override protected Program getProgram() {
      boolean placeholders = access != null && !access.revealPolicy();
      Program program = analyze
          ? JunctionPrograms.analyzed(placeholders, (plan, sql) -> {
            shownPlan = plan;
            shownSql = sql;
          })
          : JunctionPrograms.standard(explain && placeholders);
      return (planner, rel, traits, materializations, lattices) -> {
        AtomicBoolean flag = planner.getContext().maybeUnwrap(CancelFlag.class)
            .map(f -> f.atomicBoolean).orElseGet(AtomicBoolean::new);
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = TIMER.schedule(() -> {
          expired.set(true);
          flag.set(true);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
          Long fetch = FETCH.get();
          RelNode input = fetch != null && fetch > 0 && !explain && !analyze
              ? withFetch(rel, traits, fetch) : rel;
          RelNode best = program.run(planner, input, traits, materializations, lattices);
          TOUCHED.set(tablesOf(best));
          HOLDS_ROWS.set(holdsRowsLocally(best));
          RESULT_KEY.set(explain ? null : resultKey(best));
          return best;
        } catch (RuntimeException e) {
          if (expired.get()) {
            throw new JunctionException(ErrorCode.PLANNING_TIMEOUT, "planning the query took"
                + " longer than " + readable(timeout) + " and was stopped."
                + " Simplify the query: join fewer tables, or split it", e);
          }
          throw e;
        } finally {
          deadline.cancel(false);
        }
      };
    }
  }
}
