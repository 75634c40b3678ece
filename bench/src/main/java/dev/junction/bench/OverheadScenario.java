package dev.junction.bench;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingPostgreSqlServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Per-query overhead over direct PostgreSQL JDBC, in this JVM: a point lookup by primary
 * key and a grouped aggregate on orders, each prepared once and executed many times, and
 * unprepared (a new statement and the SQL text with literals every time). Successive
 * executions use different keys and dates, as an application's would. Every statement
 * has a query timeout, and PostgreSQL a statement timeout, so a run cannot hang on them.
 */
final class OverheadScenario {
  private static final String LOOKUP = "SELECT * FROM %s WHERE o_orderkey = %s";
  private static final String AGGREGATE = "SELECT o_orderpriority, COUNT(*), SUM(o_totalprice)"
      + " FROM %s WHERE o_orderdate >= %s GROUP BY o_orderpriority";
  private static final LocalDate FIRST_DATE = LocalDate.of(1995, 1, 1);
  private static final int LOOKUP_WARMUPS = 100;
  private static final int AGGREGATE_WARMUPS = 3;

  private final TpchDatabases db;
  private final double scaleFactor;
  private final int lookups;
  private final int aggregates;
  private final int timeoutSeconds;
  private long[] keys;

  OverheadScenario(TpchDatabases db, double scaleFactor, int lookups, int aggregates,
      int timeoutSeconds) {
    this.db = db;
    this.scaleFactor = scaleFactor;
    this.lookups = lookups;
    this.aggregates = aggregates;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The table, as Markdown. */
  String run() throws Exception {
    TestingPostgreSqlServer pg = db.singlePostgres(List.of("orders"));
    Path catalog = db.singlePostgresCatalog("catalog-pg");
    String directTable = pg.namespace() + ".orders";
    String junctionTable = "pg." + pg.namespace() + ".orders";
    MarkdownTable t = new MarkdownTable("measure", ">executions", ">direct PostgreSQL JDBC ms",
        ">Junction ms", ">Junction / direct");
    List<String> notes = new ArrayList<>();
    try (Connection d = DriverManager.getConnection(db.postgresUrl(pg), pg.user(),
            pg.password());
         Connection j = CatalogFile.connect(catalog)) {
      keys = keys(d, directTable);
      row(t, "Point lookup `WHERE o_orderkey = ?`, prepared once, executed many times",
          lookups, prepared(d, directTable, LOOKUP, LOOKUP_WARMUPS, lookups, this::bindKey),
          prepared(j, junctionTable, LOOKUP, LOOKUP_WARMUPS, lookups, this::bindKey));
      row(t, "Point lookup, unprepared (`createStatement` + `executeQuery` each time)",
          lookups, unprepared(d, directTable, LOOKUP, LOOKUP_WARMUPS, lookups, this::key),
          unprepared(j, junctionTable, LOOKUP, LOOKUP_WARMUPS, lookups, this::key));
      double directAggregate = prepared(d, directTable, AGGREGATE, AGGREGATE_WARMUPS,
          aggregates, this::bindDate);
      String binding = "`setDate`";
      double junctionAggregate;
      try {
        junctionAggregate = prepared(j, junctionTable, AGGREGATE, AGGREGATE_WARMUPS,
            aggregates, this::bindDate);
      } catch (SQLException e) {
        // A bug in Junction, not a reason to lose the other numbers: say so, and measure
        // with the other way of binding a date.
        notes.add("**ERROR** Junction, prepared aggregate with the date bound by `setDate`: "
            + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
        binding = "`setObject(LocalDate)`";
        junctionAggregate = prepared(j, junctionTable, AGGREGATE, AGGREGATE_WARMUPS,
            aggregates, this::bindLocalDate);
      }
      row(t, "Grouped aggregate on orders (`GROUP BY o_orderpriority`), prepared once, date"
          + " bound with " + binding, aggregates, directAggregate, junctionAggregate);
      row(t, "Grouped aggregate, unprepared", aggregates, unprepared(d, directTable, AGGREGATE,
          AGGREGATE_WARMUPS, aggregates, this::date), unprepared(j, junctionTable, AGGREGATE,
          AGGREGATE_WARMUPS, aggregates, this::date));
    }
    return String.format(Locale.ROOT, "### Per-query overhead over direct PostgreSQL JDBC%n%n"
        + "TPC-H SF %s orders in one PostgreSQL schema; Junction with a catalog of that one"
        + " source, in-process; median time of one execution (after %d warm-up executions for"
        + " lookups, %d for aggregates), the whole result read; ratio = Junction time / direct"
        + " time, above 1 = Junction slower.%n%n", scaleFactor, LOOKUP_WARMUPS,
        AGGREGATE_WARMUPS) + t.render() + notes.stream().map(n -> "\n- " + n)
        .collect(Collectors.joining("", "", notes.isEmpty() ? "" : "\n"));
  }

  private static void row(MarkdownTable t, String measure, int executions, double directMs,
      double junctionMs) {
    t.row(measure, Integer.toString(executions), MarkdownTable.ms(directMs),
        MarkdownTable.ms(junctionMs), MarkdownTable.ratio(junctionMs, directMs));
  }

  /** Keys that exist (TPC-H order keys are sparse), cycled through by the lookups. */
  private static long[] keys(Connection c, String table) throws SQLException {
    List<Long> keys = new ArrayList<>();
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT o_orderkey FROM " + table
             + " ORDER BY o_orderkey LIMIT 1000")) {
      while (rs.next()) {
        keys.add(rs.getLong(1));
      }
    }
    return keys.stream().mapToLong(Long::longValue).toArray();
  }

