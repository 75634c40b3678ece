package dev.junction.planner.security;

import org.apache.calcite.schema.Table;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.Set;

/**
 * What one connection's caller may read: the catalog's {@link PolicyHolder} seen through
 * the caller's identity. The caller's {@link Principal} (groups and attributes from the
 * policy file merged with the server's token) is worked out again whenever the policy is
 * replaced.
 */
public final class Access {
  private final PolicyHolder holder;
  private final String user;
  private final Set<String> tokenGroups;
  private final Map<String, String> tokenAttributes;
  private final boolean revealPolicy;
  private volatile Resolved resolved;
  private final Map<List<Object>, Table> tables = new ConcurrentHashMap<>();
  private static final int MAX_TABLES = 1_000;

  /** A policy with the principal it gives this caller. */
  private record Resolved(Policy policy, Principal principal) {
  }

  /**
   * @param user the caller
   * @param tokenGroups groups from the caller's token (empty in-process, unless set)
   * @param tokenAttributes attributes from the caller's token
   * @param revealPolicy whether EXPLAIN shows the policy's own expressions (for
   *     {@code junction policy explain}) instead of placeholders
   */
  public Access(PolicyHolder holder, String user, Set<String> tokenGroups,
      Map<String, String> tokenAttributes, boolean revealPolicy) {
    this.holder = holder;
    this.user = user;
    this.tokenGroups = Set.copyOf(tokenGroups);
    this.tokenAttributes = Map.copyOf(tokenAttributes);
    this.revealPolicy = revealPolicy;
  }

  private Resolved resolved() {
    Policy p = holder.current();
    Resolved r = resolved;
    if (r == null || r.policy() != p) {
      r = new Resolved(p, p.principal(user, tokenGroups, tokenAttributes));
      resolved = r;
      tables.clear();
    }
    return r;
  }

  /**
   * The governed view of a table under a rule, made once per policy: its row type and
   * compiled masks are then reused by every statement of the connection.
   */
  Table governed(List<String> path, PolicyRule rule, Table inner, Supplier<Table> make) {
    if (tables.size() > MAX_TABLES) {
      tables.clear();
    }
    return tables.computeIfAbsent(List.of(path, rule, resolved().principal(), inner),
        k -> make.get());
  }

  /** The caller under the policy in force. */
  public Principal principal() {
    return resolved().principal();
  }

  /**
   * The version of the policy in force (looking at the file first, as
   * {@link PolicyHolder#current()} does): a statement prepared under an older version is
   * prepared again before it runs.
   */
  public long policyVersion() {
    holder.current();
    return holder.version();
  }

  /** Whether EXPLAIN shows the policy's expressions rather than placeholders. */
  public boolean revealPolicy() {
    return revealPolicy;
  }

  /** The policy file. */
  public java.nio.file.Path policyFile() {
    return holder.file();
  }

  /** The rule that lets the caller read a table, or empty when they may not. */
  public Optional<PolicyRule> readRule(String source, String schema, String table) {
    Resolved r = resolved();
    return r.policy().readRule(r.principal(), source, schema, table);
  }

  /**
   * Whether some rule might let the caller read something in this source (a schema or
   * table name of null matches any): decided from the rules alone, without asking the
   * source for its names.
   */
  public boolean mayReadSomething(String source, String schema) {
    Resolved r = resolved();
    for (PolicyRule rule : r.policy().rulesFor(r.principal())) {
      if (!rule.covers(source, schema, null)) {
        continue;
      }
      if (rule.read()) {
        return true;
      }
      if (rule.table() == null && (schema != null || rule.schema() == null)) {
        return false;
      }
    }
    return false;
  }
}
