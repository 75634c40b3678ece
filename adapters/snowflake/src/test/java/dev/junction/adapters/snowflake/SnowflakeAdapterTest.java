package dev.junction.adapters.snowflake;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.DecimalTypeSystem;
import dev.junction.spi.Secret;
import dev.junction.spi.SourceAdapter;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataTypeFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Snowflake adapter's settings: what validation says about bad ones, and the URL,
 * driver properties and session settings good ones become. No Snowflake is needed (nor
 * reachable here); {@code SnowflakeLiveIT} in the driver logs in for real.
 */
class SnowflakeAdapterTest {
  private static final SnowflakeAdapter ADAPTER = new SnowflakeAdapter();
  private static final String PASSWORD = "pa55-w0rd-never-shown";
  private static final String PASSPHRASE = "passphrase-never-shown";

  private static SourceSpec spec(Map<String, Object> values) {
    return new SourceSpec("sf", "snowflake", values, List.of(), List.of(), Map.of(),
        Duration.ofMinutes(10));
  }

  private static Map<String, Object> base() {
    Map<String, Object> v = new HashMap<>();
    v.put("account", "myorg-myaccount");
    v.put("user", "junction");
    v.put("database", "ANALYTICS");
    v.put("password", Secret.of(PASSWORD));
    return v;
  }

  private static List<String> problems(Map<String, Object> values) {
    List<String> problems = ADAPTER.validate(spec(values));
    for (String p : problems) {
      assertFalse(p.contains(PASSWORD) || p.contains(PASSPHRASE), p);
    }
    return problems;
  }

  private static Path key(Path dir, String armour) throws Exception {
    Path file = dir.resolve("key-" + armour.hashCode() + ".p8");
    Files.writeString(file, "-----BEGIN " + armour + "-----\nMIIBVQIBADANBgkqhkiG\n-----END "
        + armour + "-----\n");
    return file;
  }

  @Test
  void foundByServiceLoaderAsTypeSnowflake() {
    assertTrue(ServiceLoader.load(SourceAdapter.class).stream()
        .anyMatch(p -> p.get().type().equals("snowflake")));
  }

  @Test
  void aCompleteSpecHasNoProblems() {
    assertEquals(List.of(), problems(base()));
  }

  @Test
  void theAccountIsRequiredOnceAndWellFormed() {
    Map<String, Object> v = base();
    v.remove("account");
    assertEquals(List.of("key 'account': missing; set account (e.g. myorg-myaccount) or url"
        + " (jdbc:snowflake://myorg-myaccount.snowflakecomputing.com/)"), problems(v));
    v.put("url", "jdbc:snowflake://x.snowflakecomputing.com/");
    assertEquals(List.of(), problems(v));
    v.put("account", "x");
    assertEquals(List.of("key 'account': set account or url, not both"), problems(v));
    v.remove("url");
    v.put("account", "evil.com/?x=");
    assertEquals(List.of("key 'account': expected an account identifier (letters, digits,"
        + " '.', '-', '_'), found 'evil.com/?x='"), problems(v));
    v.remove("account");
    v.put("url", "jdbc:postgresql://x/");
    assertEquals(List.of("key 'url': expected a jdbc:snowflake:// URL"), problems(v));
  }

  @Test
  void exactlyOneWayToLogIn(@TempDir Path dir) throws Exception {
    Map<String, Object> v = base();
    v.remove("password");
    assertEquals(List.of("key 'password': missing; set password (password authentication)"
        + " or private-key-file (key-pair authentication)"), problems(v));
    v.put("password", Secret.of(PASSWORD));
    v.put("private-key-file", key(dir, "PRIVATE KEY").toString());
    assertEquals(List.of("key 'password': set password or private-key-file, not both"),
        problems(v));
    v.remove("password");
    assertEquals(List.of(), problems(v));
    v.put("private-key-passphrase", Secret.of(PASSPHRASE));
    assertEquals(List.of("key 'private-key-passphrase': " + v.get("private-key-file")
        + " is not encrypted; remove the passphrase"), problems(v));
    v.remove("private-key-file");
    v.put("password", Secret.of(PASSWORD));
    assertEquals(List.of("key 'private-key-passphrase': only with private-key-file"),
        problems(v));
  }

