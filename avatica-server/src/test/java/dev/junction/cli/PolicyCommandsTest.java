package dev.junction.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code junction check} with a policy, and {@code junction policy}, on a catalog of one
 * SQLite file the test writes; no server needed.
 */
class PolicyCommandsTest {
  /** The policy; the tests name its lines. */
  private static final String POLICY = String.join("\n",
      "users:",                                                                      // 1
      "  ana:  {groups: [analysts], attributes: {region: EU, tenant_id: 42}}",       // 2
      "rules:",                                                                      // 3
      "  - {group: admins, allow: read}",                                            // 4
      "  - group: analysts",                                                         // 5
      "    source: app",                                                             // 6
      "    schema: main",                                                            // 7
      "    table: orders",                                                           // 8
      "    allow: read",                                                             // 9
      "    filter: \"region = ATTRIBUTE('region') AND tenant_id = ATTRIBUTE('tenant_id')\"",
      "    columns:",                                                                // 11
      "      id: {allow: true}",                                                     // 12
      "      region: {allow: true}",                                                 // 13
      "      tenant_id: {allow: true}",                                              // 14
      "      card_number: {mask: \"'XXXX-XXXX-XXXX-' || SUBSTRING(card_number FROM 13"
          + " FOR 4)\"}",                                                            // 15
      "      ssn: {allow: false}",                                                   // 16
      "  - {group: analysts, source: app, table: customers, allow: read}",           // 17
      "");

  @TempDir
  Path dir;
  Path db;
  Path config;
  ByteArrayOutputStream out;
  ByteArrayOutputStream err;

  @BeforeEach
  void catalog() throws Exception {
    db = dir.resolve("app.db");
    config = dir.resolve("junction.yaml");
    Files.writeString(config, "sources:\n  app: {type: sqlite, path: \"" + db + "\"}\n"
        + "policy: policy.yaml\n");
    Files.writeString(dir.resolve("policy.yaml"), POLICY);
  }

  /** Runs statements against the SQLite file, creating it. */
  private void sqlite(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  /** The tables the policy was written for. */
  private void asWritten() throws SQLException {
    sqlite("CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT, tenant_id INTEGER,"
            + " card_number TEXT, ssn TEXT)",
        "INSERT INTO orders VALUES (1, 'EU', 42, '4111111111111111', '123-45-6789')",
        "INSERT INTO orders VALUES (2, 'US', 42, '4222222222222222', '987-65-4321')",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
  }

  private int run(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8).replace("\r", "");
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8).replace("\r", "");
  }

  private String policyFile() {
    return dir.resolve("policy.yaml").toAbsolutePath().toString();
  }

  @Test
  void checkPassesAPolicyThatMatchesTheSources() throws Exception {
    asWritten();
    assertEquals(0, run("check", "--config", config.toString()), out() + err());
    assertTrue(out().contains("ok   app (sqlite)"), out());
    assertTrue(out().endsWith("policy " + policyFile() + ": valid, 3 rule(s) checked against"
        + " the sources\n"), out());
  }

  @Test
  void checkReportsDriftWithThePolicyLines() throws Exception {
    // Since the policy was written: customers was dropped, orders lost region and gained
    // discount.
    sqlite("CREATE TABLE orders (id INTEGER PRIMARY KEY, tenant_id INTEGER,"
        + " card_number TEXT, ssn TEXT, discount INTEGER)");
    assertEquals(1, run("check", "--config", config.toString()), out() + err());
    assertTrue(out().contains("ok   app (sqlite)"), out());
    assertTrue(out().contains("policy " + policyFile() + ": 3 problems, 1 notice\n"
        + "  - line 5: row filter does not compile against app.main.orders (column 'region'"
        + " does not exist): the table cannot be read under this rule\n"
        + "  - line 13: column 'region' is in no table the rule at line 5 matches"
        + " (app.main.orders); a typo, or a renamed or dropped column\n"
        + "  - line 17: rule matches no table: table 'customers' matches no table of"
        + " app.main; a typo, or a dropped table\n"
        + "  - line 5: notice: column 'discount' of app.main.orders is not mentioned by the"
        + " rule at line 5: it is visible unmasked to that rule's callers; add `discount:"
        + " {allow: true}` to acknowledge it\n"), out());
  }

  @Test
  void anUnmentionedNewColumnIsANoticeThatDoesNotFailCheck() throws Exception {
    asWritten();
    sqlite("ALTER TABLE orders ADD COLUMN discount INTEGER");
    assertEquals(0, run("check", "--config", config.toString()), out() + err());
    assertTrue(out().contains("policy " + policyFile() + ": valid, 3 rule(s) checked against"
        + " the sources; 1 notice\n  - line 5: notice: column 'discount' of app.main.orders"
        + " is not mentioned by the rule at line 5"), out());
    assertEquals(0, run("policy", "check", "--config", config.toString()), out() + err());
    assertTrue(out().startsWith("policy " + policyFile() + ": valid"), out());
    assertFalse(out().contains("ok   app"), "policy check does not test the sources: " + out());
  }

