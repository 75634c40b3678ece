package dev.junction.planner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.junction.planner.config.FakeAdapters.FakeBadDefaultAdapter;
import dev.junction.planner.config.FakeAdapters.FakeEveryTypeAdapter;
import dev.junction.planner.config.FakeAdapters.FakeLeakyAdapter;
import dev.junction.planner.config.FakeAdapters.FakeThrowingAdapter;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Secret;
import dev.junction.spi.SourceAdapter;
import dev.junction.spi.SourceSpec;

import dev.junction.config.Sizes;
import dev.junction.planner.limits.Limits;
import dev.junction.planner.security.Principal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Loading and validating catalog files, against fake adapters (no database is needed). */
class CatalogConfigLoaderTest {
  private static final String PASSWORD = "S3cr3t-Hunter2!";

  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();
  private List<SourceAdapter> adapters = FakeAdapters.standard();

  @BeforeEach void files() throws IOException {
    Files.createFile(dir.resolve("lake.duckdb"));
    Files.createFile(dir.resolve("app.db"));
    Files.createDirectory(dir.resolve("exports"));
  }

  // ---- valid files -------------------------------------------------------------------

  @Test void readsAllFiveShapesInFileOrder() throws IOException {
    env.put("SALES_PG_PASSWORD", PASSWORD);
    Path file = write("""
        sources:
          sales: {type: postgresql, url: "jdbc:postgresql://127.0.0.1:5432/test", user: postgres,
            password: "${env:SALES_PG_PASSWORD}"}
          crm:   {type: mysql, url: "jdbc:mariadb://127.0.0.1:3306/test", user: root}
          lake:  {type: duckdb, path: lake.duckdb}
          files: {type: duckdb, path: ":memory:", files: exports}
          app:   {type: sqlite, path: %s, include: [main], exclude: ["main.tmp_*"],
            properties: {foo: bar}, metadata-ttl: 5m}
        """.formatted(dir.resolve("app.db")));

    CatalogConfig config = CatalogConfigLoader.load(file, adapters, env::get);

    assertEquals(file, config.file());
    assertEquals(List.of("sales", "crm", "lake", "files", "app"),
        config.sources().stream().map(SourceSpec::name).toList());

    SourceSpec sales = config.source("sales").orElseThrow();
    assertEquals("postgresql", sales.type());
    assertEquals("jdbc:postgresql://127.0.0.1:5432/test", sales.requiredString("url"));
    assertEquals("postgres", sales.requiredString("user"));
    assertEquals(Secret.of(PASSWORD), sales.values().get("password"));
    assertEquals(8L, sales.values().get("pool-size"));
    assertEquals(Duration.ofMinutes(10), sales.metadataTtl());
    assertEquals(List.of(), sales.include());
    assertEquals(Map.of(), sales.connectionProperties());

    SourceSpec crm = config.source("crm").orElseThrow();
    assertEquals("mysql", crm.type());
    assertFalse(crm.values().containsKey("password"));

    SourceSpec lake = config.source("lake").orElseThrow();
    assertEquals(dir.resolve("lake.duckdb").toAbsolutePath().toString(),
        lake.requiredString("path"));
    assertEquals(true, lake.values().get("read-only"));

    SourceSpec files = config.source("files").orElseThrow();
    assertEquals(":memory:", files.requiredString("path"));
    assertEquals(dir.resolve("exports").toAbsolutePath().toString(),
        files.requiredString("files"));

    SourceSpec app = config.source("app").orElseThrow();
    assertEquals(List.of("main"), app.include());
    assertEquals(List.of("main.tmp_*"), app.exclude());
    assertEquals(Map.of("foo", "bar"), app.connectionProperties());
    assertEquals(Duration.ofMinutes(5), app.metadataTtl());
  }

  @Test void loadWithoutEnvironmentFunctionUsesTheProcessEnvironment() throws IOException {
    Path file = write("sources:\n  lake: {type: duckdb, path: lake.duckdb}\n");
    assertEquals("lake", CatalogConfigLoader.load(file, adapters).sources().get(0).name());
  }

  @Test void parseResolvesRelativePathsAgainstTheBaseDirectoryAndHasNoFile() {
    CatalogConfig config = CatalogConfigLoader.parse(
        "sources:\n  lake: {type: duckdb, path: lake.duckdb}\n", dir, adapters, env::get);
    assertNull(config.file());
    assertEquals(dir.resolve("lake.duckdb").toAbsolutePath().toString(),
        config.sources().get(0).requiredString("path"));
  }

  @Test void appliesDefaultsConvertedToTheirDeclaredTypes() {
    FakeEveryTypeAdapter every = new FakeEveryTypeAdapter();
    adapters = List.of(every);
    SourceSpec spec = parse("sources:\n  s: {type: every}\n").sources().get(0);
    assertEquals(Map.of("count", 3L, "flag", false, "tags", List.of("alpha"), "label", "none",
        "wait", Duration.ofSeconds(5)), spec.values());
    assertEquals(Duration.ofMinutes(10), spec.metadataTtl());
    assertEquals(1, every.validations.get());
  }

