package dev.junction.driver;

import dev.junction.driver.demo.DemoCatalog;
import dev.junction.driver.limits.QueryGate;
import dev.junction.driver.system.SystemContext;
import dev.junction.driver.system.SystemSchema;
import dev.junction.planner.catalog.Catalog;
import dev.junction.planner.limits.Limits;
import dev.junction.planner.planning.JunctionPrepare;
import dev.junction.planner.security.Access;
import dev.junction.planner.security.GovernedSchemas;
import dev.junction.planner.security.Principal;
import dev.junction.spi.JunctionException;
import dev.junction.spi.SourceStatus;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.BuiltInConnectionProperty;
import org.apache.calcite.avatica.ConnectionProperty;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Handler;
import org.apache.calcite.avatica.HandlerImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.Driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * The {@code jdbc:junction:} driver. It is Calcite's driver with Junction's catalog
 * mounted at connect time, Junction's planner, identifier rules that let users type SQL
 * as they would in their database, and DatabaseMetaData that shows sources as catalogs.
 *
 * <p>URLs: {@code jdbc:junction:config=/path/junction.yaml[;name=value...]} or
 * {@code jdbc:junction:demo}.
 */
public final class JunctionDriver extends Driver {
  /** The URL prefix this driver accepts. */
  public static final String PREFIX = "jdbc:junction:";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<AvaticaConnection, Catalog> CATALOGS =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<AvaticaConnection, StatementAudit> AUDITS =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<AvaticaConnection, Supplier<Principal>> PRINCIPALS =
      Collections.synchronizedMap(new WeakHashMap<>());

  static {
    new JunctionDriver().register();
  }

  /** Creates the driver; applications use DriverManager instead. */
  public JunctionDriver() {
    super(() -> new JunctionPrepare(JunctionPrepare.DEFAULT_PLANNING_TIMEOUT));
  }

  private static Catalog catalogOf(AvaticaConnection connection) throws SQLException {
    Catalog catalog = CATALOGS.get(connection);
    if (catalog == null) {
      throw new java.sql.SQLNonTransientConnectionException("not an open Junction connection",
          "08003");
    }
    return catalog;
  }

  /**
   * The limits in force now for a connection's caller ({@link Limits#NONE} for a closed
   * connection): the catalog's and the policy's {@code limits:}, as loaded now.
   */
  public static Limits limits(AvaticaConnection connection) {
    Catalog catalog = CATALOGS.get(connection);
    Supplier<Principal> principal = PRINCIPALS.get(connection);
    return catalog == null || principal == null ? Limits.NONE
        : catalog.limits(principal.get());
  }

  /** The caller a connection runs for, or null for a closed connection. */
  public static Principal principal(AvaticaConnection connection) {
    Supplier<Principal> principal = PRINCIPALS.get(connection);
    return principal == null ? null : principal.get();
  }

  /** The gate the queries of a connection's catalog share, or null when it is closed. */
  public static QueryGate gate(AvaticaConnection connection) {
    Catalog catalog = CATALOGS.get(connection);
    return catalog == null ? null : QueryGate.of(catalog);
  }

  /** The catalog a connection opened, or null for a closed connection. */
  public static Catalog catalog(AvaticaConnection connection) {
    return CATALOGS.get(connection);
  }

  /** The audit trail of a connection's statements, or null for a closed connection. */
  public static StatementAudit audit(AvaticaConnection connection) {
    return AUDITS.get(connection);
  }

  /**
   * Forgets the cached remote metadata of the catalog a connection opened; the
   * implementation of {@link JunctionConnection#refreshMetadata()}.
   */
  public static void refreshMetadata(AvaticaConnection connection) throws SQLException {
    Catalog catalog = catalogOf(connection);
    catalog.refresh();
    PlanCache plans = CatalogRegistry.INSTANCE.plans(catalog);
    if (plans != null) {
      plans.invalidateAll();
    }
    dev.junction.driver.cache.ResultCache results = CatalogRegistry.INSTANCE.results(catalog);
    if (results != null) {
      results.invalidateAll();
    }
  }

  /**
   * The plan cache of the catalog a connection opened, or null when caching is off or the
   * connection is closed.
   */
  public static PlanCache planCache(AvaticaConnection connection) {
    Catalog catalog = CATALOGS.get(connection);
    return catalog == null ? null : CatalogRegistry.INSTANCE.plans(catalog);
  }

  /**
   * The result cache of the catalog a connection opened, or null when the catalog has none
   * or the connection is closed.
   */
  public static dev.junction.driver.cache.ResultCache resultCache(
      AvaticaConnection connection) {
    Catalog catalog = CATALOGS.get(connection);
    return catalog == null ? null : CatalogRegistry.INSTANCE.results(catalog);
  }

