package dev.junction.security;

import dev.junction.security.Attack.Missing;
import dev.junction.security.Attack.Rows;
import dev.junction.security.Attack.RowsOrMissing;
import dev.junction.security.Attack.RowsOrRejected;
import dev.junction.security.PolicyFixture.Adapter;
import dev.junction.security.PolicyFixture.Caller;
import dev.junction.testing.CatalogFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The attack suite checked against itself, so that when {@code PolicyAttackIT} fails the
 * fault is Junction's: every source holds only what ana may see (her rows, card numbers
 * already masked, no ssn column, no secrets table) and the catalog has no policy. Every
 * attack whose answer does not depend on enforcement (rows, and the errors for the ssn
 * column and the secrets table, which here really do not exist) must then hold, on every
 * adapter: this checks the answers computed in Java and that each source runs the SQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(AttackTally.class)
class PolicyAttackBaselineIT {
  /** Names that do not exist in the baseline, as a hidden object must not exist for ana. */
  private static final Set<String> ABSENT = Set.of("ssn", "secrets");
  /** Classes whose answers need enforcement: placeholders, 42501, policy-wide listings. */
  private static final Set<String> NEED_ENFORCEMENT = Set.of(PolicyAttacks.EXPLAIN,
      PolicyAttacks.WRITE, PolicyAttacks.METADATA);

  private PolicyFixture fixture;
  private Connection ana;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    fixture = PolicyFixture.baseline(dir, Caller.ANA);
    Properties p = new Properties();
    p.setProperty("user", Caller.ANA.user);
    ana = CatalogFile.connect(fixture.catalog(), p);
  }

  @AfterAll
  void tearDown() throws Exception {
    try (AutoCloseable f = fixture; AutoCloseable c = ana) {
      // closes both
    }
  }

  static Stream<Arguments> attacks() {
    return Stream.of(Adapter.values()).flatMap(a -> PolicyAttacks.analyst().stream()
        .filter(PolicyAttackBaselineIT::independentOfEnforcement)
        .map(attack -> Arguments.of(a, Caller.ANA.user, attack)));
  }

  private static boolean independentOfEnforcement(Attack attack) {
    if (NEED_ENFORCEMENT.contains(attack.category())) {
      return false;
    }
    Attack.Expect e = attack.expect();
    return e instanceof Rows || e instanceof RowsOrMissing || e instanceof RowsOrRejected
        || e instanceof Missing m && ABSENT.contains(m.name().toLowerCase(Locale.ROOT));
  }

  @ParameterizedTest(name = "{0} as {1}: {2}")
  @MethodSource("attacks")
  void expectedAnswersHoldOnDataAnaMaySee(Adapter adapter, String user, Attack attack)
      throws Exception {
    AttackRunner.check(attack, fixture.view(adapter, Caller.ANA), ana);
  }
}