  @Test void convertsEveryDeclaredType() throws IOException {
    adapters = List.of(new FakeEveryTypeAdapter());
    SourceSpec spec = parse("""
        sources:
          s:
            type: every
            text: 0123
            token: yes
            dir: exports/
            count: -42
            flag: FALSE
            tags: [a, 2, true]
            options: {ssl: true, port: 5432, mode: x}
        """).sources().get(0);
    assertEquals("0123", spec.values().get("text"), "plain scalars stay as written");
    assertEquals(Secret.of("yes"), spec.values().get("token"));
    assertEquals(dir.resolve("exports").toAbsolutePath().toString(), spec.values().get("dir"));
    assertEquals(-42L, spec.values().get("count"));
    assertEquals(false, spec.values().get("flag"));
    assertEquals(List.of("a", "2", "true"), spec.values().get("tags"));
    assertEquals(Map.of("ssl", "true", "port", "5432", "mode", "x"), spec.values().get("options"));
  }

  @Test void acceptsExplicitYamlTagsAnchorsAndMergeKeys() {
    CatalogConfig config = parse("""
        sources:
          a: &base {type: postgresql, url: "jdbc:postgresql://h/db", user: u, pool-size: !!int 5}
          b: {<<: *base, user: v}
        """);
    SourceSpec b = config.source("b").orElseThrow();
    assertEquals("jdbc:postgresql://h/db", b.requiredString("url"));
    assertEquals("v", b.requiredString("user"));
    assertEquals(5L, b.values().get("pool-size"));
  }

  @Test void singleStringIncludeIsAOneElementList() {
    SourceSpec spec = parse("""
        sources:
          s: {type: sqlite, path: app.db, include: main, exclude: "main.t?mp_*"}
        """).sources().get(0);
    assertEquals(List.of("main"), spec.include());
    assertEquals(List.of("main.t?mp_*"), spec.exclude());
  }

  @Test void connectionPropertiesBecomeStrings() {
    SourceSpec spec = parse("""
        sources:
          s: {type: sqlite, path: app.db,
            properties: {ssl: true, timeout: 30, ratio: 0.5, mode: ro}}
        """).sources().get(0);
    assertEquals(Map.of("ssl", "true", "timeout", "30", "ratio", "0.5", "mode", "ro"),
        spec.connectionProperties());
  }