  private String key(int i) {
    return Long.toString(keys[i % keys.length]);
  }

  private void bindKey(PreparedStatement ps, int i) throws SQLException {
    ps.setLong(1, keys[i % keys.length]);
  }

  private String date(int i) {
    return "DATE '" + FIRST_DATE.plusDays(i % 28) + "'";
  }

  private void bindDate(PreparedStatement ps, int i) throws SQLException {
    ps.setDate(1, Date.valueOf(FIRST_DATE.plusDays(i % 28)));
  }

  private void bindLocalDate(PreparedStatement ps, int i) throws SQLException {
    ps.setObject(1, FIRST_DATE.plusDays(i % 28));
  }

  /** Binds the parameters of execution {@code i}. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps, int i) throws SQLException;
  }

  /** The literal of execution {@code i}. */
  @FunctionalInterface
  private interface Literal {
    String of(int i);
  }

  private double prepared(Connection c, String table, String template, int warmups, int runs,
      Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(String.format(Locale.ROOT, template, table,
        "?"))) {
      ps.setQueryTimeout(timeoutSeconds);
      double[] times = new double[runs];
      for (int i = 0; i < warmups + runs; i++) {
        long start = System.nanoTime();
        binder.bind(ps, i);
        drain(ps.executeQuery());
        if (i >= warmups) {
          times[i - warmups] = (System.nanoTime() - start) / 1e6;
        }
      }
      return WarmRun.median(times);
    }
  }

  private double unprepared(Connection c, String table, String template, int warmups, int runs,
      Literal literal) throws SQLException {
    double[] times = new double[runs];
    for (int i = 0; i < warmups + runs; i++) {
      long start = System.nanoTime();
      try (Statement st = c.createStatement()) {
        st.setQueryTimeout(timeoutSeconds);
        drain(st.executeQuery(String.format(Locale.ROOT, template, table, literal.of(i))));
      }
      if (i >= warmups) {
        times[i - warmups] = (System.nanoTime() - start) / 1e6;
      }
    }
    return WarmRun.median(times);
  }


  /** Reads every value of every row, as a client would. */
  private static void drain(ResultSet rs) throws SQLException {
    try (rs) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
      }
    }
  }
}
