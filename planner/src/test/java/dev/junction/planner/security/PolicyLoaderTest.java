package dev.junction.planner.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.config.ConfigProblem;
import dev.junction.spi.ErrorCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reading policy files: the model they give and the problem each mistake gives. */
class PolicyLoaderTest {
  /** The example of the file format, as the README shows it. */
  static final String EXAMPLE = """
      users:
        ana:  {groups: [analysts], attributes: {region: EU, tenant_id: 42}}
        bob:  {groups: [analysts], attributes: {region: US, api_key: {secret: abc}}}
        carl: {groups: [admins]}
      rules:                                   # first matching rule wins
        - {group: admins, allow: read}
        - group: analysts
          source: sales                        # regular expressions, full match,
          schema: public                       # ignoring case; omitted = any
          table: orders
          allow: read
          filter: "region = ATTRIBUTE('region') AND tenant_id = ATTRIBUTE('tenant_id')"
          columns:
            card_number: {mask: "'XXXX-XXXX-XXXX-' || SUBSTRING(card_number FROM 13 FOR 4)"}
            ssn: {allow: false}
        - {group: analysts, source: sales, schema: public, table: "customers|products", allow: read}
      """;
  private static final String SECRET = "Zq7-hunter2-Wv";

  @TempDir Path dir;

  // ---- valid files -------------------------------------------------------------------

  @Test void theExampleGivesTheModel() {
    Path file = Path.of("policy.yaml");
    Policy policy = PolicyLoader.parse(EXAMPLE, file);
    assertEquals(file, policy.file());
    assertEquals(Set.of("ana", "bob", "carl"), policy.users().keySet());
    Policy.User ana = policy.users().get("ana");
    assertEquals(new Policy.User("ana", 2, List.of("analysts"),
        Map.of("region", "EU", "tenant_id", "42"), Set.of()), ana);
    Policy.User bob = policy.users().get("bob");
    assertEquals(3, bob.line());
    assertEquals(Map.of("region", "US", "api_key", "abc"), bob.attributes());
    assertEquals(Set.of("api_key"), bob.secretAttributes());
    assertEquals(new Policy.User("carl", 4, List.of("admins"), Map.of(), Set.of()),
        policy.users().get("carl"));

    List<PolicyRule> rules = policy.rules();
    assertEquals(3, rules.size());
    PolicyRule admins = rules.get(0);
    assertEquals(6, admins.line());
    assertEquals(List.of(), admins.users());
    assertEquals(List.of("admins"), patterns(admins.groups()));
    assertNull(admins.source());
    assertNull(admins.table());
    assertTrue(admins.read());
    assertNull(admins.filter());
    assertEquals(Map.of(), admins.columns());

    PolicyRule orders = rules.get(1);
    assertEquals(7, orders.line());
    assertEquals(List.of("analysts"), patterns(orders.groups()));
    assertEquals("sales", orders.source().pattern());
    assertEquals("public", orders.schema().pattern());
    assertEquals("orders", orders.table().pattern());
    assertEquals(Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE, orders.table().flags());
    assertEquals(0, orders.groups().get(0).flags(), "user and group names match by case");
    assertTrue(orders.read());
    assertEquals("region = ATTRIBUTE('region') AND tenant_id = ATTRIBUTE('tenant_id')",
        orders.filter());
    assertEquals(Map.of(
        "card_number", new PolicyRule.ColumnRule("card_number", 14, true,
            "'XXXX-XXXX-XXXX-' || SUBSTRING(card_number FROM 13 FOR 4)"),
        "ssn", new PolicyRule.ColumnRule("ssn", 15, false, null)), orders.columns());

    PolicyRule others = rules.get(2);
    assertEquals(16, others.line());
    assertEquals("customers|products", others.table().pattern());
  }

