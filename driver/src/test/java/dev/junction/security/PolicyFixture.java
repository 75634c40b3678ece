package dev.junction.security;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data every attack runs over, stored alike in one source per adapter (a PostgreSQL
 * schema and a MariaDB database of their own, a DuckDB file, a SQLite file), and the
 * catalog and policy that govern it. Three tables:
 *
 * <ul>
 * <li>{@code orders}: 3,000 rows over regions EU, US, APAC and tenants 42, 7, 9 (row
 * {@code id} has region {@code id % 3} and tenant {@code (id / 3) % 3}, so ana, EU and 42,
 * sees the 333 ids divisible by 9); the card number is a region prefix, the id and four
 * digits ({@code 00} and {@code id * 7 % 100}) that repeat across rows, so a masked value
 * ({@code XXXX-XXXX-XXXX-} and those four digits) is shared by several rows of one caller
 * where the real one is unique; {@code ssn} is
 * hidden from analysts; amounts are multiples of 0.25, exact in SQLite's doubles;</li>
 * <li>{@code customers}: 60 rows, readable by analysts without a filter;</li>
 * <li>{@code secrets}: readable by admins only, with a foreign key to orders.</li>
 * </ul>
 *
 * <p>The policy has one pair of rules per source, naming its schema ({@code main} for
 * DuckDB and SQLite, the test's own schema or database for the servers), besides the
 * admins' rule; its users are the {@link Caller}s.
 */
public final class PolicyFixture implements AutoCloseable {
  /** Rows of {@code orders}. */
  public static final int ORDER_COUNT = 3_000;
  /** Regions, by {@code id % 3}. */
  public static final List<String> REGIONS = List.of("EU", "US", "APAC");
  /** Tenants, by {@code (id / 3) % 3}. */
  public static final List<Integer> TENANTS = List.of(42, 7, 9);
  /** What the mask keeps of a card number's 16 digits: the last four, after this. */
  public static final String MASK_PREFIX = "XXXX-XXXX-XXXX-";
  /** The row filter of the analysts' orders rule. */
  public static final String FILTER =
      "region = ATTRIBUTE('region') AND tenant_id = ATTRIBUTE('tenant_id')";
  /** The mask of {@code card_number}. */
  public static final String MASK = "'XXXX-XXXX-XXXX-' || SUBSTRING(card_number FROM 13 FOR 4)";

  /** The stored orders, by id (index id - 1). */
  public static final List<Order> ORDERS = orders();
  /** The stored customers. */
  public static final List<Customer> CUSTOMERS = customers();
  /** The stored secrets. */
  public static final List<Secret> SECRETS = secrets();

  /**
   * One row of {@code orders} as stored (or as a caller sees it: then {@code card} may be
   * masked and {@code ssn} null).
   */
  public record Order(int id, String region, int tenantId, BigDecimal amount, String card,
      String ssn, String note) {
    /** The card number as the mask shows it. */
    public String maskedCard() {
      return MASK_PREFIX + card.substring(12, 16);
    }

    /** The row as an analyst sees it: card masked, ssn gone. */
    public Order masked() {
      return new Order(id, region, tenantId, amount, maskedCard(), null, note);
    }
  }

  /** One row of {@code customers}. */
  public record Customer(int id, String name, String region) {
  }

  /** One row of {@code secrets}. */
  public record Secret(int id, int orderId, String secret) {
  }

  /** The adapters, each with the name of its source in the catalog. */
  public enum Adapter {
    POSTGRESQL("pg"), MARIADB("maria"), DUCKDB("duck"), SQLITE("lite");

    /** The source name in the catalog. */
    public final String source;

    Adapter(String source) {
      this.source = source;
    }
  }

  /**
   * Where an adapter's fixture tables live as a user names them: {@code source.schema}.
   *
   * @param adapter the adapter
   * @param source the source name in the catalog
   * @param schema the schema holding the tables
   */
  public record Target(Adapter adapter, String source, String schema) {
    /** {@code source.schema.name}. */
    public String table(String name) {
      return source + "." + schema + "." + name;
    }
  }

  /** What the policy makes of a caller. */
  public enum Kind {
    /** In group analysts: orders filtered and masked, customers, no secrets. */
    ANALYST,
    /** In group admins: everything, unmasked. */
    ADMIN,
    /** Not in the policy: nothing. */
    OUTSIDER
  }

  /**
   * The callers: the policy's users (with their attributes as the policy file gives them)
   * and {@code eve}, whom the policy does not name.
   */
  public enum Caller {
    /** Analyst, EU and tenant 42. */
    ANA("ana", Kind.ANALYST, "EU", 42),
    /** Analyst, US and tenant 7. */
    BOB("bob", Kind.ANALYST, "US", 7),
    /** Analyst without attributes: the filter must match no row. */
    DORA("dora", Kind.ANALYST, null, null),
    /** Analyst whose region attribute is SQL text: it must stay data. */
    QUINN("quinn", Kind.ANALYST, "EU' OR 'a'='a", 42),
    /** Analyst whose region attribute ends in a backslash. */
    REX("rex", Kind.ANALYST, "EU\\", 42),
    /** Admin. */
    CARL("carl", Kind.ADMIN, null, null),
    /** Not in the policy. */
    EVE("eve", Kind.OUTSIDER, null, null);

    /** The user name. */
    public final String user;
    /** What the policy makes of them. */
    public final Kind kind;
    /** The region attribute, or null. */
    public final String region;
    /** The tenant_id attribute, or null. */
    public final Integer tenant;

    Caller(String user, Kind kind, String region, Integer tenant) {
      this.user = user;
      this.kind = kind;
      this.region = region;
      this.tenant = tenant;
    }

    /** The password the server tests give this user. */
    public String password() {
      return "pw-" + user + "-1";
    }

    /** Whether the caller sees this stored row. */
    public boolean sees(Order o) {
      return switch (kind) {
        case ADMIN -> true;
        case OUTSIDER -> false;
        case ANALYST -> region != null && tenant != null && region.equals(o.region())
            && tenant == o.tenantId();
      };
    }
  }

  private final TestingPostgreSqlServer pg;
  private final TestingMariaDbServer maria;
  private final Map<Adapter, Target> targets = new EnumMap<>(Adapter.class);
  private final Path catalog;

  private PolicyFixture(TestingPostgreSqlServer pg, TestingMariaDbServer maria, Path catalog) {
    this.pg = pg;
    this.maria = maria;
    this.catalog = catalog;
    targets.put(Adapter.POSTGRESQL, new Target(Adapter.POSTGRESQL, "pg", pg.namespace()));
    targets.put(Adapter.MARIADB, new Target(Adapter.MARIADB, "maria", maria.namespace()));
    targets.put(Adapter.DUCKDB, new Target(Adapter.DUCKDB, "duck", "main"));
    targets.put(Adapter.SQLITE, new Target(Adapter.SQLITE, "lite", "main"));
  }

  /**
   * Creates the tables in every source, loads them, and writes {@code junction.yaml} and
   * {@code policy.yaml} into {@code dir}.
   */
  public static PolicyFixture create(Path dir) throws Exception {
    return create(dir, null);
  }

  /**
   * The suite's own control: sources that hold only what {@code caller} may see (their
   * rows, card numbers already masked, no {@code ssn} column, no {@code secrets} table),
   * and a catalog without a policy. Run against it, an attack's expected answer must hold
   * whether or not access control works, which checks the answers and the SQL.
   */
  public static PolicyFixture baseline(Path dir, Caller caller) throws Exception {
    return create(dir, caller);
  }

  private static PolicyFixture create(Path dir, Caller governedFor) throws Exception {
    TestingPostgreSqlServer pg = new TestingPostgreSqlServer();
    TestingMariaDbServer maria = null;
    try {
      maria = new TestingMariaDbServer();
      try (Connection c = pg.connect()) {
        load(c, pg.namespace() + ".", "", governedFor);
      }
      try (Connection c = maria.connect()) {
        load(c, maria.namespace() + ".", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            governedFor);
      }
      Path duck = dir.resolve("attack.duckdb");
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duck)) {
        load(c, "", "", governedFor);
      }
      Path lite = dir.resolve("attack.db");
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite)) {
        load(c, "", "", governedFor);
      }
      CatalogFile sources = new CatalogFile().postgresql("pg", pg).mariadb("maria", maria)
          .duckdb("duck", duck).sqlite("lite", lite);
      Path catalog = dir.resolve("junction.yaml");
      Files.writeString(catalog, sources.yaml() + (governedFor == null
          ? "policy: policy.yaml\n" : ""), StandardCharsets.UTF_8);
      PolicyFixture f = new PolicyFixture(pg, maria, catalog);
      Files.writeString(dir.resolve("policy.yaml"), f.policy(), StandardCharsets.UTF_8);
      return f;
    } catch (Exception | Error e) {
      try (AutoCloseable p = pg; AutoCloseable m = maria) {
        // drops what was created
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The catalog file, naming the policy. */
  public Path catalog() {
    return catalog;
  }

  /** Where an adapter's tables are. */
  public Target target(Adapter adapter) {
    return targets.get(adapter);
  }

  /** What a caller may see of an adapter's tables. */
  public View view(Adapter adapter, Caller caller) {
    Adapter other = adapter == Adapter.POSTGRESQL ? Adapter.DUCKDB : Adapter.POSTGRESQL;
    return new View(target(adapter), caller, target(other));
  }

  /** The policy file's text. */
  String policy() {
    StringBuilder b = new StringBuilder("users:\n");
    for (Caller c : Caller.values()) {
      switch (c.kind) {
        case ADMIN -> b.append("  ").append(c.user).append(": {groups: [admins]}\n");
        case ANALYST -> {
          b.append("  ").append(c.user).append(": {groups: [analysts]");
          if (c.region != null) {
            b.append(", attributes: {region: ").append(yamlString(c.region))
                .append(", tenant_id: ").append(c.tenant).append('}');
          }
          b.append("}\n");
        }
        case OUTSIDER -> {
          // not in the policy
        }
        default -> throw new IllegalStateException(c.kind.name());
      }
    }
    b.append("rules:\n  - {group: admins, allow: read}\n");
    for (Target t : targets.values()) {
      String schema = yamlString(t.schema());
      b.append("  - group: analysts\n")
          .append("    source: ").append(t.source()).append('\n')
          .append("    schema: ").append(schema).append('\n')
          .append("    table: orders\n")
          .append("    allow: read\n")
          .append("    filter: ").append(yamlString(FILTER)).append('\n')
          .append("    columns:\n")
          .append("      card_number: {mask: ").append(yamlString(MASK)).append("}\n")
          .append("      ssn: {allow: false}\n")
          .append("  - {group: analysts, source: ").append(t.source()).append(", schema: ")
          .append(schema).append(", table: \"customers|products\", allow: read}\n");
    }
    return b.toString();
  }

  private static String yamlString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static List<Order> orders() {
    List<Order> out = new ArrayList<>();
    for (int id = 1; id <= ORDER_COUNT; id++) {
      String region = REGIONS.get(id % 3);
      String prefix = switch (region) {
        case "EU" -> "5100";
        case "US" -> "4111";
        default -> "3530";
      };
      String card = prefix + String.format(Locale.ROOT, "%08d%04d", id, (id * 7) % 100);
      String ssn = String.format(Locale.ROOT, "%03d-%02d-%04d", 100 + id % 800, id % 100, id);
      String note = "note " + id + (id % 7 == 0 ? " O'Brien \\ -- /* x" : "");
      out.add(new Order(id, region, TENANTS.get((id / 3) % 3),
          BigDecimal.valueOf(500 + (id % 400) * 125L, 2), card, ssn, note));
    }
    return List.copyOf(out);
  }

  private static List<Customer> customers() {
    List<Customer> out = new ArrayList<>();
    for (int id = 1; id <= 60; id++) {
      out.add(new Customer(id, "customer " + id, REGIONS.get(id % 3)));
    }
    return List.copyOf(out);
  }

  private static List<Secret> secrets() {
    List<Secret> out = new ArrayList<>();
    for (int id = 1; id <= 20; id++) {
      out.add(new Secret(id, id * 3, "s3cr3t-" + id));
    }
    return List.copyOf(out);
  }

  /**
   * Creates and fills the three tables; {@code prefix} is the schema and a dot, or empty.
   * For a baseline ({@code governedFor} set), only what that caller may see.
   */
  private static void load(Connection c, String prefix, String tableOptions,
      Caller governedFor) throws SQLException {
    boolean full = governedFor == null;
    boolean autoCommit = c.getAutoCommit();
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + prefix + "orders (id INTEGER NOT NULL PRIMARY KEY,"
          + " region VARCHAR(8) NOT NULL, tenant_id INTEGER NOT NULL,"
          + " amount DECIMAL(12,2) NOT NULL, card_number VARCHAR(19) NOT NULL,"
          + (full ? " ssn VARCHAR(11) NOT NULL," : "") + " note VARCHAR(200) NOT NULL)"
          + tableOptions);
      // Indexes on a visible and on a hidden column; neither name says which column.
      st.execute("CREATE INDEX orders_idx1 ON " + prefix + "orders (region)");
      if (full) {
        st.execute("CREATE INDEX orders_idx2 ON " + prefix + "orders (ssn)");
      }
      st.execute("CREATE TABLE " + prefix + "customers (id INTEGER NOT NULL PRIMARY KEY,"
          + " name VARCHAR(40) NOT NULL, region VARCHAR(8) NOT NULL)" + tableOptions);
      if (full) {
        st.execute("CREATE TABLE " + prefix + "secrets (id INTEGER NOT NULL PRIMARY KEY,"
            + " order_id INTEGER NOT NULL REFERENCES " + prefix + "orders (id),"
            + " secret VARCHAR(40) NOT NULL)" + tableOptions);
      }
    }
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix
        + "orders VALUES (?, ?, ?, ?, ?, ?" + (full ? ", ?)" : ")"))) {
      for (Order stored : ORDERS) {
        if (!full && !governedFor.sees(stored)) {
          continue;
        }
        Order o = full ? stored : stored.masked();
        int i = 1;
        ps.setInt(i++, o.id());
        ps.setString(i++, o.region());
        ps.setInt(i++, o.tenantId());
        ps.setBigDecimal(i++, o.amount());
        ps.setString(i++, o.card());
        if (full) {
          ps.setString(i++, o.ssn());
        }
        ps.setString(i, o.note());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix
        + "customers VALUES (?, ?, ?)")) {
      for (Customer cu : CUSTOMERS) {
        ps.setInt(1, cu.id());
        ps.setString(2, cu.name());
        ps.setString(3, cu.region());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    if (full) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix
          + "secrets VALUES (?, ?, ?)")) {
        for (Secret s : SECRETS) {
          ps.setInt(1, s.id());
          ps.setInt(2, s.orderId());
          ps.setString(3, s.secret());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    c.commit();
    c.setAutoCommit(autoCommit);
  }

  /**
   * Counts the rows each table holds in each source, read directly (not through
   * Junction): what a refused write must leave as it was.
   */
  public Map<String, Long> storedCounts() throws Exception {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Adapter a : Adapter.values()) {
      try (Connection c = direct(a)) {
        for (String table : List.of("orders", "customers", "secrets")) {
          String name = a == Adapter.POSTGRESQL || a == Adapter.MARIADB
              ? target(a).schema() + "." + table : table;
          try (Statement st = c.createStatement();
               ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + name)) {
            rs.next();
            out.put(a.source + "." + table, rs.getLong(1));
          }
        }
      }
    }
    return out;
  }

  /** What {@link #storedCounts} must be. */
  public static Map<String, Long> expectedCounts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Adapter a : Adapter.values()) {
      out.put(a.source + ".orders", (long) ORDERS.size());
      out.put(a.source + ".customers", (long) CUSTOMERS.size());
      out.put(a.source + ".secrets", (long) SECRETS.size());
    }
    return out;
  }

  private Connection direct(Adapter a) throws SQLException {
    Path dir = catalog.getParent();
    return switch (a) {
      case POSTGRESQL -> pg.connect();
      case MARIADB -> maria.connect();
      case DUCKDB -> {
        // As Junction opens it: a second configuration of one file is refused in one JVM.
        java.util.Properties p = new java.util.Properties();
        p.setProperty("duckdb.read_only", "true");
        p.setProperty("jdbc_stream_results", "true");
        yield DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("attack.duckdb"), p);
      }
      case SQLITE -> DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("attack.db"));
    };
  }

  @Override public void close() throws Exception {
    try (AutoCloseable p = pg; AutoCloseable m = maria) {
      // drops the schema and the database; the files go with the test's directory
    }
  }
}
