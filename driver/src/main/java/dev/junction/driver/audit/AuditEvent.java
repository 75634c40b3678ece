package dev.junction.driver.audit;

import dev.junction.planner.security.Principal;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the audit trail records about one statement, allowed or denied; {@link #toJson()}
 * is its line. Build one with {@link #builder()}, which takes the caller from a
 * {@link Principal} and keeps only the attributes it may show: an event never holds a
 * credential or the value of an attribute marked secret.
 *
 * @param time when the statement started
 * @param queryId the statement's query id
 * @param user the user it ran for
 * @param groups the user's groups, sorted
 * @param attributes the user's attributes that are not secret, by name
 * @param clientAddress the client's address when the server served the statement, else null
 * @param outcome how the statement ended
 * @param sqlState the SQLState it failed or was denied with; null when it succeeded
 * @param error the error message, or the reason for a denial; null when it succeeded
 * @param rows the rows returned to the client (until it failed or was cancelled)
 * @param durationMillis how long it ran, in milliseconds
 * @param sources the sources it read
 * @param tables the tables it read, as {@code source.schema.table}
 * @param sql the SQL text, as the client sent it
 */
public record AuditEvent(Instant time, String queryId, String user, List<String> groups,
    Map<String, String> attributes, String clientAddress, Outcome outcome, String sqlState,
    String error, long rows, long durationMillis, List<String> sources, List<String> tables,
    String sql) {

  /** Checks the required fields and copies the collections. */
  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(queryId, "queryId");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(sql, "sql");
    groups = List.copyOf(groups);
    attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    sources = List.copyOf(sources);
    tables = List.copyOf(tables);
    if (rows < 0 || durationMillis < 0) {
      throw new IllegalArgumentException("rows and durationMillis must not be negative: "
          + rows + ", " + durationMillis);
    }
    if (outcome == Outcome.OK && (sqlState != null || error != null)) {
      throw new IllegalArgumentException("a statement that succeeded has no SQLState or error");
    }
  }

  /** A builder with no rows, no duration, no client address and no sources yet. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * This event as one line of JSON (no line break in it, nor any other character a reader
   * of lines could split at), with every string escaped; the field names are in
   * {@code AuditJson}.
   */
  public String toJson() {
    return AuditJson.render(this);
  }

  /** How a statement ended. */
  public enum Outcome {
    /** It ran and its results were returned. */
    OK,
    /** It failed: a syntax error, a source error, a timeout. */
    FAILED,
    /** The policy did not allow it. */
    DENIED,
    /** It was cancelled ({@code Statement.cancel()}, or the source cancelled it). */
    CANCELLED;

    /** The name written in the audit line: {@code ok}, {@code failed} and so on. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Builds an {@link AuditEvent}; not thread-safe. */
  public static final class Builder {
    private Instant time;
    private String queryId;
    private String user;
    private List<String> groups = List.of();
    private Map<String, String> attributes = Map.of();
    private String clientAddress;
    private Outcome outcome;
    private String sqlState;
    private String error;
    private long rows;
    private long durationMillis;
    private List<String> sources = List.of();
    private List<String> tables = List.of();
    private String sql;

    private Builder() {
    }

    /** When the statement started. */
    public Builder time(Instant time) {
      this.time = time;
      return this;
    }

    /** The statement's query id. */
    public Builder queryId(String queryId) {
      this.queryId = queryId;
      return this;
    }

    /**
     * The caller: the user, the groups, and the attributes it may show
     * ({@link Principal#shownAttributes()}); secret attributes are left out entirely.
     */
    public Builder principal(Principal principal) {
      this.user = principal.user();
      this.groups = List.copyOf(new TreeSet<>(principal.groups()));
      this.attributes = principal.shownAttributes();
      return this;
    }

    /** The client's address, when the server served the statement; null otherwise. */
    public Builder clientAddress(String clientAddress) {
      this.clientAddress = clientAddress;
      return this;
    }

    /** The SQL text, as the client sent it. */
    public Builder sql(String sql) {
      this.sql = sql;
      return this;
    }

    /** The sources the statement read (sorted, each once). */
    public Builder sources(Collection<String> sources) {
      this.sources = List.copyOf(new TreeSet<>(sources));
      return this;
    }

    /** The tables the statement read, as {@code source.schema.table} (sorted, each once). */
    public Builder tables(Collection<String> tables) {
      this.tables = List.copyOf(new TreeSet<>(tables));
      return this;
    }

    /** The rows returned to the client. */
    public Builder rows(long rows) {
      this.rows = rows;
      return this;
    }

    /** How long the statement ran, in milliseconds. */
    public Builder durationMillis(long durationMillis) {
      this.durationMillis = durationMillis;
      return this;
    }

    /** The statement succeeded. */
    public Builder ok() {
      return outcome(Outcome.OK, null, null);
    }

    /** The statement failed with this SQLState and message. */
    public Builder failed(String sqlState, String message) {
      return outcome(Outcome.FAILED, sqlState, message);
    }

    /** The policy denied the statement, with this SQLState, for this reason. */
    public Builder denied(String sqlState, String reason) {
      return outcome(Outcome.DENIED, sqlState, reason);
    }

    /** The statement was cancelled, with this SQLState and message. */
    public Builder cancelled(String sqlState, String message) {
      return outcome(Outcome.CANCELLED, sqlState, message);
    }

    private Builder outcome(Outcome outcome, String sqlState, String error) {
      this.outcome = outcome;
      this.sqlState = sqlState;
      this.error = error;
      return this;
    }

    /**
     * The event.
     *
     * @throws NullPointerException if the time, query id, principal, outcome or SQL is
     *     missing
     */
    public AuditEvent build() {
      return new AuditEvent(time, queryId, user, groups, attributes, clientAddress, outcome,
          sqlState, error, rows, durationMillis, sources, tables, sql);
    }
  }
}