  @Test void theExampleDecidesAccess() {
    Policy policy = PolicyLoader.parse(EXAMPLE, null);
    Principal ana = policy.principal("ana", List.of(), Map.of());
    assertEquals(7, policy.readRule(ana, "SALES", "Public", "ORDERS").orElseThrow().line());
    assertEquals(16, policy.readRule(ana, "sales", "public", "products").orElseThrow().line());
    assertTrue(policy.readRule(ana, "sales", "public", "ordersx").isEmpty(), "full match");
    assertTrue(policy.readRule(ana, "hr", "public", "orders").isEmpty());
    Principal carl = policy.principal("carl", List.of(), Map.of());
    assertEquals(6, policy.readRule(carl, "hr", "x", "y").orElseThrow().line());
    assertTrue(policy.readRule(Principal.of("dora"), "sales", "public", "orders").isEmpty());
    assertEquals("ssn", policy.rules().get(1).column("SSN").name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "# nothing yet\n", "users:\nrules:\n",
      "users: {}\nrules: []\n"})
  void anEmptyPolicyDeniesEverything(String yaml) {
    Policy policy = PolicyLoader.parse(yaml, null);
    assertEquals(Map.of(), policy.users());
    assertEquals(List.of(), policy.rules());
  }

  @Test void variantsOfTheFormat() {
    Policy policy = PolicyLoader.parse("""
        users:
          dora: {groups: auditors}
          ed:
        rules:
          - user: ["dora|ed", "f.*"]
            allow: NONE
          - {user: ed, group: [a, b], allow: Read, columns: {Email: {allow: "TRUE"}}}
        """, null);
    assertEquals(List.of("auditors"), policy.users().get("dora").groups());
    assertEquals(List.of(), policy.users().get("ed").groups());
    PolicyRule deny = policy.rules().get(0);
    assertFalse(deny.read());
    assertEquals(List.of("dora|ed", "f.*"), patterns(deny.users()));
    PolicyRule read = policy.rules().get(1);
    assertTrue(read.read());
    assertEquals(List.of("a", "b"), patterns(read.groups()));
    assertEquals(new PolicyRule.ColumnRule("Email", 7, true, null), read.columns().get("email"));
  }

  // ---- problems ----------------------------------------------------------------------

  @Test void unknownKeysGetAHint() {
    assertProblems("""
        users: {}
        ruels: []
        """, "2: key 'ruels': unknown key; allowed: users, rules, limits (did you mean 'rules'?)");
    assertProblems("""
        users:
          ana: {grups: [x], attributes: {}}
        rules:
          - {group: x, alow: read}
          - allow: read
            columns: {a: {allow: false, mask: "'x'", maks: "'y'"}}
        """,
        "2: key 'users.ana.grups': unknown key; allowed: groups, attributes"
            + " (did you mean 'groups'?)",
        "4: key 'rules[0].alow': unknown key; allowed: user, group, source, schema, table,"
            + " allow, filter, columns (did you mean 'allow'?)",
        "4: key 'rules[0].allow': missing; every rule says what it allows: read or none",
        "6: key 'rules[1].columns.a.maks': unknown key; allowed: allow, mask"
            + " (did you mean 'mask'?)",
        "6: key 'rules[1].columns.a.mask': not allowed with allow: false; a hidden column"
            + " shows no value, so a mask on it means nothing");
  }

  @Test void theShapeOfEachSection() {
    assertProblems("- a\n- b\n",
        "1: the policy must be a mapping with the keys users, rules and limits, not a list");
    assertProblems("users: [ana]\nrules: {a: b}\n",
        "1: key 'users': must be a mapping of user names to their groups and attributes,"
            + " not a list",
        "2: key 'rules': must be a list of rules, each starting with '- ', not a map");
    assertProblems("""
        users:
          ana: analysts
          bob: {groups: {a: b}, attributes: [region]}
          "": {}
        rules:
          - read
          - [allow, read]
        """,
        "2: key 'users.ana': must be a mapping with the keys groups and attributes,"
            + " not 'analysts'",
        "3: key 'users.bob.groups': must be a group name or a list of them, not a map",
        "3: key 'users.bob.attributes': must be a mapping of attribute names to values,"
            + " not a list",
        "4: key 'users.': a user name must be non-empty text, not blank text",
        "6: key 'rules[0]': must be a mapping with the keys user, group, source, schema,"
            + " table, allow, filter, columns, not 'read'",
        "7: key 'rules[1]': must be a mapping with the keys user, group, source, schema,"
            + " table, allow, filter, columns, not a list");
  }

