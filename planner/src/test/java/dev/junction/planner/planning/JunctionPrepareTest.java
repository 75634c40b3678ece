package dev.junction.planner.planning;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.apache.calcite.jdbc.Driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The errors Junction's preparation raises itself: the planning deadline, and statements
 * that would write, refused before they are planned. Runs Calcite's own JDBC driver over
 * {@link JunctionPrepare}; no source is involved.
 */
class JunctionPrepareTest {
  private static Connection connect(Duration planningTimeout) throws SQLException {
    Driver driver = new Driver(() -> new JunctionPrepare(planningTimeout)) {
    };
    Properties p = new Properties();
    p.setProperty("lex", "JAVA");
    return driver.connect("jdbc:calcite:", p);
  }

  private static JunctionException failure(Duration timeout, String sql) throws SQLException {
    try (Connection c = connect(timeout); Statement st = c.createStatement()) {
      Executable run = () -> st.executeQuery(sql).close();
      Throwable t = assertThrows(Throwable.class, run);
      for (Throwable x = t; x != null; x = x.getCause()) {
        if (x instanceof JunctionException je) {
          return je;
        }
      }
      throw new AssertionError("no JunctionException in", t);
    }
  }

  @Test
  void planningPastTheDeadlineIsAPlanningTimeout() throws Exception {
    JunctionException e = failure(Duration.ZERO, "SELECT a.x FROM (VALUES (1, 2)) a(x, y)"
        + " JOIN (VALUES (1, 2)) b(x, y) ON a.x = b.x JOIN (VALUES (1, 2)) c(x, y)"
        + " ON b.y = c.y JOIN (VALUES (1, 2)) d(x, y) ON c.x = d.y");
    assertEquals(ErrorCode.PLANNING_TIMEOUT, e.code());
    assertTrue(e.getMessage().startsWith("planning the query took longer than 0 s"),
        e.getMessage());
    assertNotNull(e.getCause(), "Calcite's abort is chained");
  }

  @Test
  void planningWithinTheDeadlineSucceeds() throws Exception {
    try (Connection c = connect(Duration.ofSeconds(30)); Statement st = c.createStatement()) {
      var rs = st.executeQuery("SELECT COUNT(*) FROM (VALUES (1), (2)) t(x)");
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1));
    }
  }

  @Test
  void writesAreRefusedBeforePlanning() throws Exception {
    Duration t = Duration.ofSeconds(30);
    assertEquals(ErrorCode.READ_ONLY, failure(t, "INSERT INTO \"metadata\".\"TABLES\""
        + " SELECT * FROM \"metadata\".\"TABLES\"").code());
    assertEquals(ErrorCode.READ_ONLY,
        failure(t, "DELETE FROM \"metadata\".\"TABLES\"").code());
    JunctionException create = failure(t, "/* new */ CREATE TABLE x (i INT)");
    assertEquals(ErrorCode.READ_ONLY, create.code());
    assertEquals("Junction is read-only: CREATE statements are not supported. Write to the"
        + " source database directly.", create.getMessage());
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED,
        failure(t, "ALTER SESSION SET x = 1").code());
  }

  @Test
  void firstWordSkipsBlanksCommentsAndParentheses() {
    assertEquals("INSERT", JunctionPrepare.firstWord("  -- note\n /* x */ (insert into t"));
    assertEquals("SELECT", JunctionPrepare.firstWord("select 1"));
    assertEquals("", JunctionPrepare.firstWord("  "));
  }
}
