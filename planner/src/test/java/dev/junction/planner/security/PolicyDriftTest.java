package dev.junction.planner.security;

import dev.junction.planner.security.PolicyDrift.Finding;
import dev.junction.spi.JunctionException;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PolicyDrift} over {@link FakeSource}s, hand-written in-memory sources (the real
 * adapters are modules the planner must not depend on); {@code MainTest} runs the same
 * checks through {@code junction check} over a real SQLite file.
 */
class PolicyDriftTest {
  private static final SqlTypeName INT = SqlTypeName.INTEGER;
  private static final SqlTypeName TEXT = SqlTypeName.VARCHAR;

  private final FakeSource sales = new FakeSource("sales")
      .table("public", "orders", "id", INT, "region", TEXT, "tenant_id", INT,
          "card_number", TEXT, "ssn", TEXT)
      .table("public", "customers", "id", INT, "name", TEXT);

  /** A column rule. */
  private static PolicyRule.ColumnRule column(int line, String name, boolean allowed,
      String mask) {
    return new PolicyRule.ColumnRule(name, line, allowed, mask);
  }

  /** A rule for group analysts; null patterns match any name. */
  private static PolicyRule rule(int line, String source, String schema, String table,
      boolean read, String filter, PolicyRule.ColumnRule... columns) {
    Map<String, PolicyRule.ColumnRule> byName = new LinkedHashMap<>();
    for (PolicyRule.ColumnRule c : columns) {
      byName.put(c.name().toLowerCase(java.util.Locale.ROOT), c);
    }
    return new PolicyRule(line, List.of(), List.of(Pattern.compile("analysts")),
        pattern(source), pattern(schema), pattern(table), read, filter, byName);
  }

