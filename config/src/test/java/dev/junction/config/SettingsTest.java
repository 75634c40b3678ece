package dev.junction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The typed reader the server settings and the policy file are written against. */
class SettingsTest {
  private static final String SECRET = "S3cr3t-Hunter2!";

  @TempDir Path dir;

  /** A setting of enum type for the tests. */
  enum Mode { STRICT, LENIENT }

  private Problems problems;
  private Settings.Context ctx;

  private Settings read(String yaml, Map<String, String> env) {
    problems = new Problems("s.yaml");
    YamlDocument doc = YamlDocument.parse(yaml, problems);
    ctx = new Settings.Context(doc, problems, dir, env::get);
    return Settings.root(ctx, "(top level)");
  }

  private List<String> messages() {
    return problems.list().stream().map(ConfigProblem::located).toList();
  }

  @Test void readsEveryType() throws Exception {
    Files.writeString(dir.resolve("key.pem"), "k", StandardCharsets.UTF_8);
    Settings s = read("""
        name: 0123
        port: "8080"
        on: TRUE
        ttl: 90s
        quota: 64KB
        mode: lenient
        users: [ana, 7]
        key: key.pem
        password: "${env:PW}"
        sub: {n: 3}
        """, Map.of("PW", SECRET));
    assertEquals("0123", s.string("name", true), "no YAML 1.1 octal");
    assertEquals(8080, s.integer("port", 0, 65535));
    assertTrue(s.bool("on", false));
    assertEquals(Duration.ofSeconds(90), s.duration("ttl", null));
    assertEquals(64 * 1024L, s.size("quota", 0));
    assertEquals(Mode.LENIENT, s.enumValue("mode", Mode.class, Mode.STRICT));
    assertEquals(List.of("ana", "7"), s.strings("users", List.of()));
    assertEquals(dir.resolve("key.pem"), s.file("key"));
    assertEquals(SECRET, s.secret("password"));
    assertEquals(3, s.section("sub").integer("n", 0, 9));
    assertNull(s.string("absent", false));
    assertEquals(Duration.ofMinutes(1), s.duration("absent", Duration.ofMinutes(1)));
    assertTrue(problems.isEmpty(), messages().toString());
  }

  @Test void reportsEveryProblemAtOnceWithLinesAndDidYouMean() {
    Settings s = read("""
        port: 99999
        on: yes
        ttl: soon
        quota: 5 MB
        mode: stirct
        listn: {}
        sub:
          n: x
        """, Map.of());
    s.known("port", "on", "ttl", "quota", "mode", "listen", "sub");
    s.integer("port", 0, 65535);
    s.bool("on", false);
    s.duration("ttl", Duration.ZERO);
    s.size("quota", 0);
    s.enumValue("mode", Mode.class, Mode.STRICT);
    s.section("sub").integer("n", 0, 9);
    assertEquals(List.of(
        "s.yaml:6: key 'listn': unknown key; allowed: port, on, ttl, quota, mode, listen, sub"
            + " (did you mean 'listen'?)",
        "s.yaml:1: key 'port': '99999' is not allowed; allowed: a whole number from 0 to 65535",
        "s.yaml:2: key 'on': 'yes' is not allowed; allowed: true, false",
        "s.yaml:3: key 'ttl': 'soon' is not a duration; allowed: " + Durations.ALLOWED,
        "s.yaml:4: key 'quota': '5 MB' is not a size; allowed: " + Sizes.ALLOWED,
        "s.yaml:5: key 'mode': 'stirct' is not allowed; allowed: strict, lenient"
            + " (did you mean 'strict'?)",
        "s.yaml:8: key 'sub.n': 'x' is not allowed; allowed: a whole number from 0 to 9"),
        messages());
    ConfigException e = new ConfigException("Invalid settings s.yaml", problems.list());
    assertTrue(e.getMessage().startsWith("Invalid settings s.yaml: 7 problems\n  - key"),
        e.getMessage());
    assertTrue(e.locatedMessage().contains("\n  - line 6: key 'listn'"), e.locatedMessage());
  }

  @Test void neverShowsASecretAndMasksItInOthersText() throws Exception {
    Files.writeString(dir.resolve("pw"), SECRET + "\n", StandardCharsets.UTF_8);
    Settings s = read("""
        a: "${file:pw}"
        b: [%1$s]
        c: "${env:MISSING}"
        d: "${vault:%1$s}"
        """.formatted(SECRET), Map.of());
    assertEquals(SECRET, s.secret("a"));
    assertNull(s.secret("b"));
    assertNull(s.secret("c"));
    assertNull(s.secret("d"));
    String all = String.join("\n", messages());
    assertFalse(all.contains(SECRET), all);
    assertTrue(all.contains("key 'b': must be a non-empty string (value not shown"), all);
    assertTrue(all.contains("key 'c': environment variable MISSING is not set"), all);
    assertEquals("refused: ****", ctx.masker().mask("refused: " + SECRET));
  }

  @Test void aTopLevelThatIsNotAMapIsOneProblem() {
    assertNull(read("- a\n", Map.of()));
    assertEquals(List.of("s.yaml:1: key '(top level)': must be a mapping (key: value), not a"
        + " list"), messages());
    assertTrue(read("", Map.of()).keys().isEmpty());
  }

  @Test void durationsAndSizes() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofHours(2), Durations.parse("2h"));
    assertEquals(Duration.ofSeconds(300), Durations.parse("300"));
    for (String bad : List.of("5 m", "-1", "1.5m", "5M", "PT5M", "99999999999999999999s")) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
    assertEquals(512L, Sizes.parse("512"));
    assertEquals(512L, Sizes.parse("512B"));
    assertEquals(10L << 20, Sizes.parse("10MB"));
    assertEquals(2L << 30, Sizes.parse("2GB"));
    for (String bad : List.of("10mb", "1.5GB", "-1", "10 MB", "9999999999TB", "")) {
      assertThrows(IllegalArgumentException.class, () -> Sizes.parse(bad), bad);
    }
  }

  @Test void didYouMeanIsCaseBlindAndBounded() {
    assertEquals(" (did you mean 'password'?)", Texts.didYouMean("passwd",
        List.of("user", "password")));
    assertEquals(" (did you mean 'duckdb'?)", Texts.didYouMean("DuckDB", List.of("duckdb")));
    assertEquals("", Texts.didYouMean("journal", List.of("path", "read-only")));
    assertEquals(3, Texts.distance("kitten", "sitting"));
  }

  @Test void quotesAreShortAndOneLine() {
    assertEquals("'a b'", Texts.quote("a\nb"));
    assertEquals("'" + "x".repeat(40) + "...'", Texts.quote("x".repeat(50)));
    assertEquals("a list", Texts.kind(List.of()));
  }
}
