package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sixteen threads plan and run queries on one catalog (so one set of pools, metadata
 * caches and statistics caches) while another thread keeps refreshing the metadata,
 * which empties those caches under the planners' feet. Every answer must be right and
 * no query may fail.
 */
class ConcurrentPlanningIT {
  private static final int THREADS = 16;
  private static final int ROUNDS = 12;

  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path catalog;

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    String ns = pg.namespace();
    pg.execute("CREATE TABLE " + ns + ".orders (id INTEGER PRIMARY KEY, customer_id INTEGER,"
            + " amount INTEGER)",
        "INSERT INTO " + ns + ".orders SELECT i, i % 100, i % 7 FROM generate_series(1, 5000) i",
        "ANALYZE " + ns + ".orders");
    maria.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, region VARCHAR(10))",
        "INSERT INTO customers SELECT seq, IF(seq % 2 = 0, 'EU', 'US') FROM seq_0_to_99",
        "ANALYZE TABLE customers");
    catalog = new CatalogFile().postgresql("pg", pg).mariadb("my", maria).write(dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try (AutoCloseable p = pg; AutoCloseable m = maria) {
      // closes both, even if one fails
    }
  }

  /** A query and the one number it must answer. */
  private record Query(String sql, long expected) {
  }

  private static List<Query> queries() {
    String orders = "pg." + pg.namespace() + ".orders";
    String customers = "my." + maria.namespace() + ".customers";
    // Expected values computed from the generators above: amount = id % 7 for ids
    // 1..5000, customer_id = id % 100, even customer ids are in EU.
    long sumAmount = 0;
    long euOrders = 0;
    long euAmount = 0;
    for (int i = 1; i <= 5000; i++) {
      sumAmount += i % 7;
      if ((i % 100) % 2 == 0) {
        euOrders++;
        euAmount += i % 7;
      }
    }
    return List.of(
        new Query("SELECT COUNT(*) FROM " + orders, 5000),
        new Query("SELECT SUM(amount) FROM " + orders, sumAmount),
        new Query("SELECT COUNT(*) FROM " + customers + " WHERE region = 'EU'", 50),
        new Query("SELECT COUNT(*) FROM " + orders + " o JOIN " + customers
            + " c ON o.customer_id = c.id WHERE c.region = 'EU'", euOrders),
        new Query("SELECT SUM(o.amount) FROM " + orders + " o JOIN " + customers
            + " c ON o.customer_id = c.id WHERE c.region = 'EU'", euAmount),
        new Query("SELECT COUNT(*) FROM (SELECT customer_id FROM " + orders
            + " GROUP BY customer_id) t", 100));
  }

  @Test
  void sixteenPlannersWhileMetadataRefreshes() throws Exception {
    List<Query> queries = queries();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger refreshes = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    try {
      Future<?> refresher = pool.submit(() -> {
        try (Connection c = CatalogFile.connect(catalog)) {
          JunctionConnection junction = c.unwrap(JunctionConnection.class);
          start.await();
          while (!done.get()) {
            junction.refreshMetadata();
            refreshes.incrementAndGet();
            Thread.sleep(5);
          }
        }
        return null;
      });
      List<Future<?>> planners = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        planners.add(pool.submit(() -> {
          try (Connection c = CatalogFile.connect(catalog)) {
            start.await();
            for (int round = 0; round < ROUNDS; round++) {
              Query q = queries.get((offset + round) % queries.size());
              try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q.sql())) {
                assertTrue(rs.next(), q.sql());
                long got = rs.getLong(1);
                if (got != q.expected()) {
                  failures.add(q.sql() + " answered " + got + ", expected " + q.expected());
                }
                answered.incrementAndGet();
              } catch (Exception e) {
                failures.add(q.sql() + " failed: " + e);
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : planners) {
        f.get(5, TimeUnit.MINUTES);
      }
      done.set(true);
      refresher.get(1, TimeUnit.MINUTES);
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    assertEquals(List.of(), List.copyOf(failures));
    assertEquals(THREADS * ROUNDS, answered.get());
    assertTrue(refreshes.get() > 0, "the metadata was refreshed while queries ran");
  }
}
