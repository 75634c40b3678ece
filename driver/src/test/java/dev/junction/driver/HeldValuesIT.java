package dev.junction.driver;

import dev.junction.testing.CatalogFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code getObject} of values read straight from Calcite's rows (HeldValues) answers what
 * Avatica's conversions answer: the same classes and values, {@code wasNull} after each
 * read, DATEs as {@link Date}, and the errors of a bad column or a closed result set.
 */
class HeldValuesIT {
  @TempDir
  static Path dir;
  static Path catalog;

  @BeforeAll
  static void setUp() throws Exception {
    Path file = dir.resolve("held.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id BIGINT, i INTEGER, s SMALLINT, amount DECIMAL(10,2),"
          + " dbl DOUBLE, b BOOLEAN, vc VARCHAR, d DATE)");
      st.execute("INSERT INTO t VALUES (4000000000, 7, 3, 1.50, 2.5, true, 'x',"
          + " DATE '2024-02-29'), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    }
    catalog = new CatalogFile().duckdb("duck", file).write(dir);
  }

  @Test
  void valuesAndNullsAsAvaticaAnswersThem() throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT id, i, s, amount, dbl, b, vc, d FROM duck.main.t ORDER BY id NULLS LAST")) {
      assertTrue(rs.next());
      Object[] expected = {4000000000L, 7, (short) 3, new BigDecimal("1.50"), 2.5d, true, "x",
          Date.valueOf("2024-02-29")};
      for (int i = 1; i <= expected.length; i++) {
        Object v = rs.getObject(i);
        assertEquals(expected[i - 1], v, "column " + i);
        assertEquals(expected[i - 1].getClass(), v.getClass(), "column " + i);
        assertFalse(rs.wasNull(), "column " + i);
      }
      assertEquals(4000000000L, rs.getLong(1));
      assertEquals("2024-02-29", rs.getString(8));
      assertTrue(rs.next());
      for (int i = 1; i <= expected.length; i++) {
        assertNull(rs.getObject(i), "column " + i);
        assertTrue(rs.wasNull(), "column " + i);
      }
      assertThrows(SQLException.class, () -> rs.getObject(0));
      assertThrows(SQLException.class, () -> rs.getObject(9));
      assertFalse(rs.next());
    }
  }

  @Test
  void oneColumnAndClosedResultSets() throws Exception {
    try (Connection c = CatalogFile.connect(catalog); Statement st = c.createStatement()) {
      ResultSet rs = st.executeQuery("SELECT amount FROM duck.main.t WHERE id IS NOT NULL");
      assertTrue(rs.next());
      assertEquals(new BigDecimal("1.50"), rs.getObject(1));
      rs.close();
      assertThrows(SQLException.class, () -> rs.getObject(1));
    }
  }
}