  @Test void attributesAreSingleValuesOrSecrets() {
    assertProblems("""
        users:
          ana:
            groups: [a, [b], ""]
            attributes:
              region: [EU, US]
              tenant:
              team: {name: x}
              key: {secret: [a, b]}
              other: {secret: }
        """,
        "3: key 'users.ana.groups[1]': a group name must be non-empty text, not a list",
        "3: key 'users.ana.groups[2]': a group name must be non-empty text, not blank text",
        "5: key 'users.ana.attributes.region': must be one value or {secret: value}, not a list"
            + " (its contents are not shown: they may be secret)",
        "6: key 'users.ana.attributes.tenant': empty; give a value (write '' for empty text),"
            + " or {secret: value} for one that is never shown",
        "7: key 'users.ana.attributes.team': must be one value or {secret: value}, not a"
            + " mapping with other keys (its contents are not shown: they may be secret)",
        "8: key 'users.ana.attributes.key.secret': must be one non-empty value, not a list"
            + " (value not shown: it is a secret)",
        "9: key 'users.ana.attributes.other.secret': must be one non-empty value, not an empty"
            + " value (value not shown: it is a secret)");
  }

  @Test void allowIsReadOrNone() {
    assertProblems("""
        rules:
          - {allow: reed}
          - {allow: yes}
          - {allow: [read]}
          - {allow: }
        """,
        "2: key 'rules[0].allow': 'reed' is not allowed; allowed: read, none"
            + " (did you mean 'read'?)",
        "3: key 'rules[1].allow': 'yes' is not allowed; allowed: read, none",
        "4: key 'rules[2].allow': a list is not allowed; allowed: read, none",
        "5: key 'rules[3].allow': an empty value is not allowed; allowed: read, none");
  }

  @Test void patternsMustCompileAndMayNotBeEmpty() {
    assertProblems("""
        rules:
          - allow: read
            table: "(orders"
            schema: "*"
            source: [a, b]
          - allow: read
            user: []
            group: ["ok", "[x", ""]
            table: ""
            schema:
        """,
        "3: key 'rules[0].table': '(orders' is not a valid regular expression: Unclosed group"
            + " at index 7",
        "4: key 'rules[0].schema': '*' is not a valid regular expression: Dangling meta"
            + " character '*' at index 0",
        "5: key 'rules[0].source': must be one regular expression, not a list; use | for"
            + " alternatives, as in 'customers|products'",
        "7: key 'rules[1].user': an empty list; give at least one regular expression; omit the"
            + " key to match any user",
        "8: key 'rules[1].group[1]': '[x' is not a valid regular expression: Unclosed"
            + " character class at index 1",
        "8: key 'rules[1].group[2]': empty; give a regular expression; omit the key to match"
            + " any group",
        "9: key 'rules[1].table': empty; give a regular expression; omit the key to match any"
            + " table",
        "10: key 'rules[1].schema': empty; give a regular expression; omit the key to match any"
            + " schema");
  }

  @Test void filtersAndMasksMustParse() {
    assertProblems("""
        rules:
          - allow: read
            filter: "region = 'EU"
          - allow: read
            filter: "id IN (SELECT id FROM t)"
            columns:
              a: {mask: "o.a"}
              b: {mask: "ATTRIBUTE(region)"}
              c: {mask: ""}
              d: {mask: [x]}
        """,
        "3: key 'rules[0].filter': not a valid SQL expression at column 8: Encountered"
            + " \"= \\'\" at line 1, column 8.",
        "5: key 'rules[1].filter': subqueries are not allowed; a filter or mask is an"
            + " expression over the table's own columns",
        "7: key 'rules[1].columns.a.mask': qualified name 'o.a' is not allowed; write the"
            + " table's column names alone",
        "8: key 'rules[1].columns.b.mask': ATTRIBUTE takes one string literal, as in"
            + " ATTRIBUTE('region')",
        "9: key 'rules[1].columns.c.mask': empty; give the mask as a SQL expression",
        "10: key 'rules[1].columns.d.mask': must be a SQL expression (the mask), not a list");
  }