  /**
   * The result cache counters of the catalog opened from {@code catalogFile} in this
   * process (for the server's {@code /metrics}); all zero while it is not open or has no
   * result cache.
   */
  public static dev.junction.driver.cache.ResultCache.Stats resultCacheStats(
      Path catalogFile) {
    dev.junction.driver.cache.ResultCache results =
        CatalogRegistry.INSTANCE.results(catalogFile);
    return results == null ? dev.junction.driver.cache.ResultCache.Stats.NONE
        : results.stats();
  }

  /**
   * The sources a connection can name, in catalog order: those mounted for it (under an
   * access policy, the ones the caller may see); empty for a closed connection.
   */
  public static List<String> sourceNames(CalciteConnection connection) {
    Catalog catalog = CATALOGS.get((AvaticaConnection) connection);
    if (catalog == null) {
      return List.of();
    }
    return catalog.sources().keySet().stream()
        .filter(n -> connection.getRootSchema().subSchemas().get(n) != null).toList();
  }

  @Override protected String getConnectStringPrefix() {
    return PREFIX;
  }

  @Override protected DriverVersion createDriverVersion() {
    return new DriverVersion("Junction JDBC Driver", "0.1.0", "Junction", "0.1.0", true,
        0, 1, 0, 1);
  }

  @Override protected String getFactoryClassName(JdbcVersion jdbcVersion) {
    return "org.apache.calcite.jdbc.JunctionJdbcFactory";
  }

  @Override public CalcitePrepare createPrepare() {
    return new JunctionPrepare(JunctionPrepare.DEFAULT_PLANNING_TIMEOUT);
  }

  @Override public Connection connect(String url, Properties info) throws SQLException {
    if (url == null || !url.startsWith(PREFIX)) {
      return null;
    }
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    String suffix = url.substring(PREFIX.length());
    String normalized = normalize(suffix);
    props.putAll(JunctionUrl.parse(normalized));
    applyDefaults(props);
    try {
      return super.connect(PREFIX + normalized, props);
    } catch (SQLException e) {
      JunctionException je = Errors.find(e);
      throw je != null ? Errors.toSql(je) : e;
    } catch (JunctionException e) {
      throw Errors.toSql(e);
    }
  }

  /** {@code demo} is shorthand for {@code demo=true}. */
  private static String normalize(String suffix) {
    String s = suffix.trim();
    if (s.equalsIgnoreCase("demo") || s.toLowerCase(Locale.ROOT).startsWith("demo;")) {
      return "demo=true" + s.substring(4);
    }
    return s;
  }

