package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.junction.security.Attack;
import dev.junction.security.AttackRunner;
import dev.junction.security.AttackTally;
import dev.junction.security.PolicyAttacks;
import dev.junction.security.PolicyFixture;
import dev.junction.security.PolicyFixture.Adapter;
import dev.junction.security.PolicyFixture.Caller;
import dev.junction.security.View;

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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The attacks of {@link PolicyAttacks} through the server, as a thin client makes them:
 * the stock Avatica remote driver, each user logging in with a password, so the principal
 * the server authenticated is the caller the policy sees. Same fixture, policy and
 * expectations as the in-process {@code PolicyAttackIT}; besides, what a client sends in
 * its connection properties ({@code user}, {@code groups}, {@code attributes},
 * {@code revealPolicy}) changes nothing about what it may see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(AttackTally.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyAttackServerIT {
  /** dora (no attributes) runs in-process and in {@link #attributeValuesStayData}. */
  private static final List<Caller> ANALYSTS = List.of(Caller.ANA, Caller.BOB);
  /**
   * Shorter than Avatica's 3 minutes: a response that never comes fails or is retried
   * after this, rather than holding the build.
   */
  private static final String RESPONSE_TIMEOUT = ";http_response_timeout=20000";
  /**
   * The Avatica protocol carries no primary keys, foreign keys or indexes (the stock
   * client answers those calls with no rows), so a probe that expects some cannot pass
   * here; the probes that expect none still run, vacuously.
   */
  private static final String KEYS_NOT_CARRIED = "getPrimaryKeys(src, schema, orders)";

  private PolicyFixture fixture;
  private TestingJunctionServer server;
  private final Map<Caller, Connection> connections = new EnumMap<>(Caller.class);

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    fixture = PolicyFixture.create(dir);
    TestingJunctionServer.Builder b = TestingJunctionServer.builder(dir);
    for (Caller c : Caller.values()) {
      b.user(c.user, c.password());
    }
    server = b.catalog(fixture.catalog()).start();
  }

  @AfterAll
  void stop() throws Exception {
    try (AutoCloseable f = fixture; AutoCloseable s = server) {
      for (Connection c : connections.values()) {
        c.close();
      }
    }
  }

  private Connection as(Caller caller) throws SQLException {
    Connection c = connections.get(caller);
    if (c == null || c.isClosed()) {
      c = DriverManager.getConnection(server.url(caller.user, caller.password())
          + RESPONSE_TIMEOUT);
      connections.put(caller, c);
    }
    return c;
  }

  static Stream<Arguments> analystAttacks() {
    return Stream.of(Adapter.values()).flatMap(a -> ANALYSTS.stream().flatMap(c ->
        PolicyAttacks.analyst().stream().filter(x -> !x.text().equals(KEYS_NOT_CARRIED))
            .map(attack -> Arguments.of(a, c.user, attack))));
  }

  static Stream<Arguments> adminAttacks() {
    return Stream.of(Adapter.values()).flatMap(a -> PolicyAttacks.admin().stream()
        .filter(x -> !x.text().startsWith("getPrimaryKeys("))
        .map(attack -> Arguments.of(a, Caller.CARL.user, attack)));
  }

  static Stream<Arguments> outsiderAttacks() {
    return Stream.of(Adapter.values()).flatMap(a -> PolicyAttacks.outsider().stream()
        .map(attack -> Arguments.of(a, Caller.EVE.user, attack)));
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
   * ana's client claims to be carl, an admin, with bob's attributes, and asks for the
   * policy's predicates in EXPLAIN: none of it counts.
   */
  @Order(2)
  @ParameterizedTest(name = "{0} as ana: client properties: claiming carl, admins, bob's"
      + " attributes")
  @EnumSource(Adapter.class)
  void clientPropertiesDoNotWidenWhatAnaSees(Adapter adapter) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "carl");
    p.setProperty("groups", "admins");
    p.setProperty("attributes", "{\"region\": \"US\", \"tenant_id\": \"7\"}");
    p.setProperty("revealPolicy", "true");
    View view = fixture.view(adapter, Caller.ANA);
    try (Connection c = DriverManager.getConnection(server.url(Caller.ANA.user,
        Caller.ANA.password()) + RESPONSE_TIMEOUT, p)) {
      List<String> failures = new ArrayList<>();
      for (Attack attack : PolicyAttacks.analyst()) {
        if (List.of(PolicyAttacks.COLUMNS, PolicyAttacks.AGGREGATE, PolicyAttacks.EXPLAIN,
            PolicyAttacks.DENIED, PolicyAttacks.MASK).contains(attack.category())) {
          try {
            AttackRunner.check(attack, view, c);
          } catch (AssertionError e) {
            failures.add(String.valueOf(e.getMessage()).split("\n", 3)[0] + ": " + attack);
          }
        }
      }
      assertEquals(List.of(), failures, "with ana's client claiming more");
    }
  }

  /** Attribute values that look like SQL match nothing; no attributes, no rows. */
  @Order(2)
  @ParameterizedTest(name = "{0} as quinn: attribute values: quinn, rex, dora see no row")
  @EnumSource(Adapter.class)
  void attributeValuesStayData(Adapter adapter) throws Exception {
    for (Caller caller : List.of(Caller.QUINN, Caller.REX, Caller.DORA)) {
      View view = fixture.view(adapter, caller);
      String sql = view.resolve("SELECT COUNT(*) FROM {o} WHERE region = 'EU' OR 1 = 1");
      AttackRunner.assertRows(AttackRunner.one(0), AttackRunner.query(as(caller), sql).rows(),
          false, view + ": " + sql);
    }
  }

  /** Whatever the writes did, every table holds what was loaded. */
  @Order(3)
  @Test
  void refusedWritesLeftEveryTableAsItWas() throws Exception {
    assertEquals(PolicyFixture.expectedCounts(), fixture.storedCounts());
  }
}