  @Test void aDeeplyNestedExpressionIsAProblem() {
    String deep = "(".repeat(8_000) + "1" + ")".repeat(8_000);
    assertProblems("rules:\n  - allow: read\n    filter: \"" + deep + " = 1\"\n",
        "3: key 'rules[0].filter': not a valid SQL expression: it is too long or nests too"
            + " deeply");
  }

  @Test void patternsAndExpressionsHaveALengthLimit() {
    String table = "t".repeat(PolicyLoader.MAX_PATTERN_LENGTH + 1);
    String mask = "'" + "x".repeat(PolicyLoader.MAX_EXPRESSION_LENGTH) + "'";
    assertProblems("rules:\n  - allow: read\n    table: " + table + "\n"
        + "    columns: {a: {mask: \"" + mask + "\"}}\n",
        "3: key 'rules[0].table': '" + "t".repeat(40) + "...' is too long: 4097 characters;"
            + " at most 4096 are allowed",
        "4: key 'rules[0].columns.a.mask': the mask is too long: 16386 characters; at most"
            + " 16384 are allowed");
    String longest = "t".repeat(PolicyLoader.MAX_PATTERN_LENGTH);
    assertEquals(longest, PolicyLoader.parse("rules: [{allow: read, table: " + longest + "}]",
        null).rules().get(0).table().pattern());
  }

  @Test void aDenyingRuleHasNoFilterOrColumns() {
    assertProblems("""
        rules:
          - allow: none
            filter: "a = 1"
            columns: {a: {allow: false}}
        """,
        "3: key 'rules[0].filter': not allowed with allow: none; a denying rule shows nothing,"
            + " so a row filter on it means nothing",
        "4: key 'rules[0].columns': not allowed with allow: none; a denying rule shows nothing,"
            + " so hiding or masking a column on it means nothing");
  }

  @Test void columnRules() {
    assertProblems("""
        rules:
          - allow: read
            columns:
              ssn: false
              email: {}
              phone:
              name: {allow: maybe}
              SSN: {allow: false}
              Name: {allow: false}
          - allow: read
            columns: [ssn]
        """,
        "4: key 'rules[0].columns.ssn': must be {allow: false} to hide the column or"
            + " {mask: expression} to mask it, not 'false'",
        "5: key 'rules[0].columns.email': empty; give {allow: false} to hide the column or"
            + " {mask: expression} to mask it",
        "6: key 'rules[0].columns.phone': empty; give {allow: false} to hide the column or"
            + " {mask: expression} to mask it",
        "7: key 'rules[0].columns.name.allow': 'maybe' is not allowed; allowed: true, false",
        "8: key 'rules[0].columns.SSN': the same column as 'ssn'; column names match ignoring"
            + " case, so give each column once",
        "9: key 'rules[0].columns.Name': the same column as 'name'; column names match"
            + " ignoring case, so give each column once",
        "11: key 'rules[1].columns': must be a mapping of column names to {allow: false} or"
            + " {mask: expression}, not a list");
  }

  @Test void aYamlSyntaxErrorIsOneProblem() {
    assertProblems("users:\n  ana: {groups: [a}\n",
        "2: invalid YAML at line 2, column 19: expected ',' or ']', but got }"
            + " (while parsing a flow sequence at line 2, column 17)");
    assertProblems("rules:\n  - {allow: read}\n  - {allow: read, allow: none}\n",
        "3: invalid YAML at line 3, column 19: found duplicate key allow (while constructing a"
            + " mapping at line 3, column 5)");
    assertProblems("users: {ana: {attributes: {region: \"\\u",
        "0: invalid YAML: the text cannot be read (NumberFormatException)");
  }

