package dev.junction.driver;

import dev.junction.driver.audit.AuditEvent;
import dev.junction.driver.audit.AuditException;
import dev.junction.driver.audit.AuditLog;
import dev.junction.planner.security.Principal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The audit trail of one connection's statements: each execution, and each statement that
 * fails before it produces rows (a parse or validation error, a denied or missing table,
 * a refused write), becomes one {@link AuditEvent}.
 *
 * <p>An execution's line is written when it ends (exhausted, closed, failed, cancelled), so
 * it carries the rows returned and the duration. When the audit fails closed, an execution
 * does not start unless its line can be written ({@link AuditLog#ensureWritable}); a line
 * that then fails to be written fails the call that ended the statement.
 */
public final class StatementAudit {
  /** Failures already audited, so one failure seen at two layers is recorded once. */
  private static final Set<Throwable> AUDITED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final AuditLog log;
  private final Supplier<Principal> principal;
  private final String clientAddress;

  /**
   * @param principal the caller as of the policy in force (groups may change when the
   *     policy is replaced)
   * @param clientAddress the caller's address when served, else null
   */
  StatementAudit(AuditLog log, Supplier<Principal> principal, String clientAddress) {
    this.log = log;
    this.principal = principal;
    this.clientAddress = clientAddress;
  }

  /** The caller, as of the policy in force. */
  private Principal principal() {
    return principal.get();
  }

  /**
   * Starts auditing an execution of {@code sql} reading {@code tables}.
   *
   * @throws SQLException if the audit fails closed and cannot be written now
   */
  public Execution begin(String sql, List<String> tables) throws SQLException {
    return begin(UUID.randomUUID().toString(), sql, tables);
  }

  /**
   * Starts auditing one execution under the query id its sources see ({@code
   * QueryScope.queryId()}), so the audit line names the remote queries it caused.
   */
  public Execution begin(String queryId, String sql, List<String> tables)
      throws SQLException {
    try {
      log.ensureWritable();
    } catch (AuditException e) {
      throw Errors.toSql(e);
    }
    return new Execution(queryId, sql, tables);
  }

  /**
   * Records a statement that failed before it produced a result (unless that failure was
   * already recorded by its execution).
   *
   * @param sql the statement text, or null when unknown
   * @throws SQLException if the audit fails closed and the line could not be written
   */
  public void failed(String sql, Throwable cause, SQLException failure, long startNanos)
      throws SQLException {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (AUDITED.contains(t)) {
        return;
      }
    }
    AUDITED.add(cause);
    record(event(UUID.randomUUID().toString(), sql, List.of(), 0, startNanos, failure));
  }

  private AuditEvent event(String queryId, String sql, List<String> tables, long rows,
      long startNanos, SQLException failure) {
    Set<String> sources = new LinkedHashSet<>();
    tables.forEach(t -> sources.add(t.split("\\.", 2)[0]));
    AuditEvent.Builder b = AuditEvent.builder()
        .time(Instant.now())
        .queryId(queryId)
        .principal(principal())
        .clientAddress(clientAddress)
        .sql(sql == null ? "" : sql)
        .sources(sources)
        .tables(tables)
        .rows(rows)
        .durationMillis(Math.max(0, (System.nanoTime() - startNanos) / 1_000_000));
    if (failure == null) {
      b.ok();
    } else {
      String state = failure.getSQLState();
      String message = String.valueOf(failure.getMessage());
      if ("42501".equals(state)) {
        b.denied(state, message);
      } else if ("57014".equals(state)) {
        b.cancelled(state, message);
      } else {
        b.failed(state, message);
      }
    }
    return b.build();
  }

  private void record(AuditEvent e) throws SQLException {
    try {
      log.record(e);
    } catch (AuditException ex) {
      throw Errors.toSql(ex);
    }
  }

  /** One execution being audited; its line is written once, when it ends. */
  public final class Execution {
    private final String queryId;
    private final String sql;
    private final List<String> tables;
    private final long start = System.nanoTime();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();

    Execution(String queryId, String sql, List<String> tables) {
      this.queryId = queryId;
      this.sql = sql;
      this.tables = List.copyOf(tables);
    }

    /** A row was returned. */
    public void row() {
      rows.incrementAndGet();
    }

    /**
     * The execution ended: successfully when {@code failure} is null. Only the first call
     * records.
     *
     * @param cause what failed, so the layers above do not record it again; may be null
     * @throws SQLException if the audit fails closed and the line could not be written
     */
    public void end(Throwable cause, SQLException failure) throws SQLException {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      if (cause != null) {
        AUDITED.add(cause);
      }
      record(event(queryId, sql, tables, rows.get(), start, failure));
    }
  }
}
