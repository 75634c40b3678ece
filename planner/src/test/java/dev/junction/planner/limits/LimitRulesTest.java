package dev.junction.planner.limits;

import dev.junction.config.ConfigProblem;
import dev.junction.planner.security.InvalidPolicyException;
import dev.junction.planner.security.Policy;
import dev.junction.planner.security.PolicyHolder;
import dev.junction.planner.security.PolicyLoader;
import dev.junction.planner.security.Principal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The {@code limits:} sections of the policy and the catalog: how a caller's limits are
 * resolved (most specific entry first, key by key), how bad values are reported, and that a
 * reloaded policy's limits apply (a hand-moved clock, no sleeping).
 */
class LimitRulesTest {
  private static final String POLICY = """
      users:
        ana: {groups: [analysts, interns]}
      rules:
        - {allow: read}
      limits:
        defaults: {max-rows: 1000, query-timeout: 30s, max-concurrent-queries: 4}
        groups:
          analysts: {max-rows: 50000, on-max-rows: truncate}
          interns: {max-rows: 10, max-rows-fetched: 100000}
        users:
          ana: {query-timeout: 5m, on-limit: refuse}
      """;

  private static Principal principal(Policy policy, String user, String... groups) {
    return policy.principal(user, Set.of(groups), Map.of());
  }

  @Test void theMostSpecificEntryWinsKeyByKey() {
    Policy policy = PolicyLoader.parse(POLICY, Path.of("p.yaml"));
    LimitRules catalog = LimitRules.ofCatalog(new LimitValues("catalog c.yaml, limits", null,
        null, null, null, null, Duration.ofSeconds(5), 2_000_000, 64L << 20, null, null),
        1L << 30);
    LimitRules rules = catalog.withPolicy(policy.limits());

    Limits ana = rules.forPrincipal(principal(policy, "ana"));
    assertEquals(50_000, ana.maxRows(), "her first group in file order that sets max-rows");
    assertEquals("policy p.yaml, limits.groups.analysts", ana.where(Limits.MAX_ROWS));
    assertEquals(Limits.OnMaxRows.TRUNCATE, ana.onMaxRows());
    assertEquals(Duration.ofMinutes(5), ana.queryTimeout(), "her own entry");
    assertEquals("policy p.yaml, limits.users.ana", ana.where(Limits.QUERY_TIMEOUT));
    assertEquals(Limits.OnLimit.REFUSE, ana.onLimit());
    assertEquals(4, ana.maxConcurrentQueries(), "the policy's defaults");
    assertEquals(100_000, ana.maxRowsFetched(), "her other group");
    assertEquals(64L << 20, ana.maxQueryMemory(), "the catalog");
    assertEquals("catalog c.yaml, limits", ana.where(Limits.MAX_QUERY_MEMORY));
    assertEquals(Duration.ofSeconds(5), ana.queueTimeout());
    assertEquals(1L << 30, ana.processMemory());

    Limits bob = rules.forPrincipal(principal(policy, "bob"));
    assertEquals(1000, bob.maxRows());
    assertEquals(Limits.OnMaxRows.ERROR, bob.onMaxRows());
    assertEquals(Duration.ofSeconds(30), bob.queryTimeout());
    assertEquals(2_000_000, bob.maxRowsFetched());
    assertEquals("not set", bob.where(Limits.ON_LIMIT));
    assertEquals(Limits.OnLimit.QUEUE, bob.onLimit());

    Limits tokenIntern = rules.forPrincipal(principal(policy, "cy", "interns"));
    assertEquals(10, tokenIntern.maxRows(), "a group from the caller's token counts too");

    assertEquals(Limits.NONE, LimitRules.NONE.forPrincipal(Principal.of("x")));
  }

  @Test void badValuesAreReportedWithKeyValueAndWhatIsAllowed() {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.parse("""
            rules: []
            limits:
              defaults: {max-rows: -1, query-timeout: 1500ms}
              groups:
                g: {on-max-rows: cut, on-limit: wait, max-rows-fetched: lots}
              users:
                u: {max-query-memory: 12 apples, queue-timeout: soon, max-row: 3}
              others: {}
            """, Path.of("p.yaml")));
    List<String> messages = e.problems().stream().map(ConfigProblem::located).toList();
    assertEquals(List.of(
        "p.yaml:3: key 'limits.defaults.max-rows': '-1' is not allowed; allowed: a whole"
            + " number from 0 to 2147483646",
        "p.yaml:3: key 'limits.defaults.query-timeout': '1500ms' is not allowed; allowed:"
            + " whole seconds (30s, 5m, 1h), or 0 for no timeout",
        "p.yaml:5: key 'limits.groups.g.on-max-rows': 'cut' is not allowed; allowed: error,"
            + " truncate",
        "p.yaml:5: key 'limits.groups.g.on-limit': 'wait' is not allowed; allowed: queue,"
            + " refuse",
        "p.yaml:5: key 'limits.groups.g.max-rows-fetched': 'lots' is not allowed; allowed: a"
            + " whole number from 0 to 2147483647",
        "p.yaml:7: key 'limits.users.u.max-row': unknown key; allowed: max-rows, on-max-rows,"
            + " query-timeout, max-concurrent-queries, on-limit, queue-timeout,"
            + " max-rows-fetched, max-query-memory, max-bytes-scanned, max-bytes-scanned-per-day"
            + " (did you mean 'max-rows'?)",
        "p.yaml:7: key 'limits.users.u.queue-timeout': 'soon' is not a duration; allowed: "
            + dev.junction.config.Durations.ALLOWED,
        "p.yaml:7: key 'limits.users.u.max-query-memory': '12 apples' is not a size;"
            + " allowed: " + dev.junction.config.Sizes.ALLOWED,
        "p.yaml:8: key 'limits.others': unknown key; allowed: defaults, users, groups"),
        messages);
  }

  @Test void aReloadedPolicyGivesNewQueriesItsLimits(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("policy.yaml");
    write(file, "rules: []\nlimits: {defaults: {max-rows: 5}}\n", 1_000);
    AtomicLong now = new AtomicLong();
    PolicyHolder holder = new PolicyHolder(file, PolicyLoader::load, now::get);
    LimitRules catalog = LimitRules.NONE;
    Principal p = Principal.of("ana");
    assertEquals(5, catalog.withPolicy(holder.current().limits()).forPrincipal(p).maxRows());
    write(file, "rules: []\nlimits: {defaults: {max-rows: 50}}\n", 2_000);
    now.addAndGet(PolicyHolder.CHECK_INTERVAL_NANOS);
    assertEquals(50, catalog.withPolicy(holder.current().limits()).forPrincipal(p).maxRows());
  }

  private static void write(Path file, String text, long millis) throws IOException {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.fromMillis(millis));
  }
}
