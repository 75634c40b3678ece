package dev.junction.driver;

import static dev.junction.driver.ErrorAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Every kind of failure reaches a JDBC caller of the driver as the SQLException subclass
 * and SQLState the README's error table documents, with a message that says what
 * happened, names the source, keeps its secrets, and shows no internals
 * ({@link ErrorAssertions}). Runs against real PostgreSQL and MariaDB, and a source on a
 * closed port.
 */
class ErrorsIT {
  private static final String PASSWORD = "Zq8-errors-P4ss-77";

  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;
  static Path catalog;
  static String t;
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".t (id int PRIMARY KEY, v text)",
        "INSERT INTO " + pg.namespace() + ".t VALUES (1, 'a'), (2, '7')",
        "CREATE TABLE " + pg.namespace() + ".big (x int)",
        "INSERT INTO " + pg.namespace() + ".big SELECT i FROM generate_series(1, 3000) i");
    maria.execute("CREATE TABLE gone (id int)", "INSERT INTO gone VALUES (1)",
        "CREATE TABLE big (x int)", "INSERT INTO big SELECT seq FROM seq_1_to_3000");
    catalog = new CatalogFile().postgresql("sales", pg).mariadb("crm", maria)
        .source("down", Map.of("type", "postgresql", "url",
            "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=1", "user", "postgres",
            "password", PASSWORD))
        .write(dir);
    t = "sales." + pg.namespace() + ".t";
  }

  @AfterAll
  static void tearDown() throws Exception {
    EXECUTOR.shutdownNow();
    if (pg != null) {
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

  private static SQLException query(Class<? extends SQLException> type, String state,
      String sql) throws SQLException {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      return fails(type, state, () -> {
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            rs.getObject(1);
          }
        }
      });
    }
  }

  @Test
  void syntaxErrorIs42601WithPosition() throws Exception {
    SQLException e = query(SQLSyntaxErrorException.class, "42601", "SELECT * FORM " + t);
    assertTrue(e.getMessage().startsWith("SQL syntax error: "), e.getMessage());
    // FORM reads as an alias of *, so the parser stumbles on the table name.
    assertTrue(e.getMessage().contains("at line 1, column 15"), e.getMessage());
  }

  @Test
  void unknownTableIs42P01() throws Exception {
    SQLException e = query(SQLSyntaxErrorException.class, "42P01",
        "SELECT * FROM sales." + pg.namespace() + ".nosuchtable");
    assertTrue(e.getMessage().contains("'nosuchtable'"), e.getMessage());
    assertTrue(e.getMessage().contains("source.schema.table"), e.getMessage());
  }

  @Test
  void unknownColumnIs42703() throws Exception {
    SQLException e = query(SQLSyntaxErrorException.class, "42703",
        "SELECT nosuchcolumn FROM " + t);
    assertTrue(e.getMessage().startsWith("Column 'nosuchcolumn' not found"), e.getMessage());
    assertTrue(e.getMessage().contains("(line 1, column 8)"), e.getMessage());
  }

  @Test
  void unknownFunctionIs42883() throws Exception {
    SQLException e = query(SQLSyntaxErrorException.class, "42883",
        "SELECT nosuchfunction(id) FROM " + t);
    assertTrue(e.getMessage().contains("nosuchfunction"), e.getMessage());
  }

  @Test
  void typeMismatchIs42804() throws Exception {
    SQLException e = query(SQLSyntaxErrorException.class, "42804",
        "SELECT * FROM " + t + " WHERE id = DATE '2024-01-01'");
    assertTrue(e.getMessage().startsWith("Cannot apply '='"), e.getMessage());
  }

  @Test
  void writesAreRefusedAs42501BeforePlanning() throws Exception {
    for (String sql : new String[] {
        "INSERT INTO " + t + " VALUES (3, 'c')",
        "UPDATE " + t + " SET v = 'x'",
        "DELETE FROM " + t,
        "MERGE INTO " + t + " d USING " + t + " s ON d.id = s.id"
            + " WHEN MATCHED THEN UPDATE SET v = s.v",
        "CREATE TABLE sales." + pg.namespace() + ".x (i int)",
        "  DROP TABLE " + t,
        "TRUNCATE TABLE " + t}) {
      SQLException e = query(SQLNonTransientException.class, "42501", sql);
      assertTrue(e.getMessage().startsWith("Junction is read-only: "), e.getMessage());
      assertTrue(e.getMessage().contains("Write to the source database directly"),
          e.getMessage());
    }
    try (Connection c = CatalogFile.connect(catalog)) {
      fails(SQLNonTransientException.class, "42501",
          () -> c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?)"));
      fails(SQLNonTransientException.class, "42501",
          () -> c.createStatement().executeUpdate("DELETE FROM " + t + " WHERE id = 1"));
    }
    try (ResultSet rs = pg.connect().createStatement().executeQuery(
        "SELECT COUNT(*) FROM " + pg.namespace() + ".t")) {
      rs.next();
      assertEquals(2, rs.getInt(1), "nothing was written");
    }
  }

  @Test
  void failedCastInTheSourceIs22018NamingTheSource() throws Exception {
    SQLException e = query(SQLDataException.class, "22018",
        "SELECT CAST(v AS INTEGER) FROM " + t);
    assertTrue(e.getMessage().startsWith("source 'sales' (postgresql) "), e.getMessage());
    assertTrue(e.getMessage().contains("SQLState 22P02"), e.getMessage());
  }

  @Test
  void failedCastInJunctionIs22018() throws Exception {
    SQLException e = query(SQLDataException.class, "22018",
        "SELECT CAST(x AS INTEGER) FROM (VALUES ('1'), ('x')) AS v(x)");
    assertTrue(e.getMessage().contains("could not be converted"), e.getMessage());
  }

  @Test
  void sourceRejectingTheQueryIs58000WithItsOwnState() throws Exception {
    String gone = "crm." + maria.namespace() + ".gone";
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT id FROM " + gone)) {
        assertTrue(rs.next());
      }
      maria.execute("DROP TABLE gone");
      SQLException e = fails(SQLNonTransientException.class, "58000",
          () -> st.executeQuery("SELECT id FROM " + gone).close());
      assertTrue(e.getMessage().startsWith("source 'crm' (mysql) failed the query: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("SQLState 42S02, vendor code 1146"), e.getMessage());
    }
  }

  @Test
  void sourceThatIsDownIs08001WithoutPoolCountersOrPassword() throws Exception {
    SQLException e = query(SQLTransientConnectionException.class, "08001",
        "SELECT * FROM down.public.anything");
    assertTrue(e.getMessage().startsWith("source 'down' (postgresql) is unreachable: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("nothing accepts connections at 127.0.0.1:1"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Check the host and port in the source's url, and that"
        + " the database is running"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    for (Throwable c = e; c != null; c = c.getCause()) {
      assertFalse(String.valueOf(c.getMessage()).contains(PASSWORD), String.valueOf(c));
    }
    try (Connection c = CatalogFile.connect(catalog)) {
      SQLException listing = fails(SQLTransientConnectionException.class, "08001",
          () -> c.getMetaData().getSchemas("down", null).close());
      assertTrue(listing.getMessage().startsWith("source 'down' (postgresql) is unreachable"),
          listing.getMessage());
    }
  }

  /** A three-way non-equi join of 3,000 rows, pushed whole: runs for hours. */
  private static String slowQuery(String source, String schema) {
    String big = source + "." + schema + ".big";
    return "SELECT COUNT(*) FROM " + big + " a JOIN " + big + " b ON a.x <> b.x JOIN " + big
        + " c ON b.x <> c.x";
  }

  @Test
  void queryTimeoutIs57014OnPostgreSql() throws Exception {
    queryTimesOut("sales", pg.namespace());
  }

  @Test
  void queryTimeoutIs57014OnMariaDb() throws Exception {
    queryTimesOut("crm", maria.namespace());
  }

  private void queryTimesOut(String source, String schema) throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      // The source gets the whole timeout (Junction rounds Calcite's seconds left up), and
      // its own statement timeout ends the query.
      st.setQueryTimeout(3);
      SQLException e = fails(SQLTimeoutException.class, "57014",
          () -> st.executeQuery(slowQuery(source, schema)).next());
      assertTrue(e.getMessage().startsWith("The query ran longer than its timeout of 3 s"),
          e.getMessage());
      assertTrue(e.getMessage().contains("source '" + source + "'"), e.getMessage());
    }
  }

  @Test
  void cancelIs57014() throws Exception {
    try (Connection c = CatalogFile.connect(catalog)) {
      Statement st = c.createStatement();
      Future<?> running = EXECUTOR.submit(() -> {
        try (ResultSet rs = st.executeQuery(slowQuery("sales", pg.namespace()))) {
          rs.next();
        }
        return null;
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!running.isDone() && activeInPg() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      st.cancel();
      SQLException e = fails(SQLTransientException.class, "57014", () -> {
        try {
          running.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException x) {
          throw x.getCause();
        }
      });
      assertTrue(e.getMessage().startsWith("The query was cancelled by Statement.cancel()"),
          e.getMessage());
      st.close();
    }
  }

  private static long activeInPg() throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
             + " WHERE state = 'active' AND query LIKE '%" + pg.namespace() + "%'"
             + " AND query NOT LIKE '%pg_stat_activity%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void unsetParameterIs07001() throws Exception {
    try (Connection c = CatalogFile.connect(catalog);
         PreparedStatement ps = c.prepareStatement("SELECT v FROM " + t + " WHERE id = ?")) {
      fails(SQLNonTransientException.class, "07001", () -> ps.executeQuery().close());
    }
  }

  @Test
  void setOptionIs0A000() throws Exception {
    SQLException e = query(SQLFeatureNotSupportedException.class, "0A000",
        "ALTER SESSION SET x = 1");
    assertTrue(e.getMessage().contains("connection properties"), e.getMessage());
  }

  @Test
  void theConnectionStaysUsableAfterEachError() throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      fails(SQLSyntaxErrorException.class, "42601", () -> st.executeQuery("SELEC 1"));
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t)) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
    }
  }
}
