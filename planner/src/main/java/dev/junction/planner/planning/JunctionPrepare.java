package dev.junction.planner.planning;

import org.apache.calcite.adapter.enumerable.EnumerableRel;
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
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.tools.Program;
import org.apache.calcite.util.CancelFlag;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calcite's statement preparation with Junction's pipeline ({@link JunctionPrograms})
 * and a planning deadline: planning that runs past it is aborted with an error instead
 * of occupying a core indefinitely ({@code setQueryTimeout} does not cover planning).
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

  private final Duration planningTimeout;

  /** Creates a preparer with the given planning deadline. */
  public JunctionPrepare(Duration planningTimeout) {
    this.planningTimeout = planningTimeout;
  }

  @Override protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.Context externalContext, RelOptCostFactory costFactory) {
    CancelFlag flag = new CancelFlag(new AtomicBoolean());
    org.apache.calcite.plan.Context context = externalContext == null
        ? Contexts.of(prepareContext.config(), flag)
        : Contexts.chain(externalContext, Contexts.of(flag));
    RelOptPlanner planner = super.createPlanner(prepareContext, context, costFactory);
    planner.removeRule(
        org.apache.calcite.rel.rules.CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW);
    planner.addRule(JunctionRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW);
    planner.addRule(KeyPushdownJoinRule.INSTANCE);
    return planner;
  }

  @Override protected CalcitePreparingStmt getPreparingStmt(CalcitePrepare.Context context,
      Type elementType, CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    EnumerableRel.Prefer prefer = elementType == Object[].class
        ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM;
    var typeFactory = context.getTypeFactory();
    return new PreparingStmt(this, context, catalogReader, typeFactory,
        context.getRootSchema(), prefer,
        createCluster(planner, new org.apache.calcite.rex.RexBuilder(typeFactory)),
        org.apache.calcite.adapter.enumerable.EnumerableConvention.INSTANCE,
        createConvertletTable(), planningTimeout);
  }

  /** A preparing statement whose optimization runs Junction's program under a deadline. */
  private static final class PreparingStmt extends CalcitePreparingStmt {
    private final Duration timeout;

    PreparingStmt(CalcitePrepareImpl prepare, CalcitePrepare.Context context,
        Prepare.CatalogReader catalogReader, RelDataTypeFactory typeFactory,
        CalciteSchema schema, EnumerableRel.Prefer prefer, RelOptCluster cluster,
        Convention resultConvention, SqlRexConvertletTable convertletTable,
        Duration timeout) {
      super(prepare, context, catalogReader, typeFactory, schema, prefer, cluster,
          resultConvention, convertletTable);
      this.timeout = timeout;
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
      return new SourceSqlExplain(resultType, parameterRowType, root, format, detailLevel);
    }

    @Override protected Program getProgram() {
      Program program = JunctionPrograms.standard();
      return (planner, rel, traits, materializations, lattices) -> {
        AtomicBoolean flag = planner.getContext().maybeUnwrap(CancelFlag.class)
            .map(f -> f.atomicBoolean).orElseGet(AtomicBoolean::new);
        ScheduledFuture<?> deadline = TIMER.schedule(() -> flag.set(true),
            timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
          return program.run(planner, rel, traits, materializations, lattices);
        } finally {
          deadline.cancel(false);
        }
      };
    }
  }
}