  // ---- durations ---------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"30s, PT30S", "5m, PT5M", "1h, PT1H", "500ms, PT0.5S", "300, PT5M", "0, PT0S",
      "0s, PT0S"})
  void parsesDurations(String written, String expected) {
    assertEquals(Duration.parse(expected), CatalogConfigLoader.parseDuration(written));
    SourceSpec spec = parse("sources:\n  s: {type: sqlite, path: app.db, metadata-ttl: "
        + written + "}\n").sources().get(0);
    assertEquals(Duration.parse(expected), spec.metadataTtl());
  }

  @Test void integerTaggedDurationIsSeconds() {
    SourceSpec spec = parse("sources:\n  s: {type: sqlite, path: app.db, metadata-ttl: !!int 90}\n")
        .sources().get(0);
    assertEquals(Duration.ofSeconds(90), spec.metadataTtl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"5x", "-1", "1.5m", "5 m", "m", "5M", "PT5M", "99999999999999999999s",
      "9999999999999999h"})
  void rejectsBadDurations(String written) {
    assertThrows(IllegalArgumentException.class, () -> CatalogConfigLoader.parseDuration(written));
    assertProblems("sources:\n  s: {type: sqlite, path: app.db, metadata-ttl: \"" + written
        + "\"}\n", "source 's', key 'metadata-ttl': expected a duration such as 30s, 5m, 1h,"
        + " 500ms or a whole number of seconds, found '" + written + "'");
  }

  @Test void readsADurationSetting() {
    adapters = List.of(new FakeEveryTypeAdapter());
    assertEquals(Duration.ofMillis(500), parse("sources:\n  s: {type: every, wait: 500ms}\n")
        .sources().get(0).duration("wait", Duration.ZERO));
    assertEquals(Duration.ofSeconds(3), parse("sources:\n  s: {type: every, wait: 3}\n")
        .sources().get(0).duration("wait", Duration.ZERO));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0s", "soon", "-1", "5 s"})
  void rejectsADurationSettingThatIsNotAboveZero(String written) {
    adapters = List.of(new FakeEveryTypeAdapter());
    assertProblems("sources:\n  s: {type: every, wait: \"" + written + "\"}\n",
        "source 's', key 'wait': expected a duration above zero: a whole number with unit ms,"
            + " s, m or h (500ms, 5s), found '" + written + "'");
  }

  @Test void rejectsANonScalarDuration() {
    assertProblems("sources:\n  s: {type: sqlite, path: app.db, metadata-ttl: [5m]}\n",
        "source 's', key 'metadata-ttl': expected a duration such as 30s, 5m, 1h, 500ms or a"
            + " whole number of seconds, found a list");
  }

  // ---- result cache ------------------------------------------------------------------

  @Test void junctionIsReservedForTheSystemSchema() {
    assertProblems("sources:\n  Junction: {type: sqlite, path: app.db}\n",
        "source 'Junction': the name 'junction' is reserved for Junction's system schema;"
            + " choose another name");
  }

  @Test void theResultCacheIsOffWithoutACacheSection() {
    CatalogConfig c = parse("sources:\n  s: {type: sqlite, path: app.db, cache-ttl: 5m}\n");
    assertFalse(c.cache().enabled());
  }

  @Test void readsTheCacheSectionAndEachSourcesCacheTtl() {
    CatalogConfig c = parse("""
        sources:
          s: {type: sqlite, path: app.db, cache-ttl: 5m}
          live: {type: sqlite, path: app.db, cache-ttl: 0}
          other: {type: sqlite, path: app.db}
        cache: {max-bytes: 256MB, max-entry-bytes: 8MB, ttl: 30s}
        """);
    CacheSettings cache = c.cache();
    assertTrue(cache.enabled());
    assertEquals(256L << 20, cache.maxBytes());
    assertEquals(8L << 20, cache.maxEntryBytes());
    assertEquals(Duration.ofMinutes(5), cache.ttl("s"));
    assertEquals(Duration.ZERO, cache.ttl("live"));
    assertEquals(Duration.ofSeconds(30), cache.ttl("other"));
  }

  @Test void theCacheSectionsDefaults() {
    CacheSettings cache = parse("sources:\n  s: {type: sqlite, path: app.db}\ncache: {}\n")
        .cache();
    assertTrue(cache.enabled());
    assertEquals(CacheSettings.DEFAULT_MAX_BYTES, cache.maxBytes());
    assertEquals(CacheSettings.DEFAULT_MAX_ENTRY_BYTES, cache.maxEntryBytes());
    assertEquals(Duration.ZERO, cache.ttl("s"), "ttl 0: only sources with a cache-ttl");
  }

  @Test void rejectsBadCacheSettingsNamingKeyValueAndWhatIsAllowed() {
    assertProblems("""
        sources:
          s: {type: sqlite, path: app.db, cache-ttl: soon}
        cache: {max-bytes: lots, ttl: "-1", max-entries: 5}
        """,
        "source 's', key 'cache-ttl': expected a duration such as 30s, 5m, 1h, 500ms or a"
            + " whole number of seconds (0: never cache results read from this source),"
            + " found 'soon'",
        "key 'cache.max-entries': unknown key; allowed: max-bytes, max-entry-bytes, ttl",
        "key 'cache.max-bytes': 'lots' is not a size; allowed: a size such as 512B, 64KB,"
            + " 10MB, 2GB (powers of 1024) or a whole number of bytes",
        "key 'cache.ttl': '-1' is not a duration; allowed: a duration such as 30s, 5m, 1h,"
            + " 500ms or a whole number of seconds");
    assertProblems("sources:\n  s: {type: sqlite, path: app.db}\n"
        + "cache: {max-bytes: 1MB, max-entry-bytes: 2MB}\n",
        "key 'cache.max-entry-bytes': 2097152 bytes is not allowed; allowed: a size above 0,"
            + " at most max-bytes (1048576 bytes) and under 2GB");
    assertProblems("sources:\n  s: {type: sqlite, path: app.db}\ncache: {max-bytes: 0}\n",
        "key 'cache.max-bytes': 0 is not allowed; allowed: a size above 0 (remove the 'cache'"
            + " section to turn the result cache off)");
  }

  // ---- top level ---------------------------------------------------------------------

  @Test void rejectsAnEmptyFile() {
    assertProblems("", "the catalog is empty; expected a top-level key 'sources'");
    assertProblems("# nothing\n", "the catalog is empty; expected a top-level key 'sources'");
  }

  @Test void rejectsATopLevelThatIsNotAMap() {
    assertProblems("- a\n- b\n", "expected a map with the top-level key 'sources', found a list");
  }

  @Test void rejectsUnknownTopLevelKeysAndAMissingSourcesKey() {
    assertProblems("source:\n  lake: {type: duckdb, path: lake.duckdb}\n",
        "key 'source': unknown top-level key; allowed: sources, policy, audit, limits, cache"
            + " (did you mean 'sources'?)",
        "key 'sources': missing; the catalog must define at least one source");
  }

  @Test void readsThePolicyFileAndAuditSettings() throws IOException {
    Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
    CatalogConfig c = CatalogConfigLoader.parse(
        "sources:\n  lake: {type: duckdb, path: lake.duckdb}\n"
        + "policy: policy.yaml\n"
        + "audit: {destination: file, file: audit.jsonl, max-file-size: 10MB, max-files: 3,"
        + " on-failure: continue}\n", dir, adapters, env::get);
    assertEquals(dir.resolve("policy.yaml"), c.policy());
    assertEquals(new AuditSettings(AuditSettings.Destination.FILE, dir.resolve("audit.jsonl"),
        10L * 1024 * 1024, 3, false), c.audit());
    CatalogConfig plain = CatalogConfigLoader.parse(
        "sources:\n  lake: {type: duckdb, path: lake.duckdb}\n", dir, adapters, env::get);
    assertNull(plain.policy());
    assertEquals(AuditSettings.DEFAULT, plain.audit());
  }

  @Test void readsLimitsSoACatalogWithoutAPolicyCanSetThem() {
    CatalogConfig c = CatalogConfigLoader.parse("sources:\n  lake: {type: duckdb, path:"
        + " lake.duckdb}\nlimits: {max-rows: 100, on-max-rows: truncate, process-memory: 1GB}\n",
        dir, adapters, env::get);
    Limits l = c.limits().forPrincipal(Principal.of("anyone"));
    assertEquals(100, l.maxRows());
    assertEquals(Limits.OnMaxRows.TRUNCATE, l.onMaxRows());
    assertEquals(1L << 30, l.processMemory());
    assertEquals("catalog (in memory), limits", l.where(Limits.MAX_ROWS));
    assertProblems("sources:\n  lake: {type: duckdb, path: lake.duckdb}\n"
        + "limits: {process-memory: x, max-rows: y, max-rowz: 1}\n",
        "key 'limits.max-rowz': unknown key; allowed: max-rows, on-max-rows, query-timeout,"
            + " max-concurrent-queries, on-limit, queue-timeout, max-rows-fetched,"
            + " max-query-memory, max-bytes-scanned, max-bytes-scanned-per-day, process-memory"
            + " (did you mean 'max-rows'?)",
        "key 'limits.max-rows': 'y' is not allowed; allowed: a whole number from 0 to"
            + " 2147483646",
        "key 'limits.process-memory': 'x' is not a size; allowed: " + Sizes.ALLOWED);
  }

  @Test void rejectsAMissingPolicyFileAndBadAuditSettings() {
    assertProblems("sources:\n  lake: {type: duckdb, path: lake.duckdb}\n"
        + "policy: nope.yaml\n"
        + "audit: {destination: disk, files: 3, on-failure: maybe}\n",
        "key 'policy': file " + dir.resolve("nope.yaml") + " does not exist or is not readable",
        "key 'audit.files': unknown key; allowed: destination, file, max-file-size,"
            + " max-files, on-failure (did you mean 'file'?)",
        "key 'audit.destination': 'disk' is not allowed; allowed: log, file, none",
        "key 'audit.on-failure': 'maybe' is not allowed; allowed: fail, continue");
  }

  @Test void rejectsSourcesThatAreNotAMapOrEmpty() {
    assertProblems("sources: [a, b]\n",
        "key 'sources': expected a map of source names to settings, found a list");
    assertProblems("sources: {}\n",
        "key 'sources': no sources; the catalog must define at least one");
    assertProblems("sources:\n",
        "key 'sources': expected a map of source names to settings, found an empty value");
  }

  @Test void rejectsASourceThatIsNotAMap() {
    assertProblems("sources:\n  sales: postgresql\n",
        "source 'sales': expected a map of settings, found a string");
  }

  // ---- names -------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"my-db", "1abc", "\"a b\"", "\"\"", "\"sales.x\"", "\"é\""})
  void rejectsNamesThatAreNotSqlIdentifiers(String name) {
    String shown = name.replace("\"", "");
    assertProblems("sources:\n  " + name + ": {type: sqlite, path: app.db}\n",
        "source '" + shown + "': invalid name; a source name must start with a letter or"
            + " underscore and contain only letters, digits and underscores, because it"
            + " becomes a SQL schema name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sales", "_x", "Sales_2024", "A"})
  void acceptsNamesThatAreSqlIdentifiers(String name) {
    assertEquals(name, parse("sources:\n  " + name + ": {type: sqlite, path: app.db}\n")
        .sources().get(0).name());
  }

  @Test void rejectsNamesThatDifferOnlyByCase() {
    assertProblems("""
        sources:
          sales: {type: sqlite, path: app.db}
          Sales: {type: sqlite, path: app.db}
        """, "source 'Sales': name conflicts with source 'sales'; names that differ only by"
        + " case would be the same SQL schema");
  }

  @Test void rejectsANullName() {
    assertProblems("sources:\n  ~: {type: sqlite, path: app.db}\n",
        "source '': invalid name; a source name must start with a letter or underscore and"
            + " contain only letters, digits and underscores, because it becomes a SQL"
            + " schema name");
  }

  // ---- type --------------------------------------------------------------------------

  @Test void rejectsAMissingType() {
    assertProblems("sources:\n  lake: {path: lake.duckdb}\n",
        "source 'lake', key 'type': missing; expected one of: duckdb, mysql, postgresql,"
            + " sqlite");
  }

  @Test void rejectsAnUnknownTypeWithASuggestion() {
    assertProblems("sources:\n  sales: {type: postgres, url: x}\n",
        "source 'sales', key 'type': unknown type 'postgres'; available: duckdb, mysql,"
            + " postgresql, sqlite (did you mean 'postgresql'?)");
    assertProblems("sources:\n  sales: {type: oracle, url: x}\n",
        "source 'sales', key 'type': unknown type 'oracle'; available: duckdb, mysql,"
            + " postgresql, sqlite");
  }

  @Test void typeIsCaseSensitiveButSuggested() {
    assertProblems("sources:\n  lake: {type: DuckDB, path: lake.duckdb}\n",
        "source 'lake', key 'type': unknown type 'DuckDB'; available: duckdb, mysql,"
            + " postgresql, sqlite (did you mean 'duckdb'?)");
  }

  @Test void rejectsATypeThatIsNotAString() {
    assertProblems("sources:\n  lake: {type: [duckdb], path: lake.duckdb}\n",
        "source 'lake', key 'type': expected one of: duckdb, mysql, postgresql, sqlite,"
            + " found a list");
  }

  @Test void saysWhenNoAdapterIsAvailable() {
    adapters = List.of();
    assertProblems("sources:\n  lake: {type: duckdb, path: lake.duckdb}\n",
        "source 'lake', key 'type': unknown type 'duckdb'; available: none (no source"
            + " adapters were found)");
  }

  @Test void stillChecksCommonKeysOfASourceWithAnUnknownType() {
    assertProblems("sources:\n  x: {type: oracle, metadata-ttl: soon, anything: 1}\n",
        "source 'x', key 'type': unknown type 'oracle'; available: duckdb, mysql, postgresql,"
            + " sqlite",
        "source 'x', key 'metadata-ttl': expected a duration such as 30s, 5m, 1h, 500ms or a"
            + " whole number of seconds, found 'soon'");
  }

  // ---- keys --------------------------------------------------------------------------

  @Test void rejectsAnUnknownKeyWithASuggestionAndWithoutEchoingItsValue() {
    String message = assertProblems("""
        sources:
          sales: {type: postgresql, url: "jdbc:postgresql://h/db", passwd: %s}
        """.formatted(PASSWORD),
        "source 'sales', key 'passwd': unknown key; allowed: type, include, exclude,"
            + " properties, metadata-ttl, cache-ttl, url, user, password, pool-size"
            + " (did you mean 'password'?)");
    assertFalse(message.contains(PASSWORD));
  }

  @Test void suggestsCommonKeysToo() {
    assertProblems("sources:\n  s: {type: sqlite, path: app.db, metadata_ttl: 5m}\n",
        "source 's', key 'metadata_ttl': unknown key; allowed: type, include, exclude,"
            + " properties, metadata-ttl, cache-ttl, path, read-only (did you mean"
            + " 'metadata-ttl'?)");
  }

  @Test void rejectsAnUnknownKeyWithoutASuggestionWhenNothingIsClose() {
    assertProblems("sources:\n  s: {type: sqlite, path: app.db, journal: wal}\n",
        "source 's', key 'journal': unknown key; allowed: type, include, exclude, properties,"
            + " metadata-ttl, cache-ttl, path, read-only");
  }

  @Test void rejectsAMissingRequiredKey() {
    assertProblems("sources:\n  sales: {type: postgresql, user: u}\n",
        "source 'sales', key 'url': missing; this required key sets the JDBC URL of the"
            + " database");
  }

  @Test void rejectsValuesOfTheWrongType() {
    adapters = List.of(new FakeEveryTypeAdapter());
    assertProblems("""
        sources:
          s:
            type: every
            text: [a]
            token: {a: b}
            dir: [exports]
            count: eight
            flag: yes
            tags: {a: b}
            options: [a]
            label:
        """,
        "source 's', key 'text': expected a string, found a list",
        "source 's', key 'token': expected a string, found a map",
        "source 's', key 'dir': expected a file path, found a list",
        "source 's', key 'count': expected an integer, found 'eight'",
        "source 's', key 'flag': expected true or false, found 'yes'",
        "source 's', key 'tags': expected a list of strings, found a map",
        "source 's', key 'options': expected a map of names to values, found a list",
        "source 's', key 'label': expected a string, found an empty value");
  }

  @Test void rejectsNestedValuesInListsAndMaps() {
    adapters = List.of(new FakeEveryTypeAdapter());
    assertProblems("""
        sources:
          s: {type: every, tags: [a, [b]], options: {a: [1], b: ~}, count: 99999999999999999999}
        """,
        "source 's', key 'tags': expected a list of strings, found a list containing a list",
        "source 's', key 'options': expected a map of names to values, found a list for 'a'",
        "source 's', key 'options': expected a map of names to values, found an empty value"
            + " for 'b'",
        "source 's', key 'count': expected an integer, found '99999999999999999999'");
  }

  @Test void rejectsBadIncludeExcludeAndProperties() {
    assertProblems("""
        sources:
          s: {type: sqlite, path: app.db, include: {main: x}, exclude: ["a.b.c", ""],
            properties: [a]}
        """,
        "source 's', key 'include': expected a list of strings, found a map",
        "source 's', key 'exclude': pattern 'a.b.c' is not a glob of the form 'schema' or"
            + " 'schema.table' (with * and ?)",
        "source 's', key 'properties': expected a map of names to values, found a list");
  }

  @Test void reportsAnInvalidAdapterDefault() {
    adapters = List.of(new FakeBadDefaultAdapter());
    assertProblems("sources:\n  s: {type: baddefault}\n",
        "source 's', key 'count': the adapter's default value is invalid: expected an"
            + " integer, found 'many'");
  }

  // ---- paths -------------------------------------------------------------------------

  @Test void rejectsAPathThatDoesNotExistNamingTheResolvedPath() {
    assertProblems("sources:\n  lake: {type: duckdb, path: missing.duckdb}\n",
        "source 'lake', key 'path': path '" + dir.resolve("missing.duckdb").toAbsolutePath()
            + "' does not exist");
  }

  @Test void rejectsAFileWhereADirectoryIsWritten() {
    assertProblems("sources:\n  f: {type: duckdb, path: \":memory:\", files: lake.duckdb/}\n",
        "source 'f', key 'files': path '" + dir.resolve("lake.duckdb").toAbsolutePath()
            + "' is not a directory");
  }

  @Test void rejectsAnUnreadablePath() throws IOException {
    Path locked = Files.createFile(dir.resolve("locked.db"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(locked), "running as a user who can read anything");
    assertProblems("sources:\n  s: {type: sqlite, path: locked.db}\n",
        "source 's', key 'path': path '" + locked.toAbsolutePath() + "' is not readable");
  }

  @Test void normalisesPathsAndKeepsAbsoluteOnes() {
    SourceSpec spec = parse("sources:\n  s: {type: sqlite, path: exports/../app.db}\n")
        .sources().get(0);
    assertEquals(dir.resolve("app.db").toAbsolutePath().toString(), spec.requiredString("path"));
  }

  @Test void aPathFromAReferenceIsShownAsWritten() {
    env.put("LAKE_DIR", dir.resolve("nowhere").toString());
    String message = assertProblems(
        "sources:\n  lake: {type: duckdb, path: \"${env:LAKE_DIR}/lake.duckdb\"}\n",
        "source 'lake', key 'path': path '${env:LAKE_DIR}/lake.duckdb' does not exist");
    assertFalse(message.contains("nowhere"));
  }

  // ---- references --------------------------------------------------------------------

  @Test void resolvesSecretsFromEnvironmentAndFiles() throws IOException {
    env.put("PG_PASSWORD", PASSWORD);
    env.put("PG_HOST", "db.internal");
    Files.writeString(dir.resolve("mysql.pw"), "from-a-file\n", StandardCharsets.UTF_8);
    Files.createDirectory(dir.resolve("secrets"));
    Path absolute = Files.writeString(dir.resolve("secrets/pg.user"), "svc\r\n",
        StandardCharsets.UTF_8);
    CatalogConfig config = parse("""
        sources:
          sales: {type: postgresql, url: "jdbc:postgresql://${env:PG_HOST}:5432/db",
            user: "${file:%s}", password: "${env:PG_PASSWORD}"}
          crm: {type: mysql, url: "jdbc:mariadb://h/db", password: "${file:mysql.pw}"}
          odd: {type: mysql, url: "jdbc:mariadb://h/db", password: "a$${env:X}b$c"}
        """.formatted(absolute));
    SourceSpec sales = config.source("sales").orElseThrow();
    assertEquals("jdbc:postgresql://db.internal:5432/db", sales.requiredString("url"));
    assertEquals("svc", sales.requiredString("user"));
    assertEquals(PASSWORD, sales.secret("password").orElseThrow().reveal());
    assertEquals("from-a-file", config.source("crm").orElseThrow().secret("password")
        .orElseThrow().reveal());
    assertEquals("a${env:X}b$c", config.source("odd").orElseThrow().secret("password")
        .orElseThrow().reveal());
  }

  @Test void reportsBadReferences() {
    String message = assertProblems("""
        sources:
          a: {type: postgresql, url: "${env:MISSING_URL}", password: "${env:MISSING_PW}"}
          b: {type: postgresql, url: "jdbc:postgresql://h/db", password: "${file:nope.pw}"}
          c: {type: postgresql, url: "${vault:db/url}", user: "${oops"}
          d: {type: postgresql, url: "${env:}"}
        """,
        "source 'a', key 'url': environment variable MISSING_URL is not set",
        "source 'a', key 'password': environment variable MISSING_PW is not set",
        "source 'b', key 'password': file '" + dir.resolve("nope.pw").toAbsolutePath()
            + "' of a ${file:} reference does not exist",
        "source 'c', key 'url': unknown reference kind 'vault'; allowed: ${env:NAME},"
            + " ${file:path} (write '$${' for a literal '${')",
        "source 'c', key 'user': '${' has no closing '}'; write '$${' for a literal '${'",
        "source 'd', key 'url': ${env:} names no environment variable; expected ${env:NAME}");
    assertTrue(message.startsWith("Invalid catalog " + dir.resolve("catalog.yaml")
        + ": 6 problems\n"));
  }

  @Test void referencesAreNotExpandedOutsideStringSettings() {
    env.put("X", "1");
    SourceSpec spec = parse("""
        sources:
          s: {type: sqlite, path: app.db, properties: {a: "${env:X}"}, include: ["${env:X}"]}
        """).sources().get(0);
    assertEquals(Map.of("a", "${env:X}"), spec.connectionProperties());
    assertEquals(List.of("${env:X}"), spec.include());
  }

  // ---- adapter checks ----------------------------------------------------------------

  @Test void includesTheAdaptersOwnProblems() {
    assertProblems("""
        sources:
          crm: {type: mysql, url: "jdbc:postgresql://h/db"}
          f: {type: duckdb, path: lake.duckdb, files: exports}
        """,
        "source 'crm', key 'url': expected a jdbc:mariadb: or jdbc:mysql: URL",
        "source 'f', key 'files': needs path ':memory:' or read-only: false");
  }

  @Test void doesNotAskTheAdapterAboutASourceThatAlreadyHasProblems() {
    FakeEveryTypeAdapter every = new FakeEveryTypeAdapter();
    adapters = List.of(every);
    assertProblems("sources:\n  s: {type: every, count: x}\n",
        "source 's', key 'count': expected an integer, found 'x'");
    assertEquals(0, every.validations.get());
  }

  @Test void masksSecretsInTheAdaptersMessagesAndHidesItsExceptions() throws IOException {
    Files.writeString(dir.resolve("pw.txt"), PASSWORD + "\n", StandardCharsets.UTF_8);
    env.put("HOST", "db.internal.example");
    adapters = FakeAdapters.standardAnd(new FakeLeakyAdapter(), new FakeThrowingAdapter());
    String message = assertProblems("""
        sources:
          l: {type: leaky, password: "${file:pw.txt}", host: "${env:HOST}"}
          t: {type: throwing, password: %s}
        """.formatted(PASSWORD),
        "source 'l': password '****' is refused by host ****",
        "source 't': the throwing adapter failed while checking the settings"
            + " (java.lang.IllegalStateException)");
    assertFalse(message.contains(PASSWORD));
  }

  // ---- all at once, and secrets ------------------------------------------------------

  @Test void reportsEveryProblemAtOnce() throws IOException {
    Path file = write("""
        sources:
          sales: {type: postgresql, url: "jdbc:postgresql://h/db", passwd: x, pool-size: big}
          crm: {type: mysql, url: "jdbc:postgresql://h/db"}
          lake: {type: duckdb}
          my-db: {type: sqlite, path: app.db, metadata-ttl: 5 minutes}
          ok: {type: sqlite, path: app.db}
        extra: 1
        """);
    JunctionException e = assertThrows(JunctionException.class,
        () -> CatalogConfigLoader.load(file, adapters, env::get));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    assertEquals("Invalid catalog " + file + ": 7 problems\n"
        + "  - key 'extra': unknown top-level key; allowed: sources, policy, audit, limits, cache\n"
        + "  - source 'sales', key 'passwd': unknown key; allowed: type, include, exclude,"
        + " properties, metadata-ttl, cache-ttl, url, user, password, pool-size (did you mean"
        + " 'password'?)\n"
        + "  - source 'sales', key 'pool-size': expected an integer, found 'big'\n"
        + "  - source 'crm', key 'url': expected a jdbc:mariadb: or jdbc:mysql: URL\n"
        + "  - source 'lake', key 'path': missing; this required key sets the database file,"
        + " or :memory:\n"
        + "  - source 'my-db': invalid name; a source name must start with a letter or"
        + " underscore and contain only letters, digits and underscores, because it becomes"
        + " a SQL schema name\n"
        + "  - source 'my-db', key 'metadata-ttl': expected a duration such as 30s, 5m, 1h,"
        + " 500ms or a whole number of seconds, found '5 minutes'", e.getMessage());
  }

  @Test void oneProblemIsSingular() {
    String message = assertProblems("sources:\n  s: {type: sqlite}\n",
        "source 's', key 'path': missing; this required key sets the database file");
    assertTrue(message.contains(": 1 problem\n"), message);
  }

  @Test void neverShowsASecretInProblems() throws IOException {
    env.put("LAKE_DIR", PASSWORD);
    env.put("PW", PASSWORD);
    Files.writeString(dir.resolve("pw.txt"), PASSWORD, StandardCharsets.UTF_8);
    adapters = FakeAdapters.standardAnd(new FakeEveryTypeAdapter());
    String message = assertProblems("""
        sources:
          a: {type: postgresql, url: "jdbc:postgresql://h/db", passwd: "%1$s"}
          b: {type: postgresql, url: "jdbc:postgresql://h/db", password: ["%1$s"]}
          c: {type: duckdb, path: "${env:LAKE_DIR}/x.duckdb"}
          d: {type: postgresql, url: "jdbc:postgresql://h/db", properties: {sslpassword: ["%1$s"]}}
          e: {type: postgresql, url: "jdbc:postgresql://h/db", password: "S3cr${et-Hunter2!}"}
          f: {type: every, token: "${file:pw.txt}", dir: "${env:PW}"}
          g: {type: postgresql, url: "jdbc:postgresql://h/db", password: {"%1$s": 1}}
        """.formatted(PASSWORD),
        "source 'a', key 'passwd': unknown key; allowed: type, include, exclude, properties,"
            + " metadata-ttl, cache-ttl, url, user, password, pool-size (did you mean 'password'?)",
        "source 'b', key 'password': expected a string, found a list",
        "source 'c', key 'path': path '${env:LAKE_DIR}/x.duckdb' does not exist",
        "source 'd', key 'properties': expected a map of names to values, found a list for"
            + " 'sslpassword'",
        "source 'e', key 'password': unknown reference kind; allowed: ${env:NAME},"
            + " ${file:path} (write '$${' for a literal '${')",
        "source 'f', key 'dir': path '${env:PW}' does not exist",
        "source 'g', key 'password': expected a string, found a map");
    assertFalse(message.contains(PASSWORD), message);
    assertFalse(message.contains("Hunter"), message);
  }

  @Test void neverShowsASecretInToString() throws IOException {
    env.put("PW", PASSWORD);
    Files.writeString(dir.resolve("pw.txt"), PASSWORD + "\n", StandardCharsets.UTF_8);
    CatalogConfig config = parse("""
        sources:
          a: {type: postgresql, url: "jdbc:postgresql://h/db", password: "${env:PW}"}
          b: {type: postgresql, url: "jdbc:postgresql://h/db", password: "${file:pw.txt}"}
          c: {type: postgresql, url: "jdbc:postgresql://h/db", password: "%s"}
          d: {type: postgresql, url: "jdbc:postgresql://h/db?password=${env:PW}"}
        """.formatted(PASSWORD));
    assertFalse(config.toString().contains(PASSWORD), config.toString());
    for (String name : List.of("a", "b", "c")) {
      SourceSpec spec = config.source(name).orElseThrow();
      assertEquals(PASSWORD, spec.secret("password").orElseThrow().reveal());
      assertFalse(spec.toString().contains(PASSWORD), spec.toString());
    }
  }

  // ---- YAML --------------------------------------------------------------------------

  @Test void reportsSyntaxErrorsByPositionWithoutEchoingTheLine() {
    JunctionException e = assertThrows(JunctionException.class, () -> parse("""
        sources:
          sales:
            type: postgresql
            password: %s: x
        """.formatted(PASSWORD)));
    assertEquals("Invalid catalog: 1 problem\n"
        + "  - invalid YAML at line 4, column 30: mapping values are not allowed here",
        e.getMessage());
    assertNull(e.getCause(), "SnakeYAML's exception quotes the line");
  }

  @Test void reportsAnUnterminatedQuoteWithoutEchoingIt() {
    JunctionException e = assertThrows(JunctionException.class, () -> parse("""
        sources:
          sales: {type: postgresql, password: "%s}
        """.formatted(PASSWORD)));
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    assertTrue(e.getMessage().matches("(?s)Invalid catalog: 1 problem\n  - invalid YAML at line"
        + " \\d+, column \\d+: .*while scanning a quoted scalar at line 2, column 39.*"),
        e.getMessage());
  }

  @Test void reportsTabsByPosition() {
    JunctionException e = assertThrows(JunctionException.class,
        () -> parse("sources:\n\tlake: {type: duckdb, path: lake.duckdb}\n"));
    assertTrue(e.getMessage().contains("invalid YAML at line 2, column 1:"), e.getMessage());
  }

  @Test void rejectsDuplicateKeys() {
    JunctionException e = assertThrows(JunctionException.class, () -> parse("""
        sources:
          lake: {type: duckdb, path: lake.duckdb}
          lake: {type: duckdb, path: ":memory:"}
        """));
    assertTrue(e.getMessage().startsWith("Invalid catalog: 1 problem\n  - invalid YAML at line"
        + " 3, column 3: found duplicate key lake"), e.getMessage());
  }

  @Test void rejectsDuplicateSettingKeys() {
    JunctionException e = assertThrows(JunctionException.class, () -> parse(
        "sources:\n  lake: {type: duckdb, path: lake.duckdb, path: other.duckdb}\n"));
    assertTrue(e.getMessage().contains("found duplicate key path"), e.getMessage());
  }

  @Test void rejectsJavaTypeTags() {
    JunctionException e = assertThrows(JunctionException.class, () -> parse(
        "sources: !!java.util.TreeMap {}\n"));
    assertTrue(e.getMessage().startsWith("Invalid catalog: 1 problem\n  - invalid YAML at line"
        + " 1"), e.getMessage());
  }

  // ---- reading the file --------------------------------------------------------------

  @Test void reportsAMissingCatalogFile() {
    Path file = dir.resolve("absent.yaml");
    JunctionException e = assertThrows(JunctionException.class,
        () -> CatalogConfigLoader.load(file, adapters, env::get));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    assertEquals("Invalid catalog " + file + ": 1 problem\n  - the file does not exist",
        e.getMessage());
  }

  @Test void reportsADirectoryGivenAsCatalogFile() {
    JunctionException e = assertThrows(JunctionException.class,
        () -> CatalogConfigLoader.load(dir, adapters, env::get));
    assertEquals("Invalid catalog " + dir + ": 1 problem\n  - the path is a directory, not a"
        + " catalog file", e.getMessage());
  }

  @Test void reportsACatalogThatIsNotUtf8() throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'s', ':', ' ', (byte) 0xE9});
    JunctionException e = assertThrows(JunctionException.class,
        () -> CatalogConfigLoader.load(file, adapters, env::get));
    assertEquals("Invalid catalog " + file + ": 1 problem\n  - the file is not valid UTF-8",
        e.getMessage());
  }

  @Test void editDistance() {
    assertEquals(0, CatalogConfigLoader.distance("url", "url"));
    assertEquals(2, CatalogConfigLoader.distance("passwd", "password"));
    assertEquals(3, CatalogConfigLoader.distance("kitten", "sitting"));
    assertEquals(4, CatalogConfigLoader.distance("", "type"));
  }

  // ---- helpers -----------------------------------------------------------------------

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("catalog.yaml"), yaml, StandardCharsets.UTF_8);
  }

  private CatalogConfig parse(String yaml) {
    return CatalogConfigLoader.parse(yaml, dir, adapters, env::get);
  }

  /** Loads {@code yaml} from a file, expects exactly these problems, returns the message. */
  private String assertProblems(String yaml, String... expected) {
    Path file;
    try {
      file = write(yaml);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Function<String, String> lookup = env::get;
    JunctionException e = assertThrows(JunctionException.class,
        () -> CatalogConfigLoader.load(file, adapters, lookup));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    String[] lines = e.getMessage().split("\n");
    assertEquals("Invalid catalog " + file + ": " + expected.length
        + (expected.length == 1 ? " problem" : " problems"), lines[0], e.getMessage());
    List<String> problems = Arrays.stream(lines).skip(1).map(l -> {
      assertTrue(l.startsWith("  - "), l);
      return l.substring(4);
    }).toList();
    assertEquals(List.of(expected), problems);
    return e.getMessage();
  }
}
