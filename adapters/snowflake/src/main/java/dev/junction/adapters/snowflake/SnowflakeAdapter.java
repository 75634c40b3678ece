package dev.junction.adapters.snowflake;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.JdbcSourceAdapter;
import dev.junction.adapters.jdbc.SqlQuoting;
import dev.junction.adapters.jdbc.TypeMapping;
import dev.junction.spi.Decimals;
import dev.junction.spi.Secret;
import dev.junction.spi.SourceProperty;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

import net.snowflake.client.api.statement.SnowflakeStatement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Snowflake sources (type {@code snowflake}), an optional module: its jar and
 * snowflake-jdbc's go on the class path next to the driver, and ServiceLoader finds it.
 *
 * <p>One source is one Snowflake database; its schemas are Junction's schemas
 * ({@code sf.PUBLIC.ORDERS}; names match without case where only one spelling exists).
 * Row counts come from {@code INFORMATION_SCHEMA.TABLES.ROW_COUNT}. The login is a
 * password or a key pair (an unencrypted or encrypted PKCS#8 PEM file). Every remote
 * statement carries the Junction query id in its {@code QUERY_TAG}, and a statement with a
 * query timeout carries it to Snowflake as {@code STATEMENT_TIMEOUT_IN_SECONDS}, so the
 * warehouse ends it even when the client's cancel is lost. Each session is pinned to what
 * {@link SnowflakeDialect}'s SQL relies on.
 */
public final class SnowflakeAdapter extends JdbcSourceAdapter {
  private static final SourceProperty ACCOUNT = SourceProperty.optional("account",
      SourceProperty.Type.STRING, "account identifier, e.g. myorg-myaccount (or set url)");
  private static final SourceProperty URL = SourceProperty.optional("url",
      SourceProperty.Type.STRING, "jdbc:snowflake://host/ URL (instead of account)");
  private static final SourceProperty USER = SourceProperty.required("user",
      SourceProperty.Type.STRING, "user to log in as");
  private static final SourceProperty PRIVATE_KEY_FILE = SourceProperty.optional(
      "private-key-file", SourceProperty.Type.PATH,
      "PKCS#8 PEM private key for key-pair authentication (instead of password)");
  private static final SourceProperty PRIVATE_KEY_PASSPHRASE = SourceProperty.optional(
      "private-key-passphrase", SourceProperty.Type.SECRET,
      "passphrase of an encrypted private-key-file");
  private static final SourceProperty WAREHOUSE = SourceProperty.optional("warehouse",
      SourceProperty.Type.STRING, "virtual warehouse queries run on (default: the user's)");
  private static final SourceProperty ROLE = SourceProperty.optional("role",
      SourceProperty.Type.STRING, "role of the session (default: the user's)");
  private static final SourceProperty DATABASE = SourceProperty.required("database",
      SourceProperty.Type.STRING, "database whose schemas the source exposes");
  /** How long one request to Snowflake may wait for an answer by default. */
  static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofMinutes(5);
  private static final SourceProperty NETWORK_TIMEOUT = SourceProperty.optional(
      "network-timeout", SourceProperty.Type.DURATION,
      DEFAULT_NETWORK_TIMEOUT.toMinutes() + "m",
      "how long one request to Snowflake may go unanswered (a running query is polled,"
          + " so this does not bound a query's duration)");

  /** What Snowflake is told the client is (its {@code application} property). */
  static final String APPLICATION = "Junction";
  /** The prefix of every remote statement's QUERY_TAG, before the Junction query id. */
  static final String QUERY_TAG_PREFIX = "junction:";
  /** Longer VARCHARs (Snowflake declares 16,777,216 when no length is given) have none. */
  private static final int CALCITE_MAX_VARCHAR = 65_536;
  private static final Pattern IANA_ZONE = Pattern.compile("[A-Za-z]+(/[A-Za-z0-9_+-]+)+");
  private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  @Override public String type() {
    return "snowflake";
  }

  @Override public List<SourceProperty> properties() {
    return List.of(ACCOUNT, URL, USER, PASSWORD, PRIVATE_KEY_FILE, PRIVATE_KEY_PASSPHRASE,
        WAREHOUSE, ROLE, DATABASE, NETWORK_TIMEOUT, POOL_SIZE, CONNECT_TIMEOUT,
        POOL_CONNECTION_TIMEOUT, POOL_IDLE_TIMEOUT, POOL_MAX_LIFETIME);
  }

  /**
   * Checks that exactly one of account and url names the account, that exactly one way to
   * log in is given, and that a key file is a readable PKCS#8 PEM key whose encryption
   * matches the passphrase given. A message names the key and what is allowed, never a
   * secret or the key's content.
   */
  @Override public List<String> validate(SourceSpec spec) {
    List<String> problems = new ArrayList<>();
    String account = spec.string("account").orElse(null);
    String url = spec.string("url").orElse(null);
    if (account == null && url == null) {
      problems.add("key 'account': missing; set account (e.g. myorg-myaccount) or url"
          + " (jdbc:snowflake://myorg-myaccount.snowflakecomputing.com/)");
    } else if (account != null && url != null) {
      problems.add("key 'account': set account or url, not both");
    } else if (account != null && !ACCOUNT_NAME.matcher(account).matches()) {
      problems.add("key 'account': expected an account identifier (letters, digits, '.',"
          + " '-', '_'), found '" + account + "'");
    } else if (url != null && !url.startsWith("jdbc:snowflake://")) {
      problems.add("key 'url': expected a jdbc:snowflake:// URL");
    }
    boolean password = spec.values().containsKey("password");
    String keyFile = spec.string("private-key-file").orElse(null);
    boolean passphrase = spec.values().containsKey("private-key-passphrase");
    if (password && keyFile != null) {
      problems.add("key 'password': set password or private-key-file, not both");
    } else if (!password && keyFile == null) {
      problems.add("key 'password': missing; set password (password authentication) or"
          + " private-key-file (key-pair authentication)");
    }
    if (passphrase && keyFile == null) {
      problems.add("key 'private-key-passphrase': only with private-key-file");
    }
    if (keyFile != null) {
      keyFileProblem(Path.of(keyFile), passphrase, problems);
    }
    problems.addAll(super.validate(spec));
    return problems;
  }

  /** Reads only the PEM armour lines of the key file; never its content into a message. */
  private static void keyFileProblem(Path file, boolean passphrase, List<String> problems) {
    String text;
    try {
      if (!Files.isRegularFile(file)) {
        problems.add("key 'private-key-file': " + file + " is not a readable file");
        return;
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      problems.add("key 'private-key-file': " + file + " cannot be read ("
          + e.getClass().getSimpleName() + ")");
      return;
    }
    boolean plain = text.contains("-----BEGIN PRIVATE KEY-----");
    boolean encrypted = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    if (!plain && !encrypted) {
      problems.add("key 'private-key-file': " + file + " is not a PKCS#8 PEM private key"
          + " (expected -----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE"
          + " KEY-----; convert a PKCS#1 key with openssl pkcs8 -topk8)");
    } else if (encrypted && !passphrase) {
      problems.add("key 'private-key-passphrase': missing; " + file + " is encrypted");
    } else if (plain && passphrase) {
      problems.add("key 'private-key-passphrase': " + file + " is not encrypted; remove"
          + " the passphrase");
    }
  }

  @Override public SqlDialect dialect() {
    return SnowflakeDialect.INSTANCE;
  }

  @Override protected String driverClassName() {
    return "net.snowflake.client.api.driver.SnowflakeDriver";
  }

  /** The catalog's url, or {@code jdbc:snowflake://<account>.snowflakecomputing.com/}. */
  @Override protected String jdbcUrl(SourceSpec spec) {
    return spec.string("url").orElseGet(() -> "jdbc:snowflake://"
        + spec.requiredString("account") + ".snowflakecomputing.com/");
  }

  @Override protected int defaultPort() {
    return 443;
  }

  /**
   * The client's name, and no cloud platform detection: snowflake-jdbc 4.x otherwise probes
   * the AWS, Azure and GCP instance metadata endpoints at login (seconds where none
   * answers, and SEVERE log lines), which Junction needs for no login method it offers.
   * The catalog's {@code properties} may turn it back on.
   */
  @Override protected Map<String, String> defaultConnectionProperties() {
    return Map.of("application", APPLICATION, "disablePlatformDetection", "true");
  }

  /**
   * snowflake-jdbc's {@code loginTimeout} bounds the login, in whole seconds (its own
   * default is 300 s).
   */
  @Override protected Map<String, String> connectTimeoutProperties(Duration timeout) {
    return Map.of("loginTimeout", Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000)));
  }

  /**
   * The database, warehouse and role, the request timeout ({@code networkTimeout}, in
   * milliseconds; snowflake-jdbc waits for ever by default), and for key-pair
   * authentication the key file and its passphrase ({@code SNOWFLAKE_JWT}).
   */
  @Override protected Map<String, String> settingProperties(SourceSpec spec) {
    return connectionProperties(spec);
  }

  /** {@link #settingProperties}, for tests. */
  static Map<String, String> connectionProperties(SourceSpec spec) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("db", spec.requiredString("database"));
    // Metadata calls without a catalog (Junction names none) look in this database only.
    p.put("CLIENT_METADATA_REQUEST_USE_CONNECTION_CTX", "true");
    spec.string("warehouse").ifPresent(w -> p.put("warehouse", w));
    spec.string("role").ifPresent(r -> p.put("role", r));
    p.put("networkTimeout", Long.toString(
        spec.duration("network-timeout", DEFAULT_NETWORK_TIMEOUT).toMillis()));
    spec.string("private-key-file").ifPresent(file -> {
      p.put("authenticator", "SNOWFLAKE_JWT");
      p.put("private_key_file", file);
      spec.secret("private-key-passphrase").map(Secret::reveal)
          .ifPresent(s -> p.put("private_key_file_pwd", s));
    });
    return p;
  }

  /**
   * Pins the session settings the dialect's SQL relies on, over the account's and user's
   * defaults and the catalog's {@code properties}: one statement per string; quoted names
   * kept case-sensitive; {@code TIMESTAMP} meaning TIMESTAMP_NTZ in literals and casts;
   * ISO date and time literals read as such; and the JVM's time zone, in which the driver
   * reads TIMESTAMP_LTZ values, also for comparisons Snowflake makes. Snowflake has no
   * read-only session: grant the source's role SELECT only.
   */
  @Override protected void prepareSession(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sessionSettings(snowflakeZone(ZoneId.systemDefault())));
    }
  }

  /**
   * The JVM's zone as Snowflake names it: an IANA region ({@code Europe/Berlin}), or
   * {@code UTC}; null for a fixed offset such as {@code GMT+01:00}, which Snowflake's
   * TIMEZONE does not take (the session then keeps the account's zone).
   */
  static String snowflakeZone(ZoneId zone) {
    ZoneId z = zone.normalized();
    if (z.equals(ZoneOffset.UTC)) {
      return "UTC";
    }
    return z instanceof ZoneOffset || !IANA_ZONE.matcher(z.getId()).matches() ? null
        : z.getId();
  }

  /** The {@code ALTER SESSION} statement {@link #prepareSession} runs. */
  static String sessionSettings(String timeZone) {
    StringBuilder tz = new StringBuilder();
    if (timeZone != null) {
      tz.append(", TIMEZONE = ");
      SqlQuoting.appendBackslashLiteral(tz, timeZone, "Snowflake", false);
    }
    return "ALTER SESSION SET MULTI_STATEMENT_COUNT = 1, QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE,"
        + " TIMESTAMP_TYPE_MAPPING = 'TIMESTAMP_NTZ', DATE_INPUT_FORMAT = 'AUTO',"
        + " TIME_INPUT_FORMAT = 'AUTO', TIMESTAMP_INPUT_FORMAT = 'AUTO'" + tz;
  }

  /**
   * Tags the statement with the Junction query id ({@code QUERY_TAG}, visible in
   * {@code QUERY_HISTORY}) and gives Snowflake its timeout, both as parameters of this
   * statement only (snowflake-jdbc's {@code SnowflakeStatement.setParameter}), so nothing
   * stays on the pooled session.
   */
  @Override protected void beforeExecute(Statement statement, String queryId)
      throws SQLException {
    SnowflakeStatement st = statement.unwrap(SnowflakeStatement.class);
    if (queryId != null) {
      st.setParameter("QUERY_TAG", queryTag(queryId));
    }
    int timeout = statement.getQueryTimeout();
    if (timeout > 0) {
      st.setParameter("STATEMENT_TIMEOUT_IN_SECONDS", timeout);
    }
  }

  /** The QUERY_TAG of the remote statements of Junction query {@code queryId}. */
  static String queryTag(String queryId) {
    return QUERY_TAG_PREFIX + queryId;
  }

  /** The schemas of the source's database, from its INFORMATION_SCHEMA. */
  @Override protected List<String> listSchemas(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA"
             + " ORDER BY 1")) {
      while (rs.next()) {
        if (!isSystemSchema(rs.getString(1))) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  @Override protected boolean isSystemSchema(String schema) {
    return schema.equalsIgnoreCase("INFORMATION_SCHEMA");
  }

  /**
   * Snowflake's types: NUMBER(p, s) is DECIMAL(p, s) (an integer column is NUMBER(38, 0));
   * FLOAT is DOUBLE; every text type is VARCHAR (Snowflake pads no CHAR); TIMESTAMP_NTZ is
   * TIMESTAMP, TIMESTAMP_LTZ and TIMESTAMP_TZ are read as the instant in the JVM's time
   * zone; BINARY is VARBINARY; VARIANT, OBJECT, ARRAY, GEOGRAPHY and GEOMETRY are VARCHAR
   * holding the JSON (or WKT) text the driver returns.
   */
  @Override protected RelDataType mapType(RelDataTypeFactory typeFactory, ColumnSpec column) {
    return type(typeFactory, column);
  }

  /** {@link #mapType}, for tests. */
  static RelDataType type(RelDataTypeFactory typeFactory, ColumnSpec column) {
    String name = TypeMapping.typeName(column);
    int paren = name.indexOf('(');
    String base = (paren < 0 ? name : name.substring(0, paren)).strip();
    RelDataType type = switch (base) {
      case "number", "decimal", "numeric" ->
          TypeMapping.decimal(typeFactory, column.size(), column.scale());
      case "int", "integer", "bigint", "smallint", "tinyint", "byteint" ->
          TypeMapping.decimal(typeFactory, Decimals.MAX_PRECISION, 0);
      case "float", "float4", "float8", "double", "double precision", "real" ->
          typeFactory.createSqlType(SqlTypeName.DOUBLE);
      case "varchar", "text", "string", "char", "character", "nchar", "nvarchar" ->
          column.size() > 0 && column.size() < CALCITE_MAX_VARCHAR
              ? typeFactory.createSqlType(SqlTypeName.VARCHAR, column.size())
              : typeFactory.createSqlType(SqlTypeName.VARCHAR);
      case "boolean" -> typeFactory.createSqlType(SqlTypeName.BOOLEAN);
      case "date" -> typeFactory.createSqlType(SqlTypeName.DATE);
      case "time" -> typeFactory.createSqlType(SqlTypeName.TIME, 3);
      case "timestamp", "timestamp_ntz", "datetime", "timestamp_ltz", "timestamp_tz" ->
          typeFactory.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case "binary", "varbinary" -> typeFactory.createSqlType(SqlTypeName.VARBINARY);
      case "variant", "object", "array", "geography", "geometry", "vector", "map" ->
          typeFactory.createSqlType(SqlTypeName.VARCHAR);
      default -> null;
    };
    return type == null ? TypeMapping.map(typeFactory, column)
        : typeFactory.createTypeWithNullability(type, column.nullable());
  }

  @Override protected Map<String, Long> rowCounts(Connection c, String schema)
      throws SQLException {
    return rowCountsByQuery(c, "SELECT TABLE_NAME, ROW_COUNT"
        + " FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ?",
        schema);
  }
}