  @Test
  void aBadKeyFileIsNamedWithoutItsContent(@TempDir Path dir) throws Exception {
    Map<String, Object> v = base();
    v.remove("password");
    Path missing = dir.resolve("absent.p8");
    v.put("private-key-file", missing.toString());
    assertEquals(List.of("key 'private-key-file': " + missing + " is not a readable file"),
        problems(v));
    Path pkcs1 = key(dir, "RSA PRIVATE KEY");
    v.put("private-key-file", pkcs1.toString());
    List<String> p = problems(v);
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("key 'private-key-file': " + pkcs1
        + " is not a PKCS#8 PEM private key"), p.get(0));
    assertFalse(p.get(0).contains("MIIB"), p.get(0));
    Path encrypted = key(dir, "ENCRYPTED PRIVATE KEY");
    v.put("private-key-file", encrypted.toString());
    assertEquals(List.of("key 'private-key-passphrase': missing; " + encrypted
        + " is encrypted"), problems(v));
    v.put("private-key-passphrase", Secret.of(PASSPHRASE));
    assertEquals(List.of(), problems(v));
  }

  @Test
  void urlAndLocationComeFromTheAccount() {
    assertEquals("jdbc:snowflake://myorg-myaccount.snowflakecomputing.com/",
        ADAPTER.jdbcUrl(spec(base())));
    Map<String, Object> v = base();
    v.remove("account");
    v.put("url", "jdbc:snowflake://acme.privatelink.snowflakecomputing.com/?tracing=OFF");
    assertEquals(v.get("url"), ADAPTER.jdbcUrl(spec(v)));
  }

  @Test
  void driverPropertiesNameTheClientBoundEveryWaitAndCarryTheKeyPair(@TempDir Path dir)
      throws Exception {
    assertEquals(Map.of("application", "Junction", "disablePlatformDetection", "true"),
        ADAPTER.defaultConnectionProperties());
    assertEquals(Map.of("loginTimeout", "5"),
        ADAPTER.connectTimeoutProperties(Duration.ofSeconds(5)));
    assertEquals(Map.of("loginTimeout", "1"),
        ADAPTER.connectTimeoutProperties(Duration.ofMillis(300)));
    Map<String, Object> v = base();
    v.put("warehouse", "WH_XS");
    v.put("role", "JUNCTION_READER");
    v.put("network-timeout", Duration.ofSeconds(90));
    assertEquals(Map.of("db", "ANALYTICS", "warehouse", "WH_XS", "role", "JUNCTION_READER",
        "networkTimeout", "90000", "CLIENT_METADATA_REQUEST_USE_CONNECTION_CTX", "true"),
        SnowflakeAdapter.connectionProperties(spec(v)));
    Map<String, Object> k = base();
    k.remove("password");
    Path key = key(dir, "ENCRYPTED PRIVATE KEY");
    k.put("private-key-file", key.toString());
    k.put("private-key-passphrase", Secret.of(PASSPHRASE));
    Map<String, String> p = SnowflakeAdapter.connectionProperties(spec(k));
    assertEquals("SNOWFLAKE_JWT", p.get("authenticator"));
    assertEquals(key.toString(), p.get("private_key_file"));
    assertEquals(PASSPHRASE, p.get("private_key_file_pwd"));
    assertEquals("300000", p.get("networkTimeout"));
  }

  @Test
  void secretsAreNeverInTheSpecsTextOrTheUrl() {
    Map<String, Object> v = base();
    v.put("private-key-passphrase", Secret.of(PASSPHRASE));
    SourceSpec s = spec(v);
    assertFalse(s.toString().contains(PASSWORD) || s.toString().contains(PASSPHRASE),
        s.toString());
    assertFalse(ADAPTER.jdbcUrl(s).contains(PASSWORD));
    assertEquals("****", s.secret("password").orElseThrow().toString());
  }

  @Test
  void sessionsArePinnedToWhatTheDialectReliesOn() {
    assertEquals("ALTER SESSION SET MULTI_STATEMENT_COUNT = 1,"
        + " QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE, TIMESTAMP_TYPE_MAPPING = 'TIMESTAMP_NTZ',"
        + " DATE_INPUT_FORMAT = 'AUTO', TIME_INPUT_FORMAT = 'AUTO',"
        + " TIMESTAMP_INPUT_FORMAT = 'AUTO', TIMEZONE = 'Europe/Berlin'",
        SnowflakeAdapter.sessionSettings("Europe/Berlin"));
    assertTrue(SnowflakeAdapter.sessionSettings("x'; DROP TABLE t; --")
        .endsWith("TIMEZONE = 'x''; DROP TABLE t; --'"));
    assertTrue(SnowflakeAdapter.sessionSettings(null).endsWith("TIMESTAMP_INPUT_FORMAT = 'AUTO'"));
    assertEquals("Europe/Berlin", SnowflakeAdapter.snowflakeZone(ZoneId.of("Europe/Berlin")));
    assertEquals("UTC", SnowflakeAdapter.snowflakeZone(ZoneId.of("Z")));
    assertEquals("UTC", SnowflakeAdapter.snowflakeZone(ZoneId.of("UTC")));
    assertEquals("America/Argentina/Buenos_Aires",
        SnowflakeAdapter.snowflakeZone(ZoneId.of("America/Argentina/Buenos_Aires")));
    assertEquals(null, SnowflakeAdapter.snowflakeZone(ZoneId.of("GMT+01:00")));
    assertEquals(null, SnowflakeAdapter.snowflakeZone(ZoneId.of("+02:00")));
  }

  @Test
  void theQueryTagCarriesTheJunctionQueryId() {
    assertEquals("junction:1c808799-8f2d-42e1-94c0-80c431d95f90",
        SnowflakeAdapter.queryTag("1c808799-8f2d-42e1-94c0-80c431d95f90"));
  }

  @Test
  void informationSchemaIsHidden() {
    assertTrue(ADAPTER.isSystemSchema("INFORMATION_SCHEMA"));
    assertFalse(ADAPTER.isSystemSchema("PUBLIC"));
  }

  @Test
  void snowflakeTypesMapToJunctionTypes() {
    // Junction's planner allows DECIMAL(38); Calcite's default type system caps it at 19.
    RelDataTypeFactory f = new JavaTypeFactoryImpl(DecimalTypeSystem.of(38, 38));
    assertEquals("DECIMAL(38, 0)", type(f, Types.BIGINT, "NUMBER", 38, 0));
    assertEquals("DECIMAL(12, 2)", type(f, Types.DECIMAL, "NUMBER", 12, 2));
    assertEquals("DOUBLE", type(f, Types.DOUBLE, "FLOAT", 38, 0));
    assertEquals("VARCHAR", type(f, Types.VARCHAR, "VARCHAR", 16_777_216, 0));
    assertEquals("VARCHAR(40)", type(f, Types.VARCHAR, "VARCHAR", 40, 0));
    assertEquals("VARCHAR(1)", type(f, Types.CHAR, "CHAR", 1, 0));
    assertEquals("BOOLEAN", type(f, Types.BOOLEAN, "BOOLEAN", 0, 0));
    assertEquals("DATE", type(f, Types.DATE, "DATE", 0, 0));
    assertEquals("TIME(3)", type(f, Types.TIME, "TIME", 9, 9));
    assertEquals("TIMESTAMP(3)", type(f, Types.TIMESTAMP, "TIMESTAMP_NTZ", 9, 9));
    assertEquals("TIMESTAMP(3)", type(f, Types.TIMESTAMP, "TIMESTAMP_LTZ", 9, 9));
    assertEquals("TIMESTAMP(3)", type(f, Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMP_TZ", 9, 9));
    assertEquals("VARBINARY", type(f, Types.BINARY, "BINARY", 8_388_608, 0));
    assertEquals("VARCHAR", type(f, Types.VARCHAR, "VARIANT", 0, 0));
    assertEquals("VARCHAR", type(f, Types.VARCHAR, "OBJECT", 0, 0));
    assertEquals("VARCHAR", type(f, Types.VARCHAR, "ARRAY", 0, 0));
  }

  private static String type(RelDataTypeFactory f, int jdbcType, String name, int size,
      int scale) {
    return SnowflakeAdapter.type(f, new ColumnSpec("c", jdbcType, name, size, scale, true,
        null)).getFullTypeString().replace(" NOT NULL", "");
  }
}
