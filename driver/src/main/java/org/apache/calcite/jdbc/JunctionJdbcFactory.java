package org.apache.calcite.jdbc;

import dev.junction.driver.Errors;
import dev.junction.driver.JunctionConnection;
import dev.junction.driver.JunctionDriver;
import dev.junction.driver.JunctionProperty;
import dev.junction.driver.PlanCache;
import dev.junction.driver.RemoteCancellation;
import dev.junction.driver.StatementAudit;
import dev.junction.driver.limits.QueryBudget;
import dev.junction.driver.limits.QueryGate;
import dev.junction.planner.limits.Limits;
import dev.junction.driver.cache.CacheMode;
import dev.junction.driver.cache.ResultCache;
import dev.junction.driver.system.RunningQueries;
import dev.junction.driver.system.SystemSchema;
import dev.junction.planner.planning.JunctionPrepare;
import dev.junction.planner.planning.PlanningOptions;
import dev.junction.planner.security.Access;
import dev.junction.planner.security.GovernedSchemas;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.QueryScope;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.avatica.util.CachedDateAccessors;
import org.apache.calcite.avatica.util.HeldValues;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;

/**
 * Creates Junction's connections: Calcite's, except that the statement context reports
 * the connection's {@code user} property as CURRENT_USER (Calcite hard-codes "sa"), so
 * the caller's identity reaches SQL, and later access control and audit; and result
 * sets bind their statement's {@link QueryScope} while they execute and fetch, so the
 * remote statements they open can be cancelled ({@link RemoteCancellation}) and are listed
 * in {@code junction.queries} while they run. A plan whose result may be cached is
 * wrapped so that its rows come through the catalog's {@link ResultCache}, and
 * {@code CALL junction.invalidate_cache(...)} is answered here, before parsing. Statements
 * and metadata are Calcite's own, created by its JDBC 4.1 factory.
 *
 * <p>This is also the JDBC boundary for errors: every path by which a statement is
 * prepared, executed or fetched passes through the connection's
 * {@code prepareStatement}, {@code prepareAndExecuteInternal},
 * {@code executeQueryInternal}, the two batch methods, or the result set's {@code next}
 * (DatabaseMetaData through {@code invokeWithRetries}), and each turns what it catches
 * into a classified SQLException with {@link Errors#translate}. Avatica would otherwise
 * wrap it in an SQLException without a SQLState whose message quotes the raw exception
 * (a planner dump, pool counters).
 */
public final class JunctionJdbcFactory extends CalciteFactory {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(JunctionJdbcFactory.class);
  private final CalciteJdbc41Factory calcite = new CalciteJdbc41Factory();

  /** Called reflectively by Avatica. */
  public JunctionJdbcFactory() {
    super(4, 1);
  }

  @Override public AvaticaConnection newConnection(UnregisteredDriver driver,
      AvaticaFactory factory, String url, Properties info, CalciteSchema rootSchema,
      JavaTypeFactory typeFactory) {
    return new Connection((Driver) driver, factory, url, info, rootSchema, typeFactory);
  }

  @Override public AvaticaStatement newStatement(AvaticaConnection connection,
      Meta.StatementHandle h, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    return calcite.newStatement(connection, h, resultSetType, resultSetConcurrency,
        resultSetHoldability);
  }