  @Test
  void aSourceThatCannotBeReadIsReportedAndItsRulesAreNotJudged() throws Exception {
    asWritten();
    // Not a database: SQLite opens it and fails on the first statement, at once.
    Path broken = Files.write(dir.resolve("broken.db"), new byte[4096]);
    Files.writeString(config, "sources:\n  app: {type: sqlite, path: \"" + db + "\"}\n"
        + "  old: {type: sqlite, path: \"" + broken + "\"}\n"
        + "policy: policy.yaml\n");
    Files.writeString(dir.resolve("policy.yaml"), POLICY
        + "  - {group: analysts, source: old, table: accounts, allow: read}\n");
    assertEquals(1, run("check", "--config", config.toString()), out() + err());
    assertTrue(out().contains("FAIL old (sqlite)"), out());
    assertTrue(out().contains("policy " + policyFile() + ": valid, 4 rule(s) checked against"
        + " the sources; 1 notice\n  - notice: source 'old' is unreachable; the rules that"
        + " may cover it were not checked against it\n"), out());
    // policy check does not test the sources first: listing fails, and is one problem.
    assertEquals(1, run("policy", "check", "--config", config.toString()), out() + err());
    assertTrue(out().contains(": 1 problem\n  - schema old.main could not be listed ("),
        out());
    assertTrue(out().contains("); the rules that may cover it were not checked against it"),
        out());
  }

  @Test
  void anInvalidPolicyIsReportedWithItsLines() throws Exception {
    asWritten();
    Files.writeString(dir.resolve("policy.yaml"), "rules:\n  - {group: analysts, allow: rd}\n");
    assertEquals(1, run("check", "--config", config.toString()), out() + err());
    assertTrue(err().contains("  - line 2: "), err());
    assertTrue(err().contains("'rd' is not allowed"), err());
  }

  @Test
  void policyExplainShowsTheFilterTheSourceReceivesWhereExplainShowsAPlaceholder()
      throws Exception {
    asWritten();
    String query = "SELECT id, card_number FROM app.main.orders";
    assertEquals(0, run("policy", "explain", "--user", "ana", "--config", config.toString(),
        query), out() + err());
    assertTrue(out().contains("'EU'"), out());
    assertTrue(out().contains("SUBSTRING"), out());
    assertFalse(out().contains("<row filter>"), out());

    assertEquals(0, run("explain", "--user", "ana", "--config", config.toString(), query),
        out() + err());
    assertTrue(out().contains("<row filter>"), out());
    assertFalse(out().contains("'EU'"), out());
  }

  @Test
  void policyExplainTakesGroupsAndAttributesAsATokenWouldGiveThem() throws Exception {
    asWritten();
    assertEquals(0, run("policy", "explain", "--user", "bob", "--groups", "analysts",
        "--attributes", "{\"region\": \"US\", \"tenant_id\": 7}", "--config",
        config.toString(), "SELECT id FROM app.main.orders"), out() + err());
    assertTrue(out().contains("'US'"), out());
    assertEquals(1, run("policy", "explain", "--user", "bob", "--attributes", "[1]",
        "--config", config.toString(), "SELECT 1"), out() + err());
    assertTrue(err().contains("property 'attributes' must be a JSON object"), err());
  }

  @Test
  void policyCommandsExplainTheirUsage() throws Exception {
    asWritten();
    assertEquals(0, run("policy", "--help"));
    assertTrue(out().contains("explain") && out().contains("check"), out());
    assertEquals(0, run("policy", "explain", "--help"));
    assertTrue(out().contains("--user=U") && out().contains("--attributes=JSON")
        && out().contains("--groups="), out());
    assertEquals(2, run("policy"));
    assertTrue(err().contains("policy needs a command: explain or check"), err());
    assertEquals(2, run("policy", "explain", "SELECT 1"));
    assertTrue(err().contains("Missing required option: '--user=U'"), err());
    assertEquals(2, run("policy", "explain", "--user", "ana"));
    assertTrue(err().contains("policy explain needs a query"), err());
    Path open = dir.resolve("open.yaml");
    Files.writeString(open, "sources:\n  app: {type: sqlite, path: \"" + db + "\"}\n");
    assertEquals(1, run("policy", "explain", "--user", "ana", "--config", open.toString(),
        "SELECT 1"));
    assertTrue(err().contains("has no policy"), err());
  }
}
