package dev.junction.security;

import dev.junction.security.Attack.Rows;
import dev.junction.security.Attack.RowsOrMissing;
import dev.junction.security.PolicyFixture.Adapter;
import dev.junction.security.PolicyFixture.Caller;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Access control under attack, in-process, on PostgreSQL, MariaDB, DuckDB and SQLite
 * alike. Every query of {@link PolicyAttacks} is run through {@code jdbc:junction:} as
 * the analysts ana (EU, tenant 42), bob (US, tenant 7) and dora (no attributes), as the
 * admin carl and as eve, whom the policy does not name; each must give exactly the rows
 * the caller may see (computed in Java from the fixture: their filter applied, card
 * numbers masked, ssn absent), or fail exactly as a query naming a nonexistent object
 * does, or, for a write, be refused with 42501 before any source hears of it.
 *
 * <p>Besides: the filter travels in the SQL each source receives, attribute values that
 * look like SQL stay data, and the refused writes left every table as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(AttackTally.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyAttackIT {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyAttackIT.class);
  private static final List<Caller> ANALYSTS = List.of(Caller.ANA, Caller.BOB, Caller.DORA);

  private PolicyFixture fixture;
  private final Map<Caller, Connection> connections = new EnumMap<>(Caller.class);

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    fixture = PolicyFixture.create(dir);
  }

  @AfterAll
  void tearDown() throws Exception {
    try (AutoCloseable f = fixture) {
      for (Connection c : connections.values()) {
        c.close();
      }
    }
  }

  /** The caller's connection: the {@code user} property names them. */
  private Connection as(Caller caller) throws SQLException {
    Connection c = connections.get(caller);
    if (c == null || c.isClosed()) {
      Properties p = new Properties();
      p.setProperty("user", caller.user);
      c = CatalogFile.connect(fixture.catalog(), p);
      connections.put(caller, c);
    }
    return c;
  }

  static Stream<Arguments> analystAttacks() {
    List<Arguments> out = new ArrayList<>();
    for (Adapter a : Adapter.values()) {
      for (Caller c : ANALYSTS) {
        for (Attack attack : PolicyAttacks.analyst()) {
          out.add(Arguments.of(a, c.user, attack));
        }
      }
    }
    return out.stream();
  }

  static Stream<Arguments> adminAttacks() {
    return Stream.of(Adapter.values()).flatMap(a -> PolicyAttacks.admin().stream()
        .map(attack -> Arguments.of(a, Caller.CARL.user, attack)));
  }

  static Stream<Arguments> outsiderAttacks() {
    return Stream.of(Adapter.values()).flatMap(a -> PolicyAttacks.outsider().stream()
        .map(attack -> Arguments.of(a, Caller.EVE.user, attack)));
  }

  @Order(0)
  @Test
  void attackCounts() {
    Map<String, Integer> byClass = PolicyAttacks.countByCategory(PolicyAttacks.analyst());
    int total = PolicyAttacks.analyst().size();
    for (Adapter a : Adapter.values()) {
      LOG.info("policy attacks on {}: {} as each analyst (ana, bob, dora), {} as admin,"
          + " {} as outsider; by class: {}", a, total, PolicyAttacks.admin().size(),
          PolicyAttacks.outsider().size(), byClass);
    }
    assertTrue(total >= 60, "attacks per adapter: " + total + " " + byClass);
  }

  @Order(1)
  @ParameterizedTest(name = "{0} as {1}: {2}")
  @MethodSource("analystAttacks")
  void analystsSeeOnlyTheirRowsMasked(Adapter adapter, String user, Attack attack)
      throws Exception {
    Caller caller = Caller.valueOf(user.toUpperCase(Locale.ROOT));
    AttackRunner.check(attack, fixture.view(adapter, caller), as(caller));
  }

  @Order(1)
  @ParameterizedTest(name = "{0} as {1}: {2}")
  @MethodSource("adminAttacks")
  void adminSeesEverythingUnmaskedButCannotWrite(Adapter adapter, String user, Attack attack)
      throws Exception {
    AttackRunner.check(attack, fixture.view(adapter, Caller.CARL), as(Caller.CARL));
  }

  @Order(1)
  @ParameterizedTest(name = "{0} as {1}: {2}")
  @MethodSource("outsiderAttacks")
  void userWithoutRuleSeesNoTable(Adapter adapter, String user, Attack attack)
      throws Exception {
    AttackRunner.check(attack, fixture.view(adapter, Caller.EVE), as(Caller.EVE));
  }

  /**
   * The filter is in the SQL each source receives: for ana, {@code 'EU'} and {@code 42},
   * for bob {@code 'US'}, in every statement that reads orders, over every attack that
   * returns rows. Save the README's documented limit: a condition holding NUL, which
   * PostgreSQL, DuckDB and SQLite cannot take, runs in Junction whole (logged).
   */
  @Order(2)
  @ParameterizedTest(name = "{0} as analysts: pushed filter: in every statement reading orders")
  @EnumSource(Adapter.class)
  void theFilterTravelsToTheSource(Adapter adapter) throws Exception {
    for (Caller caller : List.of(Caller.ANA, Caller.BOB)) {
      View view = fixture.view(adapter, caller);
      try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
        AttackRunner.query(as(caller), view.resolve("SELECT * FROM {o}"));
        List<String> sent = recorder.sentTo(adapter.source);
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(List.of(), AttackRunner.withoutFilter(sent, caller),
            "the filter is not in the SQL sent for " + caller.user);
      }
      List<String> violations = new ArrayList<>();
      for (Attack attack : PolicyAttacks.analyst()) {
        if (attack.probe() != null || !(attack.expect() instanceof Rows
            || attack.expect() instanceof RowsOrMissing) || !attack.text().contains("{o}")) {
          continue;
        }
        try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
          try {
            AttackRunner.query(as(caller), view.resolve(attack.text()));
          } catch (SQLException e) {
            continue;
          }
          for (String sql : AttackRunner.withoutFilter(recorder.sentTo(adapter.source),
              caller)) {
            if (attack.text().indexOf('\0') >= 0) {
              // README, limits of the access policy: a WHERE holding NUL, which the
              // source's SQL cannot carry, stays in Junction whole, the row filter with it
              // (the rows returned are still only the caller's: the attack checks that).
              LOG.warn("known limit, {} as {}: the row filter ran in Junction for {};"
                  + " sent: {}", adapter, caller.user, attack, sql);
            } else {
              violations.add(attack + "\n    sent: " + sql);
            }
          }
        }
      }
      assertEquals(0, violations.size(), caller.user + ": statements reading orders without"
          + " the filter's values (" + violations.size() + "):\n" + String.join("\n",
          violations.subList(0, Math.min(10, violations.size()))));
    }
  }

  /**
   * Attribute values are data: a region of {@code EU' OR 'a'='a} or {@code EU\} matches no
   * row (and breaks no SQL), and a caller without attributes sees no row.
   */
  @Order(2)
  @ParameterizedTest(name = "{0} as quinn: attribute values: quinn, rex, dora see no row")
  @EnumSource(Adapter.class)
  void attributeValuesStayData(Adapter adapter) throws Exception {
    for (Caller caller : List.of(Caller.QUINN, Caller.REX, Caller.DORA)) {
      View view = fixture.view(adapter, caller);
      for (String sql : List.of("SELECT COUNT(*) FROM {o}", "SELECT id FROM {o}",
          "SELECT COUNT(*) FROM {o} WHERE region = 'EU' OR 1 = 1",
          "SELECT c.id FROM {c} c WHERE EXISTS (SELECT 1 FROM {o} o WHERE o.id = c.id)")) {
        List<List<Object>> rows;
        try {
          rows = AttackRunner.query(as(caller), view.resolve(sql)).rows();
        } catch (SQLException e) {
          throw new AssertionError(view + ": " + view.resolve(sql) + " failed: "
              + AttackRunner.describe(e), e);
        }
        List<List<Object>> expected = sql.startsWith("SELECT COUNT")
            ? AttackRunner.one(0) : List.of();
        AttackRunner.assertRows(expected, rows, false, view + ": " + view.resolve(sql));
      }
    }
  }

  /** Whatever the writes did, every table holds what was loaded. */
  @Order(3)
  @Test
  void refusedWritesLeftEveryTableAsItWas() throws Exception {
    assertEquals(PolicyFixture.expectedCounts(), fixture.storedCounts());
  }
}
