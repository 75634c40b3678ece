package dev.junction.driver.demo;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The embedded demo catalog: a DuckDB file of orders and a SQLite file of customers,
 * generated on first use so a federated join works with no server at all.
 *
 * <p>The directory is built under a temporary name and moved into place in one step,
 * so two processes starting at once never see a half-written demo; the loser of the race
 * discards its copy. Data is generated from a fixed seed, so every machine has the same
 * demo.
 */
public final class DemoCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCatalog.class);

  /** Bump when the demo's content changes, so old directories are not reused. */
  static final String VERSION = "demo-v2";
  /** Orders in the DuckDB source. */
  public static final int ORDERS = 300_000;
  /** Customers in the SQLite source. */
  public static final int CUSTOMERS = 20_000;
  /** Products in the DuckDB source. */
  public static final int PRODUCTS = 500;

  private static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "JP", "BR", "IN", "ES",
      "IT", "CA", "NL", "SE"};
  private static final String[] SEGMENTS = {"consumer", "smb", "enterprise", "public"};
  private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald",
      "Frances", "Ken", "Radia", "Tim", "Margaret", "Linus", "Sophie", "John", "Hedy"};
  private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov",
      "Knuth", "Allen", "Thompson", "Perlman", "Berners-Lee", "Hamilton", "Torvalds", "Wilson",
      "Backus", "Lamarr"};

  private DemoCatalog() {
  }

  /** The demo's home: {@code $JUNCTION_HOME} or {@code ~/.junction}. */
  static Path home() {
    String env = System.getenv("JUNCTION_HOME");
    return env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".junction");
  }

  /** Creates the demo if needed and returns its catalog file. */
  public static Path ensure() {
    return ensure(home().resolve(VERSION));
  }

  /** Creates the demo in {@code dir} if needed and returns its catalog file. */
  public static synchronized Path ensure(Path dir) {
    Path catalog = dir.resolve("junction.yaml");
    if (Files.isRegularFile(catalog)) {
      return catalog;
    }
    Path tmp = null;
    try {
      Files.createDirectories(dir.toAbsolutePath().getParent());
      tmp = Files.createTempDirectory(dir.toAbsolutePath().getParent(), VERSION + ".tmp");
      long start = System.nanoTime();
      generate(tmp);
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("created the demo catalog in {} ({} ms)", dir,
            (System.nanoTime() - start) / 1_000_000);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        LOG.debug("another process created the demo first");
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir);
      }
      return catalog;
    } catch (IOException | SQLException e) {
      throw new JunctionException(ErrorCode.INTERNAL, "cannot create the demo catalog in "
          + dir + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null && Files.exists(tmp)) {
        deleteQuietly(tmp);
      }
    }
  }

  private static void generate(Path dir) throws IOException, SQLException {
    generateShop(dir.resolve("shop.duckdb"));
    generateCrm(dir.resolve("crm.db"));
    Files.writeString(dir.resolve("junction.yaml"), "# The Junction demo: orders in DuckDB,"
        + " customers in SQLite.\nsources:\n"
        + "  shop: {type: duckdb, path: shop.duckdb}\n"
        + "  crm: {type: sqlite, path: crm.db}\n", StandardCharsets.UTF_8);
  }

  /** Orders, order lines and products, generated inside DuckDB from a fixed seed. */
  private static void generateShop(Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
         Statement st = c.createStatement()) {
      st.execute("SELECT setseed(0.42)");
      st.execute("CREATE TABLE products (product_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
          + " category VARCHAR NOT NULL, price DECIMAL(10,2) NOT NULL)");
      st.execute("INSERT INTO products SELECT i, 'product ' || i,"
          + " ['books', 'games', 'garden', 'kitchen', 'music', 'tools'][1 + (i % 6)],"
          + " CAST(1 + (hash(i) % 20000) / 100.0 AS DECIMAL(10,2))"
          + " FROM range(1, " + (PRODUCTS + 1) + ") t(i)");
      st.execute("CREATE TABLE orders (order_id BIGINT PRIMARY KEY,"
          + " customer_id INTEGER NOT NULL, order_date DATE NOT NULL, status VARCHAR NOT NULL,"
          + " total DECIMAL(12,2) NOT NULL)");
      st.execute("INSERT INTO orders SELECT i, 1 + (hash(i * 7) % " + CUSTOMERS + "),"
          + " DATE '2023-01-01' + CAST(hash(i * 13) % 730 AS INTEGER),"
          + " ['delivered', 'delivered', 'delivered', 'shipped', 'open', 'cancelled']"
          + "[1 + (hash(i * 17) % 6)::INTEGER],"
          + " CAST((hash(i * 19) % 50000) / 100.0 + 5 AS DECIMAL(12,2))"
          + " FROM range(1, " + (ORDERS + 1) + ") t(i)");
      // Foreign keys give DBeaver's ER diagram its lines; customers live in another source,
      // so orders.customer_id has none.
      st.execute("CREATE TABLE order_items (order_id BIGINT NOT NULL"
          + " REFERENCES orders (order_id), line INTEGER NOT NULL,"
          + " product_id INTEGER NOT NULL REFERENCES products (product_id),"
          + " quantity INTEGER NOT NULL, PRIMARY KEY (order_id, line))");
      st.execute("INSERT INTO order_items SELECT o.order_id, l.line,"
          + " 1 + (hash(o.order_id * 31 + l.line) % " + PRODUCTS + "),"
          + " 1 + (hash(o.order_id * 37 + l.line) % 5)"
          + " FROM orders o, range(1, 4) l(line) WHERE l.line <= 1 + o.order_id % 3");
      st.execute("CREATE INDEX orders_customer ON orders (customer_id)");
      st.execute("COMMENT ON TABLE orders IS 'One row per order; customer_id is a customer"
          + " in crm.main.customers'");
      st.execute("COMMENT ON TABLE order_items IS 'The lines of each order'");
      st.execute("COMMENT ON TABLE products IS 'The product catalogue'");
      st.execute("CHECKPOINT");
    }
  }

  /** Customers in SQLite, inserted in one transaction from a fixed seed. */
  private static void generateCrm(Path file) throws SQLException {
    Random random = new Random(42);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            + " email TEXT NOT NULL, country TEXT NOT NULL, segment TEXT NOT NULL,"
            + " signup_date TEXT NOT NULL)");
        st.execute("CREATE INDEX customers_country ON customers (country)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)")) {
        for (int id = 1; id <= CUSTOMERS; id++) {
          String first = FIRST[random.nextInt(FIRST.length)];
          String last = LAST[random.nextInt(LAST.length)];
          ps.setInt(1, id);
          ps.setString(2, first + " " + last);
          ps.setString(3, (first + "." + last + id + "@example.com")
              .toLowerCase(java.util.Locale.ROOT));
          ps.setString(4, COUNTRIES[random.nextInt(COUNTRIES.length)]);
          ps.setString(5, SEGMENTS[random.nextInt(SEGMENTS.length)]);
          ps.setString(6, java.time.LocalDate.of(2020, 1, 1)
              .plusDays(random.nextInt(1500)).toString());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.debug("cannot delete {}", p);
        }
      });
    } catch (IOException e) {
      LOG.debug("cannot clean up {}", dir);
    }
  }
}
