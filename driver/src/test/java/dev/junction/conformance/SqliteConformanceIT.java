package dev.junction.conformance;

import dev.junction.conformance.ConformanceData.Table;
import dev.junction.testing.CatalogFile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The conformance battery on a SQLite file. SQLite has one schema, so regions sit next to
 * the other tables. Dates and timestamps are stored as ISO text and booleans as 0/1, the
 * conventions SQLite's own date functions and Junction's SQLite adapter read.
 */
class SqliteConformanceIT extends BaseConformanceIT {
  private static final DateTimeFormatter TIMESTAMP_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final Set<Behavior> BEHAVIORS = EnumSet.of(
      Behavior.PUSHDOWN_NOT_IN_SUBQUERY, Behavior.PUSHDOWN_EXTRACT,
      Behavior.PUSHDOWN_FLOOR_DATE, Behavior.PUSHDOWN_CAST_DATE, Behavior.PUSHDOWN_RIGHT_JOIN,
      Behavior.PUSHDOWN_FULL_JOIN,
      Behavior.PUSHDOWN_INTERSECT_EXCEPT, Behavior.PUSHDOWN_AGGREGATE_FILTER,
      Behavior.PUSHDOWN_VARIANCE, Behavior.PUSHDOWN_SEMI_JOIN);

  @Override protected boolean hasBehavior(Behavior behavior) {
    return BEHAVIORS.contains(behavior);
  }

  @Override protected CatalogFile createSource(Path dir) throws Exception {
    Path file = dir.resolve("src.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      loadTables(c, Table::name);
    }
    return new CatalogFile().sqlite(SOURCE, file);
  }

  @Override protected void collectStatistics(Statement st, List<String> tables)
      throws SQLException {
    st.execute("ANALYZE");
  }

  @Override protected String junctionTable(Table t) {
    return SOURCE + ".main." + t.name();
  }

  @Override protected void dropSource() {
    // The file lives in the test's temporary directory.
  }

  /** SQLite stores DECIMAL values as REAL and sums them in binary floating point. */
  @Override protected double numericTolerance() {
    return 1e-12;
  }

  @Override protected Object bind(Object value) {
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    if (value instanceof LocalDateTime t) {
      return TIMESTAMP_TEXT.format(t);
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return value;
  }
}
