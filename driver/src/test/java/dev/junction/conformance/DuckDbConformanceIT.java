package dev.junction.conformance;

import dev.junction.conformance.ConformanceData.ColumnType;
import dev.junction.conformance.ConformanceData.Table;
import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conformance battery on a DuckDB file; regions live in schema {@code b}. */
class DuckDbConformanceIT extends BaseConformanceIT {
  private static final Set<Behavior> BEHAVIORS = EnumSet.of(
      Behavior.PUSHDOWN_NOT_IN_SUBQUERY, Behavior.SUPPORTS_MULTIPLE_SCHEMAS,
      Behavior.PUSHDOWN_RIGHT_JOIN,
      Behavior.PUSHDOWN_FULL_JOIN, Behavior.PUSHDOWN_INTERSECT_EXCEPT,
      Behavior.PUSHDOWN_AGGREGATE_FILTER, Behavior.PUSHDOWN_EXTRACT,
      Behavior.PUSHDOWN_FLOOR_DATE, Behavior.PUSHDOWN_CAST_DATE, Behavior.PUSHDOWN_SEMI_JOIN,
      Behavior.PUSHDOWN_VARIANCE);

  /** A DECIMAL operand widened to 128 bits in a product's exact form. */
  private static final Pattern WIDENED =
      Pattern.compile("CAST\\((\"[^\"]+\"(?:\\.\"[^\"]+\")?) AS DECIMAL\\(38, \\d+\\)\\)");

  @Override protected boolean hasBehavior(Behavior behavior) {
    return BEHAVIORS.contains(behavior);
  }

  /** The exact form widens product operands the optimistic form leaves in 64 bits. */
  @Override protected boolean isExactFormOf(String optimistic, String exact) {
    return !optimistic.equals(exact)
        && WIDENED.matcher(exact).replaceAll("$1").equals(optimistic);
  }

  /**
   * A statement DuckDB computes whole before its first row (here an aggregate) is not
   * streamed, so DuckDB's own error reaches the caller: streamed, its driver replaced it by
   * "Invalid result set".
   */
  @Test
  void aggregateErrorsKeepDuckDbsMessage() throws Exception {
    String sql = "SELECT status, SUM(CAST(status AS INTEGER)) FROM " + SOURCE
        + ".main.orders GROUP BY status";
    java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.sql.SQLException.class, () -> query(junction, sql));
    assertTrue(e.getMessage().contains("Conversion Error"), e.getMessage());
    assertFalse(e.getMessage().contains("Invalid result set"), e.getMessage());
  }

  /**
   * A scan estimated small is computed whole too (DuckDB streams a scan with fewer
   * threads), so its errors also keep DuckDB's message.
   */
  @Test
  void smallScanErrorsKeepDuckDbsMessage() throws Exception {
    String sql = "SELECT CAST(status AS INTEGER) FROM " + SOURCE + ".main.orders";
    java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.sql.SQLException.class, () -> query(junction, sql));
    assertTrue(e.getMessage().contains("Conversion Error"), e.getMessage());
    assertFalse(e.getMessage().contains("Invalid result set"), e.getMessage());
  }

  /**
   * A sum of DECIMAL(10,2) products is sent as DuckDB computes it fastest, in 64 bits;
   * where one product overflows that (98765432.10 squared), Junction sends the product
   * widened to 128 bits before any row has been returned, and answers as the reference.
   */
  @Test
  void decimalProductsRunIn64BitsAndFallBackToExactOnOverflow() throws Exception {
    String all = "SELECT status, SUM(amount * amount) FROM %s GROUP BY status ORDER BY status";
    String small = "SELECT status, SUM(amount * amount) FROM %s WHERE amount < 1000"
        + " GROUP BY status ORDER BY status";
    for (String sql : List.of(all, small)) {
      List<String> sent;
      List<List<Object>> actual;
      try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
        actual = query(junction, String.format(Locale.ROOT, sql, SOURCE + ".main.orders"));
        sent = recorder.sentTo(SOURCE);
      }
      // DuckDB itself fails on the text as written; the reference widens as SQL means.
      String widened = sql.replace("SUM(amount * amount)",
          "SUM(CAST(amount AS DECIMAL(38, 2)) * amount)");
      assertEquals(query(reference, String.format(Locale.ROOT, widened, "orders")), actual);
      assertFalse(sent.get(0).contains("DECIMAL(38"), sent.toString());
      if (sql.equals(all)) {
        assertEquals(2, sent.size(), sent.toString());
        assertTrue(isExactFormOf(sent.get(0), sent.get(1)), sent.toString());
      } else {
        assertEquals(1, sent.size(), sent.toString());
      }
    }
  }

  @Override protected CatalogFile createSource(Path dir) throws Exception {
    Path file = dir.resolve("src.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA b");
      }
      loadTables(c, this::remoteTable);
    }
    return new CatalogFile().duckdb(SOURCE, file);
  }

  private String remoteTable(Table t) {
    return (t.secondSchema() ? "b" : "main") + "." + t.name();
  }

  /** DuckDB keeps row counts itself; ANALYZE refreshes its distinct-value estimates. */
  @Override protected void collectStatistics(Statement st, List<String> tables)
      throws SQLException {
    st.execute("ANALYZE");
  }

  @Override protected String junctionTable(Table t) {
    return SOURCE + "." + remoteTable(t);
  }

  @Override protected void dropSource() {
    // The file lives in the test's temporary directory.
  }

  @Override protected String ddlType(ColumnType type) {
    return switch (type) {
      case INTEGER -> "INTEGER";
      case DECIMAL_10_2 -> "DECIMAL(10,2)";
      case DOUBLE -> "DOUBLE";
      case VARCHAR -> "VARCHAR";
      case DATE -> "DATE";
      case TIMESTAMP -> "TIMESTAMP";
      case BOOLEAN -> "BOOLEAN";
    };
  }
}
