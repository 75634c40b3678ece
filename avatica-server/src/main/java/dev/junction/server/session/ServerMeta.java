package dev.junction.server.session;

import dev.junction.driver.JunctionProperty;
import dev.junction.server.EventLog;
import dev.junction.server.ServerConfig;
import dev.junction.server.metrics.ServerMetrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.jdbc.StatementInfo;
import org.apache.calcite.avatica.jdbc.StatementInfoAccess;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.TypedValue;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Avatica's {@link JdbcMeta} over the Junction driver, with what a shared server needs:
 * connections registered to their principal in {@link Sessions} (limits, idle expiry),
 * large result frames, query metrics, and cancellation of running statements.
 *
 * <p>Frames: Avatica clients ask for 100 rows per frame unless told otherwise, and
 * JdbcMeta caps every first frame at 100 rows, so a million rows cost ten thousand round
 * trips. A request for exactly Avatica's default (or none) gets {@code frames.rows}
 * instead, including the first frame; any other fetch size is honoured, up to
 * {@code frames.max-rows}.
 *
 * <p>Pipelining: while the client decodes a frame, the next one is read from the Junction
 * statement in the background (one frame ahead per statement), so reading the sources and
 * encoding, transfer and decoding overlap instead of taking turns. A statement is never
 * used by two threads at once: every request on it first waits for (or, on close and
 * cancel, cancels) its pending read.
 *
 * <p>Statement ownership: Avatica statement ids are global and sequential, and JdbcMeta
 * finds a statement by its id alone, whatever connection the request names. Every method
 * that takes a statement handle first checks, in {@link Sessions}, that the handle's
 * connection created the statement ({@link StatementAccessException} otherwise; the
 * endpoint has already checked that the connection is the caller's). A statement not
 * recorded there is treated as closed without consulting JdbcMeta's cache, where a
 * statement another connection is creating at this moment may already sit.
 *
 * <p>The name avoids the driver's {@code dev.junction.driver.JunctionMeta}, which is the
 * in-process Meta this one calls through JDBC.
 */
public final class ServerMeta extends JdbcMeta {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Sessions sessions;
  private final ServerMetrics metrics;
  private final ServerConfig.Frames frames;
  private final EventLog log;
  private final Set<Integer> cancelled = ConcurrentHashMap.newKeySet();
  private final Map<Integer, Prefetch> prefetches = new ConcurrentHashMap<>();
  private final ExecutorService prefetcher = Executors.newFixedThreadPool(
      Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "junction-prefetch");
        t.setDaemon(true);
        return t;
      });

  /** A frame being read ahead for a statement, starting at {@code offset}. */
  private record Prefetch(long offset, Future<Frame> frame) {
  }

  /** Creates the Meta over a Junction URL. */
  public ServerMeta(String url, Sessions sessions, ServerMetrics metrics,
      ServerConfig.Frames frames, EventLog log) throws SQLException {
    super(url, cacheSettings());
    this.sessions = sessions;
    this.metrics = metrics;
    this.frames = frames;
    this.log = log;
  }

  /** JdbcMeta's own caches must not expire or evict anything: {@link Sessions} does. */
  private static Properties cacheSettings() {
    Properties p = new Properties();
    p.setProperty(ConnectionCacheSettings.EXPIRY_DURATION.key(), "3650");
    p.setProperty(ConnectionCacheSettings.EXPIRY_UNIT.key(), "DAYS");
    p.setProperty(ConnectionCacheSettings.MAX_CAPACITY.key(), String.valueOf(Integer.MAX_VALUE));
    p.setProperty(StatementCacheSettings.EXPIRY_DURATION.key(), "3650");
    p.setProperty(StatementCacheSettings.EXPIRY_UNIT.key(), "DAYS");
    p.setProperty(StatementCacheSettings.MAX_CAPACITY.key(), String.valueOf(Integer.MAX_VALUE));
    return p;
  }

  /**
   * Opens a connection; {@code info} must already carry the authenticated principal as
   * {@code user} (the HTTP endpoint sets it and drops whatever the client sent).
   */
  @Override public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    String principal = info.get("user");
    if (principal == null) {
      throw new IllegalStateException("no principal for connection " + ch.id);
    }
    try {
      sessions.open(ch.id, principal);
    } catch (LimitExceededException e) {
      metrics.limitRejection();
      log.event("limit_reached", "user", principal, "limit", "connections");
      throw e;
    }
    try {
      super.openConnection(ch, info);
    } catch (RuntimeException e) {
      sessions.closed(ch.id);
      throw e;
    }
    List<Object> fields = new ArrayList<>(List.of("user", principal, "connection", ch.id));
    identityField(fields, "address", info.get(JunctionProperty.CLIENT_ADDRESS.camelName()));
    identityField(fields, "groups", info.get(JunctionProperty.GROUPS.camelName()));
    identityField(fields, "attributes", attributeNames(info.get(
        JunctionProperty.ATTRIBUTES.camelName())));
    log.event("connection_opened", fields.toArray());
  }

  private static void identityField(List<Object> fields, String name, String value) {
    if (value != null) {
      fields.add(name);
      fields.add(value);
    }
  }

  /**
   * The names in an {@code attributes} property (a JSON object), comma-separated; never
   * the values, which the policy may treat as secret.
   */
  private static String attributeNames(String json) {
    if (json == null) {
      return null;
    }
    try {
      List<String> names = new ArrayList<>();
      JSON.readTree(json).fieldNames().forEachRemaining(names::add);
      return String.join(",", names);
    } catch (IOException e) {
      return "(not a JSON object)";
    }
  }

  @Override public void closeConnection(ConnectionHandle ch) {
    for (int id : sessions.statements(ch.id)) {
      try {
        closeStatement(new StatementHandle(ch.id, id, null));
      } catch (RuntimeException e) {
        // The connection is going anyway; closing it closes its statements.
      }
    }
    try {
      super.closeConnection(ch);
    } finally {
      String owner = sessions.owner(ch.id).orElse(null);
      sessions.closed(ch.id);
      if (owner != null) {
        log.event("connection_closed", "user", owner, "connection", ch.id);
      }
    }
  }

  @Override public StatementHandle createStatement(ConnectionHandle ch) {
    reserve(ch.id);
    StatementHandle h = null;
    try {
      h = super.createStatement(ch);
      return h;
    } finally {
      sessions.statementCreated(ch.id, h == null ? null : h.id);
    }
  }

  @Override public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    reserve(ch.id);
    StatementHandle h = null;
    try {
      h = super.prepare(ch, sql, maxRowCount);
      return h;
    } finally {
      sessions.statementCreated(ch.id, h == null ? null : h.id);
    }
  }

  private void reserve(String connectionId) {
    try {
      sessions.reserveStatement(connectionId);
    } catch (LimitExceededException e) {
      metrics.limitRejection();
      log.event("limit_reached", "user", sessions.owner(connectionId).orElse("?"),
          "limit", "statements");
      throw e;
    }
  }

  /**
   * Whether the statement {@code h} names is open and was created by {@code h}'s
   * connection: false if it is not open at all.
   *
   * @throws StatementAccessException if another connection created it
   */
  private boolean owned(StatementHandle h) {
    String creator = sessions.statementConnection(h.id).orElse(null);
    if (creator == null) {
      return false;
    }
    if (!creator.equals(h.connectionId)) {
      throw new StatementAccessException(h.connectionId, h.id);
    }
    return true;
  }

  /** As {@link #owned}, for callers that report an unknown statement as JdbcMeta does. */
  private void checkOwned(StatementHandle h) throws NoSuchStatementException {
    if (!owned(h)) {
      throw new NoSuchStatementException(h);
    }
  }

  @Override public void closeStatement(StatementHandle h) {
    if (!owned(h)) {
      return;
    }
    discardPrefetch(h.id, true);
    try {
      super.closeStatement(h);
    } finally {
      sessions.statementClosed(h.connectionId, h.id);
      cancelled.remove(h.id);
    }
  }

  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback)
      throws NoSuchStatementException {
    checkOwned(h);
    discardPrefetch(h.id, true);
    long start = System.nanoTime();
    try {
      ExecuteResult r = super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame,
          callback);
      int wanted = maxRowCount > 0 ? (int) Math.min(maxRowCount, frames.rows()) : frames.rows();
      return done(h, enlarge(h, r, wanted), start);
    } catch (RuntimeException | NoSuchStatementException e) {
      failed(h, start);
      throw e;
    }
  }

  @Override public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      int maxRowsInFirstFrame) throws NoSuchStatementException {
    checkOwned(h);
    discardPrefetch(h.id, true);
    long start = System.nanoTime();
    try {
      ExecuteResult r = super.execute(h, parameterValues, maxRowsInFirstFrame);
      return done(h, enlarge(h, r, frameRows(maxRowsInFirstFrame)), start);
    } catch (RuntimeException | NoSuchStatementException e) {
      failed(h, start);
      throw e;
    }
  }

  @Override public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    checkOwned(h);
    int rows = frameRows(fetchMaxRowCount);
    Prefetch p = prefetches.remove(h.id);
    Frame f;
    if (p != null && p.offset() == offset) {
      f = await(p.frame());
    } else {
      if (p != null) {
        discard(p);
      }
      f = super.fetch(h, offset, rows);
    }
    long n = count(f);
    metrics.rows(n);
    sessions.cursor(h.connectionId, h.id, !f.done);
    if (!f.done) {
      prefetch(h, offset + n, rows);
    }
    return f;
  }

  @SuppressWarnings("deprecation")
  @Override public ExecuteResult prepareAndExecute(StatementHandle h, String sql,
      long maxRowCount, PrepareCallback callback) throws NoSuchStatementException {
    checkOwned(h);
    return super.prepareAndExecute(h, sql, maxRowCount, callback);
  }

  @SuppressWarnings("deprecation")
  @Override public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      long maxRowCount) throws NoSuchStatementException {
    checkOwned(h);
    return super.execute(h, parameterValues, maxRowCount);
  }

  @Override public boolean syncResults(StatementHandle h, QueryState state, long offset)
      throws NoSuchStatementException {
    checkOwned(h);
    discardPrefetch(h.id, false);
    return super.syncResults(h, state, offset);
  }

  @Override public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h,
      List<String> sqlCommands) throws NoSuchStatementException {
    checkOwned(h);
    discardPrefetch(h.id, true);
    return super.prepareAndExecuteBatch(h, sqlCommands);
  }

  @Override public ExecuteBatchResult executeBatch(StatementHandle h,
      List<List<TypedValue>> parameterValues) throws NoSuchStatementException {
    checkOwned(h);
    discardPrefetch(h.id, true);
    return super.executeBatch(h, parameterValues);
  }

  @Override public ExecuteBatchResult executeBatchProtobuf(StatementHandle h,
      List<Requests.UpdateBatch> updateBatches) throws NoSuchStatementException {
    checkOwned(h);
    discardPrefetch(h.id, true);
    return super.executeBatchProtobuf(h, updateBatches);
  }

  @Override public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metadataResult(ch, super.getCatalogs(ch));
  }

  @Override public MetaResultSet getSchemas(ConnectionHandle ch, String catalog,
      Pat schemaPattern) {
    return metadataResult(ch, super.getSchemas(ch, catalog, schemaPattern));
  }

  @Override public MetaResultSet getTables(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, List<String> typeList) {
    return metadataResult(ch, super.getTables(ch, catalog, schemaPattern, tableNamePattern,
        typeList));
  }

  @Override public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metadataResult(ch, super.getTableTypes(ch));
  }

  @Override public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadataResult(ch, super.getTypeInfo(ch));
  }

  @Override public MetaResultSet getColumns(ConnectionHandle ch, String catalog,
      Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return metadataResult(ch, super.getColumns(ch, catalog, schemaPattern, tableNamePattern,
        columnNamePattern));
  }

  @Override public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat procedureNamePattern) {
    return metadataResult(ch, super.getProcedures(ch, catalog, schemaPattern,
        procedureNamePattern));
  }

  @Override public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat procedureNamePattern, Pat columnNamePattern) {
    return metadataResult(ch, super.getProcedureColumns(ch, catalog, schemaPattern,
        procedureNamePattern, columnNamePattern));
  }

  @Override public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String
      schema, String table, Pat columnNamePattern) {
    return metadataResult(ch, super.getColumnPrivileges(ch, catalog, schema, table,
        columnNamePattern));
  }

  @Override public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat tableNamePattern) {
    return metadataResult(ch, super.getTablePrivileges(ch, catalog, schemaPattern,
        tableNamePattern));
  }

  @Override public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog,
      String schema, String table, int scope, boolean nullable) {
    return metadataResult(ch, super.getBestRowIdentifier(ch, catalog, schema, table, scope,
        nullable));
  }

  @Override public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog, String
      schema, String table) {
    return metadataResult(ch, super.getVersionColumns(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String
      schema, String table) {
    return metadataResult(ch, super.getPrimaryKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String
      schema, String table) {
    return metadataResult(ch, super.getImportedKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String
      schema, String table) {
    return metadataResult(ch, super.getExportedKeys(ch, catalog, schema, table));
  }

  @Override public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog,
      String parentSchema, String parentTable, String foreignCatalog, String foreignSchema,
      String foreignTable) {
    return metadataResult(ch, super.getCrossReference(ch, parentCatalog, parentSchema,
        parentTable, foreignCatalog, foreignSchema, foreignTable));
  }

  @Override public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String
      schema, String table, boolean unique, boolean approximate) {
    return metadataResult(ch, super.getIndexInfo(ch, catalog, schema, table, unique,
        approximate));
  }

  @Override public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern, int[] types) {
    return metadataResult(ch, super.getUDTs(ch, catalog, schemaPattern, typeNamePattern,
        types));
  }

  @Override public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat typeNamePattern) {
    return metadataResult(ch, super.getSuperTypes(ch, catalog, schemaPattern, typeNamePattern));
  }

  @Override public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat tableNamePattern) {
    return metadataResult(ch, super.getSuperTables(ch, catalog, schemaPattern,
        tableNamePattern));
  }

  @Override public MetaResultSet getAttributes(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat typeNamePattern, Pat attributeNamePattern) {
    return metadataResult(ch, super.getAttributes(ch, catalog, schemaPattern, typeNamePattern,
        attributeNamePattern));
  }

  @Override public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return metadataResult(ch, super.getClientInfoProperties(ch));
  }

  @Override public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat functionNamePattern) {
    return metadataResult(ch, super.getFunctions(ch, catalog, schemaPattern,
        functionNamePattern));
  }

  @Override public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat functionNamePattern, Pat columnNamePattern) {
    return metadataResult(ch, super.getFunctionColumns(ch, catalog, schemaPattern,
        functionNamePattern, columnNamePattern));
  }

  @Override public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog, Pat
      schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return metadataResult(ch, super.getPseudoColumns(ch, catalog, schemaPattern,
        tableNamePattern, columnNamePattern));
  }

  /** Records a metadata result's statement id as the connection's, so it can be fetched. */
  private MetaResultSet metadataResult(ConnectionHandle ch, MetaResultSet rs) {
    sessions.metadataResultCreated(ch.id, rs.statementId);
    return rs;
  }

  private void prefetch(StatementHandle h, long offset, int rows) {
    try {
      prefetches.put(h.id, new Prefetch(offset, prefetcher.submit(
          () -> ServerMeta.super.fetch(h, offset, rows))));
    } catch (RejectedExecutionException e) {
      // shutting down: the client's next fetch reads the frame itself
    }
  }

  /** The prefetched frame, or the exception reading it threw. */
  private static Frame await(Future<Frame> frame)
      throws NoSuchStatementException, MissingResultsException {
    try {
      return frame.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading ahead", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof NoSuchStatementException x) {
        throw x;
      } else if (c instanceof MissingResultsException x) {
        throw x;
      } else if (c instanceof RuntimeException x) {
        throw x;
      } else if (c instanceof Error x) {
        throw x;
      }
      throw new IllegalStateException(c);
    }
  }

  /** Drops a statement's read-ahead, cancelling its statement first if asked. */
  private void discardPrefetch(int statementId, boolean cancelStatement) {
    Prefetch p = prefetches.remove(statementId);
    if (p != null) {
      if (cancelStatement && !p.frame().isDone()) {
        StatementInfo info = getStatementCache().getIfPresent(statementId);
        Statement st = info == null ? null : StatementInfoAccess.statement(info);
        if (st != null) {
          try {
            st.cancel();
          } catch (SQLException e) {
            // the wait below still keeps the statement to one thread
          }
        }
      }
      discard(p);
    }
  }

  /** Waits for a read-ahead to end, ignoring its result, so the statement is free. */
  private static void discard(Prefetch p) {
    try {
      p.frame().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | CancellationException e) {
      // its error no longer matters
    }
  }

  /** Rows per frame for a client's fetch size. */
  int frameRows(int requested) {
    if (requested <= 0 || requested == AvaticaStatement.DEFAULT_FETCH_SIZE) {
      return frames.rows();
    }
    return Math.min(requested, frames.maxRows());
  }

  /** Tops up a first frame capped by JdbcMeta to {@code wanted} rows with one more fetch. */
  private ExecuteResult enlarge(StatementHandle h, ExecuteResult r, int wanted)
      throws NoSuchStatementException {
    List<MetaResultSet> out = new ArrayList<>(r.resultSets.size());
    for (MetaResultSet rs : r.resultSets) {
      Frame first = rs.firstFrame;
      if (first == null || first.done || rs.signature == null) {
        out.add(rs);
        continue;
      }
      List<Object> rows = new ArrayList<>();
      first.rows.forEach(rows::add);
      if (rows.size() >= wanted) {
        out.add(rs);
        continue;
      }
      Frame more;
      try {
        more = super.fetch(h, first.offset + rows.size(), wanted - rows.size());
      } catch (MissingResultsException e) {
        out.add(rs);
        continue;
      }
      more.rows.forEach(rows::add);
      out.add(MetaResultSet.create(rs.connectionId, rs.statementId, rs.ownStatement,
          rs.signature, new Frame(first.offset, more.done, rows), rs.updateCount));
    }
    return new ExecuteResult(out);
  }

  private ExecuteResult done(StatementHandle h, ExecuteResult r, long start) {
    metrics.query(ServerMetrics.Outcome.OK, System.nanoTime() - start);
    for (MetaResultSet rs : r.resultSets) {
      if (rs.firstFrame != null) {
        long n = count(rs.firstFrame);
        metrics.rows(n);
        sessions.cursor(h.connectionId, h.id, !rs.firstFrame.done);
        if (!rs.firstFrame.done && r.resultSets.size() == 1) {
          prefetch(h, rs.firstFrame.offset + n, frames.rows());
        }
      }
    }
    return r;
  }

  private void failed(StatementHandle h, long start) {
    ServerMetrics.Outcome outcome = cancelled.remove(h.id) ? ServerMetrics.Outcome.CANCELLED
        : ServerMetrics.Outcome.ERROR;
    metrics.query(outcome, System.nanoTime() - start);
    sessions.cursor(h.connectionId, h.id, false);
  }

  private static long count(Frame f) {
    if (f.rows instanceof List<?> l) {
      return l.size();
    }
    long n = 0;
    for (Object ignored : f.rows) {
      n++;
    }
    return n;
  }

  /**
   * Cancels a statement's running query (the Junction statement cancels its remote
   * statements). Returns whether there was a statement to cancel.
   */
  public boolean cancel(int statementId) {
    return cancelStatement(statementId);
  }

  /**
   * Cancels a statement's running query if {@code connectionId} created it (the endpoint
   * cancels on behalf of a request, which may have named another connection's statement).
   */
  public boolean cancel(String connectionId, int statementId) {
    return connectionId != null
        && connectionId.equals(sessions.statementConnection(statementId).orElse(null))
        && cancelStatement(statementId);
  }

  private boolean cancelStatement(int statementId) {
    StatementInfo info = getStatementCache().getIfPresent(statementId);
    Statement st = info == null ? null : StatementInfoAccess.statement(info);
    if (st == null) {
      return false;
    }
    cancelled.add(statementId);
    try {
      st.cancel();
      return true;
    } catch (SQLException e) {
      log.event("cancel_failed", "statement", statementId, "error", e.getMessage());
      return false;
    }
  }

  /** Closes connections idle past the timeout; returns how many. */
  public int expireIdle() {
    int n = 0;
    for (String id : sessions.idle()) {
      String owner = sessions.owner(id).orElse("?");
      try {
        closeConnection(new ConnectionHandle(id));
      } catch (RuntimeException e) {
        sessions.closed(id);
      }
      metrics.expiredConnection();
      log.event("connection_expired", "user", owner, "connection", id);
      n++;
    }
    return n;
  }

  /** Cancels every running statement and closes every connection (shutdown). */
  public void closeAll() {
    prefetcher.shutdown();
    for (String id : sessions.ids()) {
      for (int st : sessions.statements(id)) {
        cancel(st);
      }
      try {
        closeConnection(new ConnectionHandle(id));
      } catch (RuntimeException e) {
        sessions.closed(id);
      }
    }
  }
}