  @Override public AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection,
      Meta.StatementHandle h, Meta.Signature signature, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return calcite.newPreparedStatement(connection, h, signature, resultSetType,
        resultSetConcurrency, resultSetHoldability);
  }

  @Override public CalciteResultSet newResultSet(AvaticaStatement statement, QueryState state,
      Meta.Signature signature, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    return new ScopedResultSet(statement, (CalcitePrepare.CalciteSignature) signature,
        newResultSetMetaData(statement, signature), timeZone, firstFrame);
  }

  @Override public org.apache.calcite.avatica.AvaticaSpecificDatabaseMetaData
      newDatabaseMetaData(AvaticaConnection connection) {
    return new DatabaseMetaData(connection);
  }

  /**
   * Avatica's DatabaseMetaData, except that the user is the caller the connection runs for
   * (Avatica reads the {@code user} property, null when it was left to default).
   */
  private static final class DatabaseMetaData
      extends org.apache.calcite.avatica.AvaticaDatabaseMetaData {
    private final AvaticaConnection connection;

    DatabaseMetaData(AvaticaConnection connection) {
      super(connection);
      this.connection = connection;
    }

    @Override public String getUserName() throws SQLException {
      return JunctionDriver.userOf(((CalciteConnection) connection).getProperties());
    }
  }

  @Override public ResultSetMetaData newResultSetMetaData(AvaticaStatement statement,
      Meta.Signature signature) throws SQLException {
    return calcite.newResultSetMetaData(statement, signature);
  }

  /**
   * A Calcite result set that runs its statement's remote work inside a
   * {@link QueryScope} of its own. However it ends (exhausted, failed in a source or in
   * Junction's own evaluation, cancelled, timed out, closed), the scope is released, so
   * every source connection it borrowed goes back to its pool rolled back. Closing it
   * while another thread is still executing or fetching cancels the remote work first:
   * otherwise the close waits on the source driver's lock until the remote statement
   * finishes by itself.
   */
  private static final class ScopedResultSet extends CalciteResultSet {
    private volatile QueryScope scope;
    private volatile StatementAudit.Execution audit;
    /** The caller's limits; null for DatabaseMetaData result sets, which have none. */
    private Limits limits;
    /** The query timeout in force: the caller's, or the limit's when that is stricter. */
    private int timeoutSeconds;
    private boolean timeoutFromLimit;
    private QueryGate.Permit permit;
    private QueryBudget budget;
    private long rowsReturned;
    private SQLWarning warning;
    private volatile RunningQueries.Running running;
    /** The caller, as limits know them; null for DatabaseMetaData result sets. */
    private String user;
    private QueryGate gate;
    /** Reads the values {@link #getObject(int)} answers as the row holds them. */
    private HeldValues held;

    ScopedResultSet(AvaticaStatement statement, CalcitePrepare.CalciteSignature signature,
        ResultSetMetaData metaData, TimeZone timeZone, Meta.Frame firstFrame)
        throws SQLException {
      super(statement, signature, metaData, timeZone, firstFrame);
    }

    private QueryScope scope() throws SQLException {
      if (scope == null) {
        try {
          CalciteConnectionImpl connection = getCalciteConnection();
          scope = RemoteCancellation.INSTANCE.track(connection, statement,
              connection.getCancelFlag(statement.handle),
              limits == null ? statement.getQueryTimeout() : timeoutSeconds);
        } catch (org.apache.calcite.avatica.NoSuchStatementException e) {
          throw new SQLException("statement is closed", "HY010", e);
        }
      }
      return scope;
    }

    @Override protected CalciteResultSet execute() throws SQLException {
      long start = System.nanoTime();
      try {
        checkPolicyVersion();
        admit();
      } catch (SQLException e) {
        StatementAudit a = JunctionDriver.audit((AvaticaConnection) statement.getConnection());
        if (a != null) {
          a.failed(signature.sql, e, e, start);
        }
        throw e;
      }
      QueryScope s;
      try {
        s = scope();
        s.identify(java.util.UUID.randomUUID().toString(), JunctionDriver.userOf(
            ((CalciteConnection) statement.getConnection()).getProperties()));
        beginAudit(s.queryId());
      } catch (SQLException | RuntimeException e) {
        releaseLimits();
        throw e;
      }
      if (budget != null) {
        s.meter(budget);
      }
      if (getCalciteConnection() instanceof Connection c) {
        s.parallelReads(c.parallelReads);
      }
      if (user != null) {
        // The caller as limits and the policy know them (the authenticated principal).
        s.identify(s.queryId(), user);
      }
      if (gate != null && limits != null) {
        s.scanGuard(gate.scans().guard(user, limits));
      }
      s.onRelease(this::releaseLimits);
      beginRunning(s);
      int callerTimeout = statement.getQueryTimeout();
      boolean stricter = limits != null && timeoutSeconds != callerTimeout;
      try (QueryScope.Binding ignored = s.bind()) {
        // Calcite reads the timeout while it executes: each source statement gets it.
        if (stricter) {
          statement.setQueryTimeout(timeoutSeconds);
        }
        try {
          super.execute();
          accessorList = CachedDateAccessors.of(accessorList, localCalendar);
          held = HeldValues.of(cursor, accessorList, columnMetaDataList);
          return this;
        } finally {
          if (stricter) {
            statement.setQueryTimeout(callerTimeout);
          }
        }
      } catch (SQLException | RuntimeException | AssertionError | StackOverflowError e) {
        s.release();
        endRunning();
        SQLException failure = failure(e);
        endAudit(e, failure);
        throw failure;
      } catch (Error e) {
        s.release();
        endRunning();
        throw e;
      }
    }

    /** Lists this execution in {@code junction.queries} (statements only, not metadata). */
    @SuppressWarnings("unchecked")
    private void beginRunning(QueryScope s) throws SQLException {
      if (signature.sql == null || signature.sql.isEmpty()) {
        return;
      }
      AvaticaConnection connection = (AvaticaConnection) statement.getConnection();
      Object tables = ((CalcitePrepare.CalciteSignature<?>) signature).internalParameters
          .get(JunctionPrepare.TABLES);
      endRunning();
      running = RunningQueries.INSTANCE.start(JunctionDriver.catalog(connection),
          JunctionDriver.userOf(((CalciteConnection) connection).getProperties()),
          signature.sql, tables instanceof java.util.List<?> l
              ? (java.util.List<String>) l : java.util.List.of(), s);
    }

    private void endRunning() {
      RunningQueries.Running r = running;
      running = null;
      RunningQueries.INSTANCE.end(r);
    }

    /**
     * Works out this execution's limits and takes its place among the caller's concurrent
     * queries, waiting or refused as the limits say. Result sets of DatabaseMetaData (no
     * SQL) are not limited.
     */
    private void admit() throws SQLException {
      if (signature.sql == null || signature.sql.isEmpty()) {
        return;
      }
      AvaticaConnection connection = (AvaticaConnection) statement.getConnection();
      QueryGate gate = JunctionDriver.gate(connection);
      if (gate == null) {
        return;
      }
      Limits l = JunctionDriver.limits(connection);
      int caller = statement.getQueryTimeout();
      long limit = l.queryTimeout().toSeconds();
      timeoutSeconds = caller;
      if (limit > 0 && (caller == 0 || limit < caller)) {
        timeoutSeconds = (int) Math.min(Integer.MAX_VALUE, limit);
        timeoutFromLimit = true;
      }
      dev.junction.planner.security.Principal p = JunctionDriver.principal(connection);
      String user = p == null ? JunctionDriver.userOf(getCalciteConnection().getProperties())
          : p.user();
      try {
        permit = gate.admit(user, l);
      } catch (JunctionException e) {
        throw Errors.toSql(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.toSql(new JunctionException(ErrorCode.QUERY_CANCELLED, "The query"
            + " was interrupted while it waited for one of the user's queries to end."));
      }
      Object holds = ((CalcitePrepare.CalciteSignature<?>) signature).internalParameters
          .get(JunctionPrepare.HOLDS_ROWS_LOCALLY);
      budget = QueryBudget.start(gate, l, Boolean.TRUE.equals(holds), user, signature.sql);
      limits = l;
      this.user = user;
      this.gate = gate;
    }

    /** Gives back the concurrency permit and the metered memory; idempotent. */
    private void releaseLimits() {
      QueryBudget b = budget;
      if (b != null) {
        b.end();
      }
      QueryGate.Permit p = permit;
      if (p != null) {
        p.release();
      }
    }

    /**
     * The SQLException for a failure of this execution; a timeout that came from the
     * {@code query-timeout} limit says so.
     */
    private SQLException failure(Throwable e) {
      if (limits == null) {
        return JunctionJdbcFactory.failure(statement, e);
      }
      boolean cancelled = false;
      try {
        cancelled = getCalciteConnection().getCancelFlag(statement.handle).get();
      } catch (SQLException | NoSuchStatementException | RuntimeException ignored) {
        // A closed statement.
      }
      SQLException f = Errors.translate(e, timeoutSeconds, cancelled);
      JunctionException known = Errors.find(e);
      if (timeoutFromLimit && f instanceof java.sql.SQLTimeoutException
          && (known == null || known.code() != ErrorCode.PLANNING_TIMEOUT)) {
        return Errors.toSql(new JunctionException(ErrorCode.QUERY_TIMEOUT, "The query ran"
            + " longer than the limit " + limits.describe(Limits.QUERY_TIMEOUT,
                limits.queryTimeout()) + " and was cancelled. Narrow the query, or ask for"
            + " a higher limit.", f));
      }
      return f;
    }

    /** The warning of a result truncated at its row cap, or null. */
    @Override public SQLWarning getWarnings() throws SQLException {
      return warning;
    }

    @Override public void clearWarnings() throws SQLException {
      warning = null;
    }

    /**
     * Starts this execution's audit line (statements only: DatabaseMetaData result sets
     * have no SQL and are not audited).
     */
    @SuppressWarnings("unchecked")
    private void beginAudit(String queryId) throws SQLException {
      StatementAudit a = JunctionDriver.audit((AvaticaConnection) statement.getConnection());
      if (a == null || signature.sql == null || signature.sql.isEmpty()) {
        return;
      }
      Object tables = ((CalcitePrepare.CalciteSignature<?>) signature).internalParameters
          .get(JunctionPrepare.TABLES);
      audit = a.begin(queryId, signature.sql, tables instanceof java.util.List<?> l
          ? (java.util.List<String>) l : java.util.List.of());
    }

    /** Ends this execution's audit line, once; {@code failure} null for success. */
    private void endAudit(Throwable cause, SQLException failure) throws SQLException {
      StatementAudit.Execution a = audit;
      if (a == null) {
        return;
      }
      try {
        a.end(cause, failure);
      } catch (SQLException auditFailure) {
        if (failure == null) {
          throw auditFailure;
        }
        failure.addSuppressed(auditFailure);
      }
    }

    /**
     * Refuses to run a statement prepared under an access policy that has since been
     * replaced: its plan holds the old policy's filters and masks.
     */
    private void checkPolicyVersion() throws SQLException {
      Object prepared = ((CalcitePrepare.CalciteSignature<?>) signature).internalParameters
          .get(JunctionPrepare.POLICY_VERSION);
      if (!(prepared instanceof Long version) || version < 0) {
        return;
      }
      java.util.Optional<Access> access =
          GovernedSchemas.access(getCalciteConnection().rootSchema);
      if (access.isPresent() && access.get().policyVersion() != version) {
        throw Errors.translate(new JunctionException(ErrorCode.INVALID_STATE, "the access policy"
            + " changed after this statement was prepared; prepare it again"), 0, false);
      }
    }

    /** A value Avatica would return unchanged is read from the row directly. */
    @Override public Object getObject(int columnIndex) throws SQLException {
      HeldValues h = held;
      if (h != null) {
        checkOpen();
        Object value = h.get(columnIndex);
        if (value != HeldValues.CONVERT) {
          return value;
        }
      }
      return super.getObject(columnIndex);
    }

    @Override public boolean next() throws SQLException {
      QueryScope s = scope();
      boolean more;
      boolean capped = false;
      try (QueryScope.Binding ignored = s.bind()) {
        more = super.next();
        Limits l = limits;
        if (more && l != null && l.maxRows() > 0 && ++rowsReturned > l.maxRows()) {
          more = false;
          capped = true;
        }
        if (!more) {
          s.release();
          endRunning();
        }
      } catch (SQLException | RuntimeException | AssertionError | StackOverflowError e) {
        s.release();
        endRunning();
        SQLException failure = failure(e);
        endAudit(e, failure);
        throw failure;
      } catch (Error e) {
        s.release();
        throw e;
      }
      if (capped) {
        rowCapReached();
      }
      StatementAudit.Execution a = audit;
      if (a != null) {
        if (more) {
          a.row();
        } else {
          endAudit(null, null);
        }
      }
      return more;
    }

    /**
     * The result has more rows than {@code max-rows}: an error, or with
     * {@code on-max-rows: truncate} the end of the result and a warning.
     */
    private void rowCapReached() throws SQLException {
      String what = limits.describe(Limits.MAX_ROWS, limits.maxRows());
      if (limits.onMaxRows() == Limits.OnMaxRows.TRUNCATE) {
        warning = new SQLWarning("The result was truncated at " + limits.maxRows()
            + " rows, the limit " + what + "; the query has more.", "01000");
        return;
      }
      SQLException f = Errors.toSql(new JunctionException(ErrorCode.LIMIT_MAX_ROWS,
          "The query returns more than " + limits.maxRows() + " rows, the limit " + what
          + ". Add a filter or a LIMIT, or ask for a higher limit."));
      endAudit(f, f);
      throw f;
    }

    @Override public void close() {
      QueryScope s = scope;
      if (s != null && s.isBound()) {
        s.cancel(QueryScope.Stop.CLOSED);
      }
      try {
        super.close();
      } finally {
        endRunning();
        if (s != null) {
          s.release();
        }
        try {
          endAudit(null, null);
        } catch (SQLException e) {
          LOG.error("statement closed but not audited: {}", e.getMessage());
        }
      }
    }
  }

  /**
   * A Calcite connection whose statements see the connection's user, and which offers
   * Junction's own operations through {@code unwrap}.
   */
  private static final class Connection extends CalciteConnectionImpl
      implements JunctionConnection {
    private final String user;
    /** The connection properties that reach planning, for plan cache keys. */
    private final Map<String, String> planSettings;
    /** What this connection's statements do with the result cache, unless hinted. */
    private final CacheMode cacheMode;
    /** {@link JunctionProperty#parallelReads}: each execution's read-ahead limit. */
    private final int parallelReads;
    /** The planner's switches ({@link JunctionProperty#PARTIAL_AGGREGATES}). */
    private final PlanningOptions planningOptions;
    private volatile boolean planCacheResolved;
    private PlanCache planCache;
    private Access access;
    /** The default source (JDBC catalog), or null; see {@link #defaultSchemaPath}. */
    private volatile String defaultCatalog;
    /** The default remote schema within {@link #defaultCatalog}, or null. */
    private volatile String defaultSchema;

    Connection(Driver driver, AvaticaFactory factory, String url, Properties info,
        CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
      super(driver, factory, url, info, rootSchema, typeFactory);
      this.user = JunctionDriver.userOf(info);
      this.planSettings = planSettings(info);
      CacheMode mode;
      try {
        mode = CacheMode.of(info.getProperty(JunctionProperty.RESULT_CACHE.camelName()));
      } catch (IllegalArgumentException e) {
        // Reported by the driver when the connection opens (JunctionDriver).
        mode = CacheMode.DEFAULT;
      }
      this.cacheMode = mode;
      int reads;
      try {
        reads = JunctionProperty.parallelReads(info);
      } catch (IllegalArgumentException e) {
        // Reported by the driver when the connection opens (JunctionDriver).
        reads = 0;
      }
      this.parallelReads = reads;
      boolean partial;
      try {
        partial = JunctionProperty.partialAggregates(info);
      } catch (IllegalArgumentException e) {
        // Reported by the driver when the connection opens (JunctionDriver).
        partial = true;
      }
      this.planningOptions = new PlanningOptions(partial);
    }

    /**
     * Every property except the client's address (audit only) and passwords (never kept):
     * the user, groups, attributes and Calcite's settings all count, so a plan is shared
     * only by connections that would plan the same text alike.
     */
    private static Map<String, String> planSettings(Properties info) {
      Map<String, String> out = new java.util.TreeMap<>();
      for (String name : info.stringPropertyNames()) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (!lower.equals(JunctionProperty.CLIENT_ADDRESS.camelName()
            .toLowerCase(java.util.Locale.ROOT)) && !lower.contains("password")) {
          out.put(name, info.getProperty(name));
        }
      }
      return Map.copyOf(out);
    }

    /**
     * The catalog's plan cache (null when off) and the connection's access, looked up once:
     * both are fixed when the connection opens.
     */
    private PlanCache planCache() {
      if (!planCacheResolved) {
        PlanCache plans = JunctionDriver.planCache(this);
        if (plans == null) {
          return null;
        }
        access = GovernedSchemas.access(rootSchema).orElse(null);
        planCache = plans;
        planCacheResolved = true;
      }
      return planCache;
    }

    /**
     * Plans a statement, or takes its plan from the catalog's {@link PlanCache}. Every path
     * that prepares SQL (prepareStatement, execute on a Statement, Avatica's prepare) comes
     * through here.
     */
    @Override <T> CalcitePrepare.CalciteSignature<T> parseQuery(CalcitePrepare.Query<T> query,
        CalcitePrepare.Context prepareContext, long maxRowCount) {
      if (query.sql != null) {
        maxRowCount = withRowCap(maxRowCount);
      }
      java.util.regex.Matcher invalidate = query.sql == null ? null
          : INVALIDATE_CACHE.matcher(query.sql);
      if (invalidate != null && invalidate.matches()) {
        String source = invalidate.group(1) == null ? null
            : invalidate.group(1).replace("''", "'");
        return new InvalidateSignature<>(super.parseQuery(CalcitePrepare.Query.of(
            INVALIDATE_RESULT), prepareContext, -1), this, source);
      }
      return withResultCache(planned(query, prepareContext, maxRowCount), maxRowCount);
    }

    /**
     * A plan served by the catalog's {@link ResultCache} when it has one and the plan's
     * result may be cached (it has a result key: deterministic, no system table).
     */
    private <T> CalcitePrepare.CalciteSignature<T> withResultCache(
        CalcitePrepare.CalciteSignature<T> plan, long maxRowCount) {
      ResultCache results = JunctionDriver.resultCache(this);
      Object key = plan.internalParameters.get(JunctionPrepare.RESULT_KEY_PARAMETER);
      if (results == null || !(key instanceof String planKey)
          || plan.statementType != Meta.StatementType.SELECT) {
        return plan;
      }
      Object hint = plan.internalParameters.get(JunctionPrepare.CACHE_HINT);
      CacheMode mode = hint instanceof String h ? CacheMode.of(h) : cacheMode;
      if (mode == CacheMode.BYPASS) {
        return plan;
      }
      Object tables = plan.internalParameters.get(JunctionPrepare.TABLES);
      java.util.Set<String> sources = new java.util.LinkedHashSet<>();
      if (tables instanceof List<?> l) {
        l.forEach(t -> sources.add(String.valueOf(t).split("\\.", 2)[0]));
      }
      if (sources.isEmpty()) {
        // VALUES and the like: nothing a source could change, nothing worth keeping.
        return plan;
      }
      Object version = plan.internalParameters.get(JunctionPrepare.POLICY_VERSION);
      return new ResultCachedSignature<>(plan, rootSchema, results, mode, planKey, maxRowCount,
          version instanceof Long v ? v : -1L, sources);
    }

    /** Plans a statement, or takes its plan from the catalog's plan cache. */
    private <T> CalcitePrepare.CalciteSignature<T> planned(CalcitePrepare.Query<T> query,
        CalcitePrepare.Context prepareContext, long maxRowCount) {
      PlanCache plans = query.sql == null ? null : planCache();
      if (plans == null) {
        return super.parseQuery(query, prepareContext, maxRowCount);
      }
      long version = access == null ? -1 : access.policyVersion();
      PlanCache.Key key = new PlanCache.Key(query.sql, maxRowCount,
          List.copyOf(prepareContext.getDefaultSchemaPath()), version,
          access == null ? null : access.principal(), access != null && access.revealPolicy(),
          planSettings);
      if (access != null && access.policyVersion() != version) {
        // The policy was replaced while the key was made: plan without the cache.
        return super.parseQuery(query, prepareContext, maxRowCount);
      }
      @SuppressWarnings("unchecked")
      CalcitePrepare.CalciteSignature<T> cached =
          (CalcitePrepare.CalciteSignature<T>) plans.get(key);
      if (cached != null) {
        return new CachedSignature<>(cached, prepareContext.getRootSchema());
      }
      CalcitePrepare.CalciteSignature<T> plan =
          super.parseQuery(query, prepareContext, maxRowCount);
      Object planned = plan.internalParameters.get(JunctionPrepare.POLICY_VERSION);
      if (plan.statementType == Meta.StatementType.SELECT
          && (access == null || planned instanceof Long v && v == version)) {
        plans.put(key, plan, access == null ? -1 : access.policyVersion());
      }
      return plan;
    }

    /**
     * The caller's row cap ({@code max-rows}) plus one, or {@code maxRowCount} when that
     * is smaller: the planner puts it on top of the plan as a fetch, which reaches the
     * source's SQL as a LIMIT where the whole result is one remote statement. One row
     * more than the cap tells a result over the cap from one that fits it exactly.
     */
    private long withRowCap(long maxRowCount) {
      long cap = JunctionDriver.limits(this).maxRows();
      if (cap <= 0) {
        return maxRowCount;
      }
      return maxRowCount > 0 ? Math.min(maxRowCount, cap + 1) : cap + 1;
    }

    @Override public CalcitePreparedStatement prepareStatement(String sql, int resultSetType,
        int resultSetConcurrency, int resultSetHoldability) throws SQLException {
      long start = System.nanoTime();
      try {
        return super.prepareStatement(sql, resultSetType, resultSetConcurrency,
            resultSetHoldability);
      } catch (SQLException | RuntimeException | AssertionError | StackOverflowError e) {
        throw audited(sql, e, failure(null, e, names(sql)), start);
      }
    }

    /**
     * Records a statement that failed before producing rows in the audit trail, and
     * returns its failure to throw.
     */
    private SQLException audited(String sql, Throwable cause, SQLException failure,
        long start) {
      StatementAudit a = JunctionDriver.audit(this);
      if (a != null) {
        try {
          a.failed(sql, cause, failure, start);
        } catch (SQLException auditFailure) {
          failure.addSuppressed(auditFailure);
        }
      }
      return failure;
    }

    @Override protected Meta.ExecuteResult prepareAndExecuteInternal(
        AvaticaStatement statement, String sql, long maxRowCount)
        throws SQLException, NoSuchStatementException {
      long start = System.nanoTime();
      try {
        return super.prepareAndExecuteInternal(statement, sql, maxRowCount);
      } catch (SQLException | RuntimeException | AssertionError | StackOverflowError e) {
        throw audited(sql, e, failure(statement, e, names(sql)), start);
      }
    }

    @Override protected ResultSet executeQueryInternal(AvaticaStatement statement,
        Meta.Signature signature, Meta.Frame firstFrame, QueryState state, boolean isUpdate)
        throws SQLException {
      long start = System.nanoTime();
      try {
        return super.executeQueryInternal(statement, signature, firstFrame, state, isUpdate);
      } catch (SQLException | RuntimeException | AssertionError | StackOverflowError e) {
        throw audited(signature.sql, e, failure(statement, e), start);
      }
    }

    @Override protected Meta.ExecuteBatchResult prepareAndUpdateBatch(
        AvaticaStatement statement, java.util.List<String> queries)
        throws NoSuchStatementException, SQLException {
      long start = System.nanoTime();
      try {
        return super.prepareAndUpdateBatch(statement, queries);
      } catch (SQLException | RuntimeException | AssertionError | StackOverflowError e) {
        throw audited(String.join(";\n", queries), e, failure(statement, e), start);
      }
    }

    @Override protected long[] executeBatchUpdateInternal(AvaticaPreparedStatement statement)
        throws SQLException {
      long start = System.nanoTime();
      try {
        return super.executeBatchUpdateInternal(statement);
      } catch (SQLException | RuntimeException | AssertionError | StackOverflowError e) {
        Meta.Signature signature = statement.handle.signature;
        throw audited(signature == null ? null : signature.sql, e, failure(statement, e),
            start);
      }
    }

    /**
     * Every DatabaseMetaData call runs through here; Avatica throws the SQLException a
     * RuntimeException from it carries, so a source that cannot be listed is reported
     * classified.
     */
    @Override public <T> T invokeWithRetries(
        org.apache.calcite.avatica.AvaticaConnection.CallableWithoutException<T> callable) {
      try {
        return super.invokeWithRetries(callable);
      } catch (RuntimeException | AssertionError e) {
        throw new RuntimeException(failure(null, e));
      }
    }

    /**
     * Where unqualified names resolve first: {@code [source, schema]}, {@code [source]} or
     * nothing. Calcite's own context knows only a one-part schema name.
     */
    List<String> defaultSchemaPath() {
      String catalog = defaultCatalog;
      String schema = defaultSchema;
      if (catalog == null) {
        return List.of();
      }
      return schema == null ? List.of(catalog) : List.of(catalog, schema);
    }

    @Override public CalcitePrepare.Context createPrepareContext() {
      return new DefaultSchemaContext(super.createPrepareContext(), defaultSchemaPath(),
          planningOptions);
    }

    /**
     * Sets the default source. A source is a JDBC catalog, so this is DBeaver's "default
     * catalog"; the default schema is forgotten when the source changes.
     */
    @Override public void setCatalog(String catalog) throws SQLException {
      checkOpen();
      if (catalog == null || catalog.isEmpty()) {
        defaultCatalog = null;
        defaultSchema = null;
        return;
      }
      String source = sourceName(catalog);
      if (!source.equals(defaultCatalog)) {
        defaultCatalog = source;
        defaultSchema = null;
      }
    }

    @Override public String getCatalog() throws SQLException {
      checkOpen();
      return defaultCatalog;
    }

    /**
     * Sets the default remote schema: {@code schema} within the default source, or
     * {@code source.schema}; a bare source name (with no default source yet) sets the
     * source. Only the source name is checked here, so a source is never contacted to
     * set a default; an unknown remote schema fails the first query that relies on it.
     */
    @Override public void setSchema(String schema) throws SQLException {
      checkOpen();
      if (schema == null || schema.isEmpty()) {
        defaultSchema = null;
        return;
      }
      List<String> parts = splitName(schema);
      if (parts.size() == 2) {
        defaultCatalog = sourceName(parts.get(0));
        defaultSchema = parts.get(1);
      } else if (parts.size() == 1 && defaultCatalog == null) {
        defaultCatalog = sourceName(parts.get(0));
        defaultSchema = null;
      } else if (parts.size() == 1) {
        defaultSchema = parts.get(0);
      } else {
        throw Errors.translate(new JunctionException(ErrorCode.UNDEFINED_TABLE, "'" + schema
            + "' is not a schema name: give 'schema' (within the default source, the JDBC"
            + " catalog) or 'source.schema'"), 0, false);
      }
    }

    @Override public String getSchema() throws SQLException {
      checkOpen();
      return defaultSchema;
    }

    /** The spelling under which a source is mounted, matched ignoring case. */
    private String sourceName(String name) throws SQLException {
      List<String> sources = JunctionDriver.sourceNames(this);
      String found = sources.contains(name) ? name : sources.stream()
          .filter(s -> s.equalsIgnoreCase(name)).findFirst().orElse(null);
      if (found == null) {
        throw Errors.translate(new JunctionException(ErrorCode.UNDEFINED_TABLE, "Source '"
            + name + "' not found" + dev.junction.config.Texts.didYouMean(name, sources)
            + "; the sources (JDBC catalogs) are: " + String.join(", ", sources)), 0, false);
      }
      return found;
    }

    /**
     * A one- or two-part name as written in a {@code schema} property: dots separate the
     * parts, and a part in double quotes may hold a dot ({@code "a""b"} is {@code a"b}).
     */
    static List<String> splitName(String name) {
      List<String> parts = new java.util.ArrayList<>();
      StringBuilder part = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c == '"' && quoted && i + 1 < name.length() && name.charAt(i + 1) == '"') {
          part.append('"');
          i++;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == '.' && !quoted) {
          parts.add(part.toString().strip());
          part.setLength(0);
        } else {
          part.append(c);
        }
      }
      parts.add(part.toString().strip());
      return parts;
    }

    /** What a statement of this connection could have meant by an unknown name. */
    private Errors.Names names(String sql) {
      return Errors.names(this, defaultSchemaPath(), sql);
    }

    /** Junction never writes, so a connection is always read-only. */
    @Override public boolean isReadOnly() throws SQLException {
      checkOpen();
      return true;
    }

    /**
     * Accepted and ignored: JDBC makes read-only a hint, and Junction refuses every write
     * whatever the hint (SQLState 42501).
     */
    @Override public void setReadOnly(boolean readOnly) throws SQLException {
      checkOpen();
    }

    @Override public void refreshMetadata() throws SQLException {
      checkOpen();
      JunctionDriver.refreshMetadata(this);
    }

    @Override public Map<String, java.util.Optional<String>> checkSources()
        throws SQLException {
      checkOpen();
      return JunctionDriver.checkSources(this);
    }

    @Override public Map<String, dev.junction.spi.SourceStatus> sourceStatus()
        throws SQLException {
      checkOpen();
      return JunctionDriver.sourceStatus(this);
    }

    @Override public PlanCache.Stats planCacheStats() throws SQLException {
      checkOpen();
      PlanCache plans = JunctionDriver.planCache(this);
      return plans == null ? new PlanCache.Stats(0, 0, 0) : plans.stats();
    }

    @Override public DataContext createDataContext(Map<String, Object> parameterValues,
        CalciteSchema rootSchema) {
      return new UserDataContext(super.createDataContext(parameterValues, rootSchema), user);
    }
  }

  /**
   * The SQLException a caller sees for a failure of {@code statement} (null while
   * preparing), told whether it had a timeout and was cancelled, because sources report
   * both as a cancel.
   */
  static SQLException failure(AvaticaStatement statement, Throwable e) {
    return failure(statement, e, null);
  }

  /** {@link #failure(AvaticaStatement, Throwable)} with suggestions for unknown names. */
  static SQLException failure(AvaticaStatement statement, Throwable e, Errors.Names names) {
    int timeout = 0;
    boolean cancelled = false;
    if (statement != null) {
      try {
        timeout = statement.getQueryTimeout();
        cancelled = ((CalciteConnectionImpl) statement.getConnection())
            .getCancelFlag(statement.handle).get();
      } catch (SQLException | NoSuchStatementException | RuntimeException ignored) {
        // A closed statement: neither matters any more.
      }
    }
    return Errors.translate(e, timeout, cancelled, names);
  }

  /**
   * A cached plan handed to another statement: the same generated code, row type and
   * parameters, with the statement's own connection's root schema, which the code reaches
   * its sources through when it runs, and its own copy of the plan's internal parameters.
   */
  private static final class CachedSignature<T> extends CalcitePrepare.CalciteSignature<T> {
    private final CalcitePrepare.CalciteSignature<T> plan;

    CachedSignature(CalcitePrepare.CalciteSignature<T> plan, CalciteSchema rootSchema) {
      super(plan.sql, plan.parameters, new java.util.LinkedHashMap<>(plan.internalParameters),
          plan.rowType, plan.columns, plan.cursorFactory, rootSchema, plan.getCollationList(),
          -1, null, plan.statementType);
      this.plan = plan;
    }

    @Override public org.apache.calcite.linq4j.Enumerable<T> enumerable(
        DataContext dataContext) {
      return plan.enumerable(dataContext);
    }
  }

  /**
   * {@code CALL junction.invalidate_cache()} or {@code CALL junction.invalidate_cache('src')}
   * (any case, blanks anywhere, an optional {@code ;}): recognised before parsing, because
   * Junction refuses CALL.
   */
  static final java.util.regex.Pattern INVALIDATE_CACHE = java.util.regex.Pattern.compile(
      "(?is)\\s*CALL\\s+\"?junction\"?\\s*\\.\\s*\"?invalidate_cache\"?\\s*\\(\\s*"
      + "(?:'((?:[^']|'')*)'\\s*)?\\)\\s*;?\\s*");

  /** The shape of {@code junction.invalidate_cache}'s one row. */
  private static final String INVALIDATE_RESULT = "SELECT CAST(NULL AS VARCHAR(128))"
      + " AS \"source\", CAST(0 AS BIGINT) AS \"invalidated\"";

  /**
   * A plan whose rows come through the catalog's {@link ResultCache}: the decorator around
   * result production. The key is made at each execution, with the parameter values then
   * bound.
   */
  private static final class ResultCachedSignature<T>
      extends CalcitePrepare.CalciteSignature<T> {
    private final CalcitePrepare.CalciteSignature<T> plan;
    private final ResultCache results;
    private final CacheMode mode;
    private final String planKey;
    private final long maxRowCount;
    private final long policyVersion;
    private final java.util.Set<String> sources;

    ResultCachedSignature(CalcitePrepare.CalciteSignature<T> plan, CalciteSchema rootSchema,
        ResultCache results, CacheMode mode, String planKey, long maxRowCount,
        long policyVersion, java.util.Set<String> sources) {
      super(plan.sql, plan.parameters, new java.util.LinkedHashMap<>(plan.internalParameters),
          plan.rowType, plan.columns, plan.cursorFactory, rootSchema, plan.getCollationList(),
          -1, null, plan.statementType);
      this.plan = plan;
      this.results = results;
      this.mode = mode;
      this.planKey = planKey;
      this.maxRowCount = maxRowCount;
      this.policyVersion = policyVersion;
      this.sources = sources;
    }

    @Override public org.apache.calcite.linq4j.Enumerable<T> enumerable(
        DataContext dataContext) {
      List<Object> values = new java.util.ArrayList<>(parameters.size() + 2);
      for (int i = 0; i < parameters.size(); i++) {
        values.add(dataContext.get("?" + i));
      }
      // What else evaluation may read from the connection: its time zone and locale.
      values.add(String.valueOf(dataContext.get(DataContext.Variable.TIME_ZONE.camelName)));
      values.add(String.valueOf(dataContext.get(DataContext.Variable.LOCALE.camelName)));
      ResultCache.Key key = new ResultCache.Key(planKey, maxRowCount, values, policyVersion,
          sources);
      return results.rows(key, mode, () -> plan.enumerable(dataContext));
    }
  }

  /**
   * {@code junction.invalidate_cache}: drops the catalog's cached results (of one source, or
   * all) when it runs and returns one row, the source and how many results were dropped.
   * Under an access policy only callers who may read {@code junction.cache} may run it.
   */
  private static final class InvalidateSignature<T>
      extends CalcitePrepare.CalciteSignature<T> {
    private final Connection connection;
    private final String source;

    InvalidateSignature(CalcitePrepare.CalciteSignature<T> shape, Connection connection,
        String source) {
      super(shape.sql, shape.parameters, shape.internalParameters, shape.rowType,
          shape.columns, shape.cursorFactory, shape.rootSchema, shape.getCollationList(), -1,
          null, shape.statementType);
      this.connection = connection;
      this.source = source;
    }

    @SuppressWarnings("unchecked")
    @Override public org.apache.calcite.linq4j.Enumerable<T> enumerable(
        DataContext dataContext) {
      java.util.Optional<Access> access = GovernedSchemas.access(connection.rootSchema);
      if (access.isPresent() && access.get()
          .readRule(SystemSchema.NAME, SystemSchema.NAME, "cache").isEmpty()) {
        throw new JunctionException(ErrorCode.READ_ONLY, "invalidating the result cache"
            + " needs read access to junction.cache (a policy rule for source: junction)");
      }
      if (source != null && JunctionDriver.sourceNames(connection).stream()
          .noneMatch(s -> s.equalsIgnoreCase(source))) {
        throw new JunctionException(ErrorCode.UNDEFINED_TABLE, "Source '" + source
            + "' not found; the sources are: "
            + String.join(", ", JunctionDriver.sourceNames(connection)));
      }
      ResultCache results = JunctionDriver.resultCache(connection);
      long dropped = results == null ? 0 : results.invalidate(source);
      Object row = new Object[] {source, dropped};
      return org.apache.calcite.linq4j.Linq4j.singletonEnumerable((T) row);
    }
  }

  /**
   * Calcite's prepare context with a default schema path of any length and the
   * connection's planning options.
   */
  private static final class DefaultSchemaContext
      implements CalcitePrepare.Context, PlanningOptions.Carrier {
    private final CalcitePrepare.Context delegate;
    private final List<String> defaultSchemaPath;
    private final PlanningOptions options;

    DefaultSchemaContext(CalcitePrepare.Context delegate, List<String> defaultSchemaPath,
        PlanningOptions options) {
      this.delegate = delegate;
      this.defaultSchemaPath = defaultSchemaPath;
      this.options = options;
    }

    @Override public PlanningOptions planningOptions() {
      return options;
    }

    @Override public JavaTypeFactory getTypeFactory() {
      return delegate.getTypeFactory();
    }

    @Override public CalciteSchema getRootSchema() {
      return delegate.getRootSchema();
    }

    @Override public CalciteSchema getMutableRootSchema() {
      return delegate.getMutableRootSchema();
    }

    @Override public List<String> getDefaultSchemaPath() {
      return defaultSchemaPath;
    }

    @Override public org.apache.calcite.config.CalciteConnectionConfig config() {
      return delegate.config();
    }

    @Override public CalcitePrepare.SparkHandler spark() {
      return delegate.spark();
    }

    @Override public DataContext getDataContext() {
      return delegate.getDataContext();
    }

    @Override public List<String> getObjectPath() {
      return delegate.getObjectPath();
    }

    @Override public org.apache.calcite.tools.RelRunner getRelRunner() {
      return delegate.getRelRunner();
    }
  }

  /**
   * Answers {@code user} with the connection's user, {@code timeout} rounded up to whole
   * seconds, and everything else as Calcite.
   */
  private static final class UserDataContext implements DataContext {
    private final DataContext delegate;
    private final String user;

    UserDataContext(DataContext delegate, String user) {
      this.delegate = delegate;
      this.user = user;
    }

    @Override public SchemaPlus getRootSchema() {
      return delegate.getRootSchema();
    }

    @Override public JavaTypeFactory getTypeFactory() {
      return delegate.getTypeFactory();
    }

    @Override public QueryProvider getQueryProvider() {
      return delegate.getQueryProvider();
    }

    /**
     * The user, and the query timeout rounded so that whole seconds survive: Calcite gives
     * each source statement the time left in whole seconds rounded down, so a 1 s timeout
     * failed at once without reaching the source, and N s reached it as N - 1 s.
     */
    @Override public Object get(String name) {
      if (Variable.USER.camelName.equals(name)) {
        return user;
      }
      Object value = delegate.get(name);
      if (Variable.TIMEOUT.camelName.equals(name) && value instanceof Long millis
          && millis > 0) {
        return millis + 999;
      }
      return value;
    }
  }
}