  private static Pattern pattern(String regex) {
    return regex == null ? null
        : Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static Policy policy(PolicyRule... rules) {
    return new Policy(Path.of("policy.yaml"), Map.of(), Arrays.asList(rules));
  }

  /** The rule of the brief's example: filtered, one column masked, one hidden. */
  private static PolicyRule ordersRule(int line, String filter) {
    return rule(line, "sales", "public", "orders", true, filter,
        column(line + 3, "card_number", true,
            "'XXXX-XXXX-XXXX-' || SUBSTRING(card_number FROM 13 FOR 4)"),
        column(line + 4, "ssn", false, null),
        column(line + 5, "id", true, null),
        column(line + 6, "region", true, null),
        column(line + 7, "tenant_id", true, null));
  }

  private static final String FILTER =
      "region = ATTRIBUTE('region') AND tenant_id = ATTRIBUTE('tenant_id')";

  private static List<String> rendered(List<Finding> findings) {
    return findings.stream()
        .map(f -> f.line() + " " + f.severity() + " " + f.message()).toList();
  }

  @Test
  void aCleanPolicyHasNoFindings() {
    Policy p = policy(rule(2, null, null, null, true, null), ordersRule(3, FILTER),
        rule(12, "sales", "public", "customers", false, null));
    assertEquals(List.of(), PolicyDrift.check(p, List.of(sales)));
  }

  @Test
  void aRuleMatchingNoTableIsAnErrorNamingTheLevelThatFails() {
    Policy p = policy(rule(3, "sales", "public", "ordrs", true, null),
        rule(4, "slaes", null, null, true, null),
        rule(5, "sales", "pubic", "orders", false, null),
        rule(6, "sales", "public", "orders|customers", true, null));
    assertEquals(List.of(
        "3 ERROR rule matches no table: table 'ordrs' matches no table of sales.public"
            + " (did you mean 'orders'?); a typo, or a dropped table",
        "4 ERROR rule matches no table: source 'slaes' matches no source of the catalog"
            + " (did you mean 'sales'?); a typo, or a dropped table",
        "5 ERROR rule matches no table: schema 'pubic' matches no schema of source sales"
            + " (did you mean 'public'?); a typo, or a dropped table"),
        rendered(PolicyDrift.check(p, List.of(sales))));
  }

  @Test
  void aFilterNamingADroppedColumnIsAnError() {
    Policy p = policy(ordersRule(3, "region = ATTRIBUTE('region') AND country = 'FR'"));
    assertEquals(List.of("3 ERROR row filter does not compile against sales.public.orders"
        + " (column 'country' does not exist): the table cannot be read under this rule"),
        rendered(PolicyDrift.check(p, List.of(sales))));
  }

  @Test
  void typeErrorsInFiltersAndMasksAreErrors() {
    PolicyRule r = rule(3, "sales", "public", "customers", true, "name",
        column(4, "id", true, "id AND TRUE"), column(5, "name", true, null));
    List<Finding> f = PolicyDrift.check(policy(r), List.of(sales));
    assertEquals(2, f.size(), rendered(f).toString());
    assertEquals(3, f.get(0).line());
    assertTrue(f.get(0).message().startsWith("row filter does not compile against"
        + " sales.public.customers (it is of type VARCHAR, not BOOLEAN)"), f.get(0).message());
    assertEquals(4, f.get(1).line());
    assertTrue(f.get(1).message().startsWith("mask of column 'id' does not compile against"
        + " sales.public.customers (Cannot apply 'AND' to arguments of type"), f.get(1).message());
  }

  @Test
  void aColumnsEntryNamingNoColumnIsAnError() {
    PolicyRule r = rule(3, "sales", "public", "orders", true, null,
        column(4, "card_numbr", true, "'XXXX'"), column(5, "social_security", false, null),
        column(6, "id", true, null), column(7, "region", true, null),
        column(8, "tenant_id", true, null), column(9, "card_number", true, null),
        column(10, "ssn", false, null));
    assertEquals(List.of(
        "4 ERROR column 'card_numbr' is in no table the rule at line 3 matches"
            + " (sales.public.orders) (did you mean 'card_number'?); a typo, or a renamed or"
            + " dropped column",
        "5 ERROR column 'social_security' is in no table the rule at line 3 matches"
            + " (sales.public.orders); a typo, or a renamed or dropped column, whose new name"
            + " is not hidden"),
        rendered(PolicyDrift.check(policy(r), List.of(sales))));
  }

  @Test
  void anUnmentionedColumnOfAGovernedTableIsANotice() {
    FakeSource grown = new FakeSource("sales")
        .table("public", "orders", "id", INT, "region", TEXT, "tenant_id", INT,
            "card_number", TEXT, "ssn", TEXT, "discount", INT);
    List<Finding> f = PolicyDrift.check(policy(ordersRule(3, FILTER)), List.of(grown));
    assertEquals(List.of("3 NOTICE column 'discount' of sales.public.orders is not mentioned"
        + " by the rule at line 3: it is visible unmasked to that rule's callers; add"
        + " `discount: {allow: true}` to acknowledge it"), rendered(f));
    assertTrue(f.stream().noneMatch(Finding::isError));
  }

  @Test
  void aFilterAloneGovernsATableButARuleWithNeitherDoesNot() {
    Policy p = policy(rule(3, "sales", "public", "customers", true, "id > 0"),
        rule(4, "sales", "public", "orders", true, null));
    assertEquals(List.of(
        "3 NOTICE column 'id' of sales.public.customers is not mentioned by the rule at line"
            + " 3: it is visible unmasked to that rule's callers; add `id: {allow: true}` to"
            + " acknowledge it",
        "3 NOTICE column 'name' of sales.public.customers is not mentioned by the rule at"
            + " line 3: it is visible unmasked to that rule's callers; add `name: {allow:"
            + " true}` to acknowledge it"),
        rendered(PolicyDrift.check(p, List.of(sales))));
  }

  @Test
  void aSourceThatCannotBeListedIsReportedOnceAndItsRulesAreNotJudged() {
    FakeSource crm = new FakeSource("crm").down();
    Policy p = policy(rule(3, "crm", null, "accounts", true, null),
        rule(4, null, null, "nosuch", true, null), ordersRule(5, FILTER));
    List<Finding> f = PolicyDrift.check(p, List.of(crm, sales));
    assertEquals(List.of("0 ERROR source 'crm' could not be listed (source 'crm' is"
        + " unreachable: connection refused); the rules that may cover it were not checked"
        + " against it"), rendered(f));
    assertEquals(List.of("0 NOTICE source 'crm' is unreachable; the rules that may cover it"
        + " were not checked against it"),
        rendered(PolicyDrift.check(p, List.of(crm, sales), Set.of("crm"))),
        "a source known to be down is not listed again");
  }

  @Test
  void enforcementFailsWithTheReasonCheckGives() throws SQLException {
    Policy p = policy(ordersRule(3, "region = ATTRIBUTE('region') AND country = 'FR'"));
    String reason = "column 'country' does not exist";
    assertTrue(PolicyDrift.check(p, List.of(sales)).get(0).message().contains(reason));
    Access access = new Access(new PolicyHolder(p.file(), f -> p, () -> 0L), "ana",
        Set.of("analysts"), Map.of("region", "EU"), false);
    Properties props = new Properties();
    props.setProperty("lex", "JAVA");
    try (Connection c = new Driver().connect("jdbc:calcite:", props)) {
      GovernedSchemas.mount(c.unwrap(CalciteConnection.class).getRootSchema(),
          List.of(sales), access);
      SQLException e = assertThrows(SQLException.class,
          () -> c.prepareStatement("SELECT id FROM sales.public.orders"));
      JunctionException cause = null;
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof JunctionException je) {
          cause = je;
        }
      }
      assertTrue(cause != null && cause.getMessage().contains("the row filter of the rule at"
          + " line 3 of policy.yaml is invalid (" + reason + ")"), String.valueOf(cause));
    }
  }
}