  @Test void everyProblemIsReportedAtOnceWithItsLine() {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.parse("""
            users:
              ana: {groups: [a], atributes: {}}
            rules:
              - {group: a, allow: read, table: "("}
              - {group: a, allow: all}
            """, Path.of("p.yaml")));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    assertEquals(List.of(2, 4, 5), e.problems().stream().map(ConfigProblem::line).toList());
    assertTrue(e.getMessage().startsWith("Invalid policy p.yaml: 3 problems\n  - key "),
        e.getMessage());
    assertTrue(e.locatedMessage().contains("\n  - line 5: key 'rules[1].allow': 'all' is"
        + " not allowed; allowed: read, none"), e.locatedMessage());
    assertEquals("p.yaml:2: key 'users.ana.atributes': unknown key; allowed: groups,"
        + " attributes (did you mean 'attributes'?)", e.problems().get(0).located());
  }

  // ---- secrets -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {
      "{secret: " + SECRET + ", note: x}",
      "{secret: [" + SECRET + "]}",
      "{secrte: " + SECRET + "}",
      "{secret " + SECRET + "}",
      "[{secret: " + SECRET + "}]",
      "{secret: {value: " + SECRET + "}}",
      "{secret: !!int " + SECRET + "}",
      "{secret: " + SECRET + ", secret: " + SECRET + "}",
  })
  void aSecretIsNeverShown(String value) {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.parse("users:\n  bob:\n    attributes:\n      api_key: " + value
            + "\n", null));
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertFalse(e.locatedMessage().contains(SECRET), e.locatedMessage());
    assertEquals(4, e.problems().get(0).line(), e.getMessage());
  }

  @Test void aSecretQuotedElsewhereIsMasked() {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.parse("users:\n  bob: {attributes: {key: {secret: " + SECRET + "}}}\n"
            + "rules:\n  - {allow: read, table: \"" + SECRET + "(\"}\n", null));
    assertEquals("key 'rules[0].table': '****(' is not a valid regular expression:"
        + " Unclosed group at index " + (SECRET.length() + 1), e.problems().get(0).message());
  }

  // ---- files -------------------------------------------------------------------------

  @Test void loadsAFile() throws IOException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, EXAMPLE, StandardCharsets.UTF_8);
    Policy policy = PolicyLoader.load(file);
    assertEquals(file, policy.file());
    assertEquals(3, policy.rules().size());
  }

  @Test void anUnreadableFileIsOneProblem() throws IOException {
    assertFileProblem(dir.resolve("absent.yaml"), "the file does not exist");
    assertFileProblem(dir, "the path is a directory, not a policy file");
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "users: {j\u00f6rg: {}}\n".getBytes(StandardCharsets.ISO_8859_1));
    assertFileProblem(latin1, "the file is not valid UTF-8");
  }

  @Test void problemsNameTheFile() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "rules:\n  - {allow: maybe}\n", StandardCharsets.UTF_8);
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.load(file));
    assertEquals(file + ":2: key 'rules[0].allow': 'maybe' is not allowed; allowed: read,"
        + " none", e.problems().get(0).located());
  }

  private static void assertFileProblem(Path file, String message) {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.load(file));
    assertEquals(List.of(new ConfigProblem(file.toString(), 0, message)), e.problems());
    assertEquals("Invalid policy " + file + ": 1 problem\n  - " + message, e.getMessage());
  }

  /** Asserts the problems, each written {@code line: message}, in the order found. */
  private static void assertProblems(String yaml, String... expected) {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.parse(yaml, null));
    List<String> actual = e.problems().stream().map(p -> p.line() + ": " + p.message())
        .toList();
    assertEquals(List.of(expected), actual);
  }

  private static List<String> patterns(List<Pattern> patterns) {
    return patterns.stream().map(Pattern::pattern).toList();
  }
}