  /** Fixes the Calcite settings Junction's SQL surface depends on. */
  private static void applyDefaults(Properties p) {
    p.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    p.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), "UNCHANGED");
    p.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), "UNCHANGED");
    p.setProperty(CalciteConnectionProperty.TYPE_SYSTEM.camelName(),
        "dev.junction.planner.types.JunctionTypeSystem#INSTANCE");
    p.putIfAbsent(CalciteConnectionProperty.CONFORMANCE.camelName(), "LENIENT");
    p.putIfAbsent(CalciteConnectionProperty.TIME_ZONE.camelName(), "UTC");
  }

  /**
   * Checks every source of the catalog a connection opened; the implementation of
   * {@link JunctionConnection#checkSources()}.
   */
  public static Map<String, Optional<String>> checkSources(AvaticaConnection connection)
      throws SQLException {
    Map<String, Optional<String>> out = new LinkedHashMap<>();
    catalogOf(connection).sources().forEach((name, source) -> {
      try {
        source.check();
        out.put(name, Optional.empty());
      } catch (JunctionException e) {
        out.put(name, Optional.of(e.getMessage()));
      }
    });
    return out;
  }

  /**
   * The pool and reachability of every source of the catalog a connection opened, read
   * without connecting; the implementation of {@link JunctionConnection#sourceStatus()}.
   */
  public static Map<String, SourceStatus> sourceStatus(AvaticaConnection connection)
      throws SQLException {
    Map<String, SourceStatus> out = new LinkedHashMap<>();
    catalogOf(connection).sources().forEach((name, source) -> out.put(name, source.status()));
    return out;
  }

  @Override protected Collection<ConnectionProperty> getConnectionProperties() {
    List<ConnectionProperty> list = new ArrayList<>(super.getConnectionProperties());
    Collections.addAll(list, JunctionProperty.values());
    return list;
  }

  @Override public Meta createMeta(AvaticaConnection connection) {
    return new JunctionMeta((CalciteConnection) connection, () -> CATALOGS.get(connection));
  }

  @Override protected Handler createHandler() {
    return new HandlerImpl() {
      @Override public void onConnectionInit(AvaticaConnection connection) throws SQLException {
        Properties p = ((CalciteConnection) connection).getProperties();
        Path file = configFile(p);
        try {
          dev.junction.driver.cache.CacheMode.of(
              p.getProperty(JunctionProperty.RESULT_CACHE.camelName()));
        } catch (IllegalArgumentException e) {
          throw Errors.invalidUrl("property 'resultCache': " + e.getMessage());
        }
        try {
          JunctionProperty.parallelReads(p);
          JunctionProperty.partialAggregates(p);
        } catch (IllegalArgumentException e) {
          throw Errors.invalidUrl(e.getMessage());
        }
        String user = userOf(p);
        Set<String> groups = groupsOf(p);
        Map<String, String> attributes = attributesOf(p);
        Catalog catalog;
        try {
          catalog = CatalogRegistry.INSTANCE.acquire(file);
        } catch (JunctionException e) {
          throw Errors.toSql(e);
        }
        CATALOGS.put(connection, catalog);
        CalciteConnection calcite = (CalciteConnection) connection;
        Supplier<Principal> principal;
        Access access = null;
        if (catalog.policy().isPresent()) {
          access = new Access(catalog.policy().get(), user, groups, attributes,
              Boolean.parseBoolean(p.getProperty(JunctionProperty.REVEAL_POLICY.camelName())));
          GovernedSchemas.mount(calcite.getRootSchema(), catalog.sources().values(), access);
          principal = access::principal;
        } else {
          catalog.mount(calcite.getRootSchema());
          Principal fixed = new Principal(user, groups, attributes, Set.of());
          principal = () -> fixed;
        }
        PRINCIPALS.put(connection, principal);
        Access caller = access;
        SystemSchema.mount(calcite.getRootSchema(), caller, () -> new SystemContext(user,
            SystemSchema.seesEveryone(caller), catalog,
            CatalogRegistry.INSTANCE.results(catalog), catalog.limits(principal.get())));
        AUDITS.put(connection, new StatementAudit(CatalogRegistry.INSTANCE.audit(catalog),
            principal, p.getProperty(JunctionProperty.CLIENT_ADDRESS.camelName())));
        String schema = p.getProperty(BuiltInConnectionProperty.SCHEMA.camelName());
        List<String> names = sourceNames(calcite);
        try {
          if (schema != null && !schema.isBlank()) {
            connection.setSchema(schema);
          } else if (!names.isEmpty()) {
            connection.setCatalog(names.get(0));
          }
        } catch (SQLException e) {
          onConnectionClose(connection);
          throw e;
        }
      }

      @Override public void onStatementClose(AvaticaStatement statement) {
        RemoteCancellation.INSTANCE.closed(statement);
      }

      @Override public void onConnectionClose(AvaticaConnection connection) {
        RemoteCancellation.INSTANCE.closed(connection);
        AUDITS.remove(connection);
        PRINCIPALS.remove(connection);
        Catalog catalog = CATALOGS.remove(connection);
        if (catalog != null) {
          CatalogRegistry.INSTANCE.release(catalog);
        }
      }
    };
  }

  /**
   * The caller a connection runs for: its {@code user} property, or the JVM's user name
   * when none is given.
   */
  public static String userOf(Properties p) {
    String u = p.getProperty(JunctionProperty.USER.camelName());
    return u == null || u.isBlank() ? System.getProperty("user.name", "anonymous") : u;
  }

  /** The {@code groups} property: comma-separated names, blanks ignored. */
  static Set<String> groupsOf(Properties p) {
    String g = p.getProperty(JunctionProperty.GROUPS.camelName());
    Set<String> out = new LinkedHashSet<>();
    if (g != null) {
      for (String part : g.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /** The {@code attributes} property: a JSON object of names to scalars, as text. */
  static Map<String, String> attributesOf(Properties p) throws SQLException {
    String json = p.getProperty(JunctionProperty.ATTRIBUTES.camelName());
    Map<String, String> out = new LinkedHashMap<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (java.io.IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw Errors.invalidUrl("property 'attributes' must be a JSON object of attribute"
          + " names to strings, numbers or booleans");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (!v.isValueNode() || v.isNull()) {
        throw Errors.invalidUrl("property 'attributes': the value of '" + e.getKey()
            + "' must be a string, number or boolean");
      }
      out.put(e.getKey(), v.asText());
    }
    return out;
  }

  private static Path configFile(Properties p) throws SQLException {
    String config = p.getProperty(JunctionProperty.CONFIG.camelName());
    boolean demo = Boolean.parseBoolean(p.getProperty(JunctionProperty.DEMO.camelName(), "false"));
    if (config != null && demo) {
      throw Errors.invalidUrl("give either config=<file> or demo, not both");
    }
    if (demo) {
      return DemoCatalog.ensure();
    }
    if (config == null || config.isBlank()) {
      throw Errors.invalidUrl("missing catalog: use jdbc:junction:config=/path/junction.yaml"
          + " or jdbc:junction:demo");
    }
    return Path.of(config);
  }
}
