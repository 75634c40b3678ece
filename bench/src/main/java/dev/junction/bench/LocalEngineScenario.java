package dev.junction.bench;

import dev.junction.planner.planning.JunctionPrograms;
import dev.junction.planner.planning.JunctionRules;
import dev.junction.spi.ColumnStatistics;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Program;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.Holder;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The local part of cross-source plans: the rows Junction fetches from its sources, then
 * joins, groups and sorts itself, run by three engines side by side in this JVM.
 *
 * <p>Each shape's inputs are what Junction would fetch for a federated TPC-H query (the
 * filters and projections already applied at the source), read once from one DuckDB file
 * into Java memory as {@code Object[]} rows in Calcite's representation, the form rows
 * take after a source's JDBC result set. Then, warm, each engine runs the shape's local
 * SQL over those rows:
 * <ul>
 * <li>Calcite's Enumerable convention, the operators Junction's local plans are made of
 * ({@code EnumerableHashJoin}, {@code EnumerableAggregate}, Junction's {@code LocalSort}
 * and {@code LocalLimitSort}, Calcite's generated code), through a {@code jdbc:calcite:}
 * connection over in-memory scannable tables carrying their row counts, prepared once,
 * planned by Junction's own program ({@link JunctionPrograms#standard()}: its join ordering
 * and hash join build sides) with the planner rules Junction's planner changes: no merge
 * join, and
 * {@link JunctionRules#LOCAL_SORT} for Calcite's sort rule. A plan with a sort runs again
 * with Calcite's own sort operators ({@code EnumerableSort}, and for a sort with a limit
 * Calcite's top-N {@code EnumerableLimitSort}, which neither Calcite's default rules nor
 * Junction's use), timed side by side;</li>
 * <li>an embedded in-memory DuckDB, the rows copied in through its Appender each run (the
 * append is timed and reported apart), then the same SQL; at DuckDB's default thread
 * count and again on one thread, as Enumerable runs;</li>
 * <li>plain Java written for the shape (HashMap join and aggregate, a list sort) over the
 * same boxed rows: a bound on what tuned code for these operators could save.</li>
 * </ul>
 * Every engine's answer is checked against the others' (row count and a sum, or for the
 * sort a hash of the sort key in result order).
 */
final class LocalEngineScenario {
  private static final int WARMUPS = 3;
  private static final Pattern OPERATOR = Pattern.compile("Enumerable(\\w+)|(Local\\w+)");

  private final TpchDatabases db;
  private final double scaleFactor;
  private final int runs;

  LocalEngineScenario(TpchDatabases db, double scaleFactor, int runs) {
    this.db = db;
    this.scaleFactor = scaleFactor;
    this.runs = runs;
  }

  /** One column of a fetched input: its name and JDBC type, precision and scale. */
  private record Column(String name, int jdbcType, int precision, int scale) {
    String ddl() {
      return switch (jdbcType) {
        case Types.BIGINT -> "BIGINT";
        case Types.INTEGER -> "INTEGER";
        case Types.DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
        case Types.DATE -> "DATE";
        default -> "VARCHAR";
      };
    }

    RelDataType type(RelDataTypeFactory f) {
      RelDataType t = switch (jdbcType) {
        case Types.BIGINT -> f.createSqlType(SqlTypeName.BIGINT);
        case Types.INTEGER -> f.createSqlType(SqlTypeName.INTEGER);
        case Types.DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL, precision, scale);
        case Types.DATE -> f.createSqlType(SqlTypeName.DATE);
        default -> f.createSqlType(SqlTypeName.VARCHAR);
      };
      return f.createTypeWithNullability(t, false);
    }
  }

  /**
   * The rows of one input as fetched: BIGINT as Long, INTEGER as Integer, DECIMAL as
   * BigDecimal, DATE as Integer days since 1970 (Calcite's representation), text as String.
   */
  private record Input(String table, List<Column> columns, List<Object[]> rows,
      long[] distinctValues) {
  }

  /**
   * One local workload: the source queries that make its inputs (table name to SQL over
   * the TPC-H file), the local SQL every engine runs, the hand-written equivalent, and how
   * answers are compared: the 1-based result column summed, or hashed in order if
   * {@code ordered}.
   */
  private record Shape(String name, Map<String, String> inputs, String sql,
      Function<Map<String, Input>, List<Object[]>> handWritten, int checkColumn,
      boolean ordered) {
  }

  /** Medians of one shape, in ms, and each engine's answer check. */
  private record Timing(double enumerable, double append, double query, double queryOneThread,
      double duckDbTotal, double handWritten, String enumerableCheck, String duckDbCheck,
      String handCheck, long resultRows, String plan, List<EnumerableRun> sortVariants) {
  }

  /**
   * How the sort of an Enumerable plan is run: by Junction's {@code LocalSort} (with a limit
   * {@code LocalLimitSort}), by Calcite's {@code EnumerableSort} (with a limit, under an
   * {@code EnumerableLimit}), or (a sort with a limit) by Calcite's top-N
   * {@code EnumerableLimitSort}.
   */
  private enum SortOperator {
    LOCAL("LocalSort or LocalLimitSort (Junction)"),
    CALCITE("EnumerableSort (Calcite)"),
    CALCITE_TOP_N("EnumerableLimitSort (Calcite's top-N)");

    private final String label;

    SortOperator(String label) {
      this.label = label;
    }

    /** Changes the planner's rules as Junction's planner does, then for this operator. */
    void configure(RelOptPlanner planner) {
      planner.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
      if (this == LOCAL) {
        planner.removeRule(EnumerableRules.ENUMERABLE_SORT_RULE);
        planner.addRule(JunctionRules.LOCAL_SORT);
      } else if (this == CALCITE_TOP_N) {
        planner.removeRule(EnumerableRules.ENUMERABLE_LIMIT_RULE);
        planner.addRule(EnumerableRules.ENUMERABLE_LIMIT_SORT_RULE);
      }
    }
  }

  /** The Enumerable engine's median time for one shape, its answer check and plan. */
  private record EnumerableRun(SortOperator sort, double ms, String check, String plan) {
  }

  /** The table and the Enumerable plans, as Markdown. */
  String run() throws Exception {
    // A copy of its own: an earlier scenario of the run (passthrough-interleaved) leaves
    // the file open in this process under Junction's settings, and DuckDB refuses a second
    // configuration for one file.
    Path file = db.copy(db.singleDuckDb(), "localengine.duckdb");
    db.releaseGeneratedData();
    MarkdownTable t = new MarkdownTable("shape", ">input rows", ">result rows",
        ">Enumerable ms", ">DuckDB append ms", ">DuckDB query ms", ">DuckDB query ms, 1 thread",
        ">DuckDB append + query ms", ">hand-written ms", ">Enumerable / DuckDB append + query",
        ">Enumerable / DuckDB query", ">Enumerable / hand-written", "answers");
    MarkdownTable sorts = new MarkdownTable("shape", "sort operator", ">Enumerable ms",
        ">over Junction's", "plan", "answers");
    StringBuilder plans = new StringBuilder();
    String duckThreads = "?";
    for (Shape shape : shapes()) {
      System.gc();
      Map<String, Input> inputs = fetch(file, shape);
      long inputRows = inputs.values().stream().mapToLong(i -> i.rows().size()).sum();
      String sizes = inputs.values().stream()
          .map(i -> i.table() + " " + String.format(Locale.ROOT, "%,d", i.rows().size()))
          .collect(Collectors.joining(" x "));
      Timing m;
      try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
        duckThreads = setting(duck, "threads");
        m = measure(shape, inputs, duck, duckThreads);
      }
      String answers = m.enumerableCheck().equals(m.duckDbCheck())
          && m.enumerableCheck().equals(m.handCheck())
          && m.sortVariants().stream().allMatch(v -> v.check().equals(m.enumerableCheck()))
          ? "same"
          : "**MISMATCH** Enumerable " + m.enumerableCheck() + "; DuckDB " + m.duckDbCheck()
              + "; hand-written " + m.handCheck();
      t.row(shape.name() + " (" + sizes + ")", String.format(Locale.ROOT, "%,d", inputRows),
          String.format(Locale.ROOT, "%,d", m.resultRows()), MarkdownTable.ms(m.enumerable()),
          MarkdownTable.ms(m.append()), MarkdownTable.ms(m.query()),
          MarkdownTable.ms(m.queryOneThread()), MarkdownTable.ms(m.duckDbTotal()),
          MarkdownTable.ms(m.handWritten()), MarkdownTable.ratio(m.enumerable(), m.duckDbTotal()),
          MarkdownTable.ratio(m.enumerable(), m.query()),
          MarkdownTable.ratio(m.enumerable(), m.handWritten()), answers);
      for (EnumerableRun v : m.sortVariants()) {
        sorts.row(shape.name(), v.sort().label, MarkdownTable.ms(v.ms()),
            MarkdownTable.ratio(v.ms(), m.sortVariants().get(0).ms()), v.plan(),
            v.check().equals(m.enumerableCheck()) ? "same" : "**MISMATCH** " + v.check());
      }
      plans.append("- ").append(shape.name()).append(": `").append(shape.sql())
          .append("`; Enumerable plan: ").append(m.plan()).append('\n');
      System.err.printf(Locale.ROOT, "localengine %s done: %s%n", shape.name(), m);
    }
    return String.format(Locale.ROOT, "### Local engine: Calcite Enumerable against embedded"
        + " DuckDB%n%nTPC-H SF %s; inputs fetched once into Java memory as rows; in-process;"
        + " median of %d runs after %d warm-ups per engine, the whole result read through"
        + " JDBC (hand-written: built as a list of rows). DuckDB in memory, default threads"
        + " %s; its append (CREATE TABLE and the Appender, every run) and query are each"
        + " the median of their own times, their sum the median of the sums.%n%n", scaleFactor,
        runs, WARMUPS, duckThreads) + t.render() + "\n" + plans
        + String.format(Locale.ROOT, "%nThe sorts of the Enumerable plans, run by Junction's"
        + " operators (as above) and by Calcite's, each prepared apart, their executions"
        + " interleaved on the same rows (ratio: over Junction's time):%n%n") + sorts.render();
  }

  private static List<Shape> shapes() {
    return List.of(
        new Shape("(a) join + group by, Q3-like",
            inputs("orders_a", "SELECT o_orderkey, o_orderdate, o_shippriority FROM orders"
                + " WHERE o_orderdate < DATE '1995-03-15'",
                "lineitem_a", "SELECT l_orderkey, l_extendedprice, l_discount FROM lineitem"
                + " WHERE l_shipdate > DATE '1995-03-15'"),
            "SELECT l_orderkey, o_orderdate, o_shippriority,"
                + " SUM(l_extendedprice * (1 - l_discount)) AS revenue"
                + " FROM lineitem_a JOIN orders_a ON l_orderkey = o_orderkey"
                + " GROUP BY l_orderkey, o_orderdate, o_shippriority",
            LocalEngineScenario::joinAggregate, 4, false),
        new Shape("(b) 3-way join + group by, Q5-like",
            inputs("customer_b", "SELECT c_custkey, c_nationkey FROM customer",
                "orders_b", "SELECT o_orderkey, o_custkey FROM orders"
                + " WHERE o_orderdate >= DATE '1994-01-01' AND o_orderdate < DATE '1995-01-01'",
                "lineitem_b", "SELECT l_orderkey, l_extendedprice, l_discount FROM lineitem"),
            "SELECT c_nationkey, COUNT(*) AS line_count,"
                + " SUM(l_extendedprice * (1 - l_discount)) AS revenue"
                + " FROM lineitem_b JOIN orders_b ON l_orderkey = o_orderkey"
                + " JOIN customer_b ON o_custkey = c_custkey GROUP BY c_nationkey",
            LocalEngineScenario::threeWayJoin, 3, false),
        new Shape("(c) sort on two keys",
            inputs("orders_c", "SELECT o_orderkey, o_custkey, o_orderdate, o_totalprice"
                + " FROM orders"),
            "SELECT o_orderkey, o_custkey, o_orderdate, o_totalprice FROM orders_c"
                + " ORDER BY o_orderdate, o_totalprice DESC",
            in -> sort(in.get("orders_c")), 4, true),
        new Shape("(e) sort on two keys + LIMIT 100",
            inputs("orders_e", "SELECT o_orderkey, o_custkey, o_orderdate, o_totalprice"
                + " FROM orders"),
            "SELECT o_orderkey, o_custkey, o_orderdate, o_totalprice FROM orders_e"
                + " ORDER BY o_orderdate, o_totalprice DESC LIMIT 100",
            in -> sort(in.get("orders_e")).subList(0, 100), 4, true),
        new Shape("(d) group by order key + HAVING, Q18-like",
            inputs("lineitem_d", "SELECT l_orderkey, l_quantity FROM lineitem"),
            "SELECT l_orderkey, SUM(l_quantity) AS quantity FROM lineitem_d"
                + " GROUP BY l_orderkey HAVING SUM(l_quantity) > 300",
            LocalEngineScenario::groupHaving, 2, false));
  }

  private static Map<String, String> inputs(String... nameAndSql) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameAndSql.length; i += 2) {
      m.put(nameAndSql[i], nameAndSql[i + 1]);
    }
    return m;
  }

  /** Reads a shape's inputs from the TPC-H file, once. */
  private static Map<String, Input> fetch(Path file, Shape shape) throws SQLException {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    Map<String, Input> inputs = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, p);
         Statement st = c.createStatement()) {
      for (Map.Entry<String, String> e : shape.inputs().entrySet()) {
        try (ResultSet rs = st.executeQuery(e.getValue())) {
          ResultSetMetaData md = rs.getMetaData();
          List<Column> columns = new ArrayList<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(new Column(md.getColumnName(i), md.getColumnType(i),
                md.getPrecision(i), md.getScale(i)));
          }
          List<Object[]> rows = new ArrayList<>();
          while (rs.next()) {
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
              row[i] = switch (columns.get(i).jdbcType()) {
                case Types.BIGINT -> rs.getLong(i + 1);
                case Types.INTEGER -> rs.getInt(i + 1);
                case Types.DECIMAL -> rs.getBigDecimal(i + 1);
                case Types.DATE -> (int) rs.getObject(i + 1, LocalDate.class).toEpochDay();
                default -> rs.getString(i + 1);
              };
            }
            rows.add(row);
          }
          long[] distinct = new long[columns.size()];
          for (int i = 0; i < distinct.length; i++) {
            Set<Object> values = new HashSet<>();
            for (Object[] row : rows) {
              values.add(row[i]);
            }
            distinct[i] = values.size();
          }
          inputs.put(e.getKey(), new Input(e.getKey(), List.copyOf(columns), rows, distinct));
        }
      }
    }
    return inputs;
  }

  private Timing measure(Shape shape, Map<String, Input> inputs, Connection duck,
      String duckThreads) throws Exception {
    // Enumerable: the statement is prepared (planned and compiled) once, as a warm engine
    // would run it; each execution scans the in-memory rows afresh.
    List<SortOperator> operators = new ArrayList<>(List.of(SortOperator.LOCAL));
    if (sorts(shape, inputs)) {
      operators.add(SortOperator.CALCITE);
      if (shape.sql().contains(" LIMIT ")) {
        operators.add(SortOperator.CALCITE_TOP_N);
      }
    }
    List<EnumerableRun> enumerable = enumerable(shape, inputs, operators);
    EnumerableRun junction = enumerable.get(0);
    List<EnumerableRun> sortVariants = enumerable.size() > 1 ? enumerable : List.of();
    System.gc();
    double[] append = new double[runs];
    double[] query = new double[runs];
    double[] queryOne = new double[runs];
    double[] total = new double[runs];
    String duckDbCheck = null;
    long resultRows = 0;
    for (int i = 0; i < WARMUPS + runs; i++) {
      long start = System.nanoTime();
      for (Input in : inputs.values()) {
        append(duck, in);
      }
      long appended = System.nanoTime();
      try (Statement st = duck.createStatement()) {
        resultRows = WarmRun.drainValues(st.executeQuery(shape.sql()));
      }
      long queried = System.nanoTime();
      try (Statement st = duck.createStatement()) {
        st.execute("SET threads = 1");
        long oneStart = System.nanoTime();
        WarmRun.drainValues(st.executeQuery(shape.sql()));
        long oneEnd = System.nanoTime();
        if (duckDbCheck == null) {
          duckDbCheck = check(st.executeQuery(shape.sql()), shape);
        }
        st.execute("SET threads = " + duckThreads);
        if (i >= WARMUPS) {
          append[i - WARMUPS] = (appended - start) / 1e6;
          query[i - WARMUPS] = (queried - appended) / 1e6;
          total[i - WARMUPS] = (queried - start) / 1e6;
          queryOne[i - WARMUPS] = (oneEnd - oneStart) / 1e6;
        }
      }
    }
    System.gc();
    double[] hand = new double[runs];
    String handCheck = check(shape.handWritten().apply(inputs), shape);
    for (int i = 0; i < WARMUPS + runs; i++) {
      long start = System.nanoTime();
      List<Object[]> result = shape.handWritten().apply(inputs);
      if (result.size() != resultRows) {
        throw new IllegalStateException(shape.name() + ": hand-written gave " + result.size()
            + " rows, DuckDB " + resultRows);
      }
      if (i >= WARMUPS) {
        hand[i - WARMUPS] = (System.nanoTime() - start) / 1e6;
      }
    }
    return new Timing(junction.ms(), WarmRun.median(append), WarmRun.median(query),
        WarmRun.median(queryOne), WarmRun.median(total), WarmRun.median(hand), junction.check(),
        duckDbCheck, handCheck, resultRows, junction.plan(), sortVariants);
  }

  /**
   * Times the Enumerable engine on a shape, once per sort operator (Junction's first): each
   * statement prepared on its own connection with its rules, then the executions of all
   * interleaved, so that a change of load on the shared machine weighs on all alike.
   */
  private List<EnumerableRun> enumerable(Shape shape, Map<String, Input> inputs,
      List<SortOperator> sorts) throws Exception {
    List<Connection> connections = new ArrayList<>();
    List<PreparedStatement> statements = new ArrayList<>();
    List<String> plans = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    try {
      for (SortOperator sort : sorts) {
        Connection c = calcite(inputs);
        connections.add(c);
        try (Hook.Closeable rules =
                 Hook.PLANNER.addThread((Consumer<RelOptPlanner>) sort::configure);
             Hook.Closeable junctionProgram = Hook.PROGRAM.addThread(
                 (Consumer<Holder<Program>>) h -> h.set(JunctionPrograms.standard()));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN PLAN INCLUDING ALL ATTRIBUTES FOR "
                 + shape.sql())) {
          rs.next();
          plans.add(operators(rs.getString(1)));
          System.err.println("localengine " + shape.name() + " Enumerable plan, " + sort.label
              + ":\n" + rs.getString(1));
          PreparedStatement ps = c.prepareStatement(shape.sql());
          statements.add(ps);
          checks.add(check(ps.executeQuery(), shape));
        }
      }
      double[][] times = new double[sorts.size()][runs];
      for (int i = 0; i < WARMUPS + runs; i++) {
        for (int v = 0; v < sorts.size(); v++) {
          long start = System.nanoTime();
          WarmRun.drainValues(statements.get(v).executeQuery());
          if (i >= WARMUPS) {
            times[v][i - WARMUPS] = (System.nanoTime() - start) / 1e6;
          }
        }
      }
      List<EnumerableRun> result = new ArrayList<>();
      for (int v = 0; v < sorts.size(); v++) {
        result.add(new EnumerableRun(sorts.get(v), WarmRun.median(times[v]), checks.get(v),
            plans.get(v)));
      }
      return result;
    } finally {
      for (Connection c : connections) {
        c.close();
      }
      System.gc();
    }
  }

  /** Whether Junction's plan for the shape has a sort of its own. */
  private static boolean sorts(Shape shape, Map<String, Input> inputs) throws SQLException {
    try (Connection c = calcite(inputs);
         Hook.Closeable rules = Hook.PLANNER.addThread(
             (Consumer<RelOptPlanner>) SortOperator.LOCAL::configure);
         Hook.Closeable junctionProgram = Hook.PROGRAM.addThread(
             (Consumer<Holder<Program>>) h -> h.set(JunctionPrograms.standard()));
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + shape.sql())) {
      rs.next();
      return operators(rs.getString(1)).contains("Local");
    }
  }

  /** A {@code jdbc:calcite:} connection whose default schema holds {@code inputs}. */
  private static Connection calcite(Map<String, Input> inputs) throws SQLException {
    Properties p = new Properties();
    p.setProperty("caseSensitive", "false");
    p.setProperty("unquotedCasing", "UNCHANGED");
    Connection c = DriverManager.getConnection("jdbc:calcite:", p);
    CalciteConnection cc = c.unwrap(CalciteConnection.class);
    SchemaPlus local = cc.getRootSchema().add("local", new AbstractSchema());
    for (Input in : inputs.values()) {
      local.add(in.table(), new RowsTable(in));
    }
    cc.setSchema("local");
    return c;
  }

  /** Copies an input into DuckDB through the Appender, replacing the table. */
  private static void append(Connection duck, Input in) throws SQLException {
    try (Statement st = duck.createStatement()) {
      st.execute("CREATE OR REPLACE TABLE " + in.table() + " (" + in.columns().stream()
          .map(c -> c.name() + " " + c.ddl()).collect(Collectors.joining(", ")) + ")");
    }
    int[] types = in.columns().stream().mapToInt(Column::jdbcType).toArray();
    try (DuckDBAppender a = duck.unwrap(DuckDBConnection.class).createAppender("main",
        in.table())) {
      for (Object[] row : in.rows()) {
        a.beginRow();
        for (int i = 0; i < types.length; i++) {
          switch (types[i]) {
            case Types.BIGINT -> a.append((long) (Long) row[i]);
            case Types.INTEGER -> a.append((int) (Integer) row[i]);
            case Types.DECIMAL -> a.append((BigDecimal) row[i]);
            case Types.DATE -> a.appendEpochDays((Integer) row[i]);
            default -> a.append((String) row[i]);
          }
        }
        a.endRow();
      }
    }
  }

  private static String setting(Connection duck, String name) throws SQLException {
    try (Statement st = duck.createStatement();
         ResultSet rs = st.executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The Enumerable operators of a plan, outermost first, each once. */
  private static String operators(String plan) {
    Set<String> ops = new LinkedHashSet<>();
    Matcher m = OPERATOR.matcher(plan);
    while (m.find()) {
      ops.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return String.join(", ", ops);
  }

  /** The answer check of a JDBC result; closes it. */
  private static String check(ResultSet rs, Shape shape) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        Object[] row = new Object[shape.checkColumn()];
        row[shape.checkColumn() - 1] = rs.getBigDecimal(shape.checkColumn());
        rows.add(row);
      }
    }
    return check(rows, shape);
  }

  /** Row count and the check column's sum, or its hash in result order for a sort. */
  private static String check(List<Object[]> rows, Shape shape) {
    BigDecimal sum = BigDecimal.ZERO;
    int hash = 1;
    for (Object[] row : rows) {
      BigDecimal v = (BigDecimal) row[shape.checkColumn() - 1];
      sum = sum.add(v);
      hash = 31 * hash + v.stripTrailingZeros().hashCode();
    }
    return rows.size() + " rows, " + (shape.ordered() ? "order hash " + hash
        : "sum " + sum.stripTrailingZeros().toPlainString());
  }


  /** A DECIMAL(15,2) value in hundredths, exactly. */
  private static long cents(Object decimal) {
    BigDecimal d = (BigDecimal) decimal;
    if (d.scale() != 2) {
      throw new IllegalStateException("expected scale 2: " + d);
    }
    return d.scaleByPowerOfTen(2).longValueExact();
  }

  /** Shape (a) by hand: orders hashed by key, lineitem probing it, revenue per order. */
  private static List<Object[]> joinAggregate(Map<String, Input> in) {
    List<Object[]> orderRows = in.get("orders_a").rows();
    Map<Long, Object[]> orders = new HashMap<>(orderRows.size() * 2);
    for (Object[] o : orderRows) {
      orders.put((Long) o[0], o);
    }
    Map<Long, long[]> revenue = new HashMap<>();
    for (Object[] l : in.get("lineitem_a").rows()) {
      if (orders.containsKey((Long) l[0])) {
        revenue.computeIfAbsent((Long) l[0], k -> new long[1])[0] +=
            cents(l[1]) * (100 - cents(l[2]));
      }
    }
    List<Object[]> result = new ArrayList<>(revenue.size());
    for (Map.Entry<Long, long[]> e : revenue.entrySet()) {
      Object[] o = orders.get(e.getKey());
      result.add(new Object[] {e.getKey(), o[1], o[2], BigDecimal.valueOf(e.getValue()[0], 4)});
    }
    return result;
  }

  /** Shape (b) by hand: customer and orders hashed, lineitem probing, per nation. */
  private static List<Object[]> threeWayJoin(Map<String, Input> in) {
    Map<Long, Long> customerNation = new HashMap<>();
    for (Object[] c : in.get("customer_b").rows()) {
      customerNation.put((Long) c[0], (Long) c[1]);
    }
    Map<Long, Long> orderNation = new HashMap<>();
    for (Object[] o : in.get("orders_b").rows()) {
      Long nation = customerNation.get((Long) o[1]);
      if (nation != null) {
        orderNation.put((Long) o[0], nation);
      }
    }
    Map<Long, long[]> perNation = new HashMap<>();
    for (Object[] l : in.get("lineitem_b").rows()) {
      Long nation = orderNation.get((Long) l[0]);
      if (nation != null) {
        long[] acc = perNation.computeIfAbsent(nation, k -> new long[2]);
        acc[0]++;
        acc[1] += cents(l[1]) * (100 - cents(l[2]));
      }
    }
    List<Object[]> result = new ArrayList<>();
    for (Map.Entry<Long, long[]> e : perNation.entrySet()) {
      result.add(new Object[] {e.getKey(), e.getValue()[0],
          BigDecimal.valueOf(e.getValue()[1], 4)});
    }
    return result;
  }

  /** Shapes (c) and (e) by hand: a copy of the rows sorted by date, then price descending. */
  private static List<Object[]> sort(Input in) {
    List<Object[]> rows = new ArrayList<>(in.rows());
    rows.sort(Comparator.<Object[]>comparingInt(r -> (Integer) r[2])
        .thenComparing(r -> (BigDecimal) r[3], Comparator.reverseOrder()));
    return rows;
  }

  /** Shape (d) by hand: quantity summed per order key, then the HAVING filter. */
  private static List<Object[]> groupHaving(Map<String, Input> in) {
    Map<Long, long[]> quantity = new HashMap<>();
    for (Object[] l : in.get("lineitem_d").rows()) {
      quantity.computeIfAbsent((Long) l[0], k -> new long[1])[0] += cents(l[1]);
    }
    List<Object[]> result = new ArrayList<>();
    for (Map.Entry<Long, long[]> e : quantity.entrySet()) {
      if (e.getValue()[0] > 300_00) {
        result.add(new Object[] {e.getKey(), BigDecimal.valueOf(e.getValue()[0], 2)});
      }
    }
    return result;
  }

  /**
   * An input as a Calcite table: scanned as {@code Object[]} rows, as Junction's source
   * scans hand rows to its local operators, with the statistics Junction's planner reads
   * from a source: the row count, unique columns as keys, and each column's distinct
   * values (counted exactly here, where a source would estimate them).
   */
  private static final class RowsTable extends AbstractTable
      implements ScannableTable, ColumnStatistics {
    private final Input input;

    RowsTable(Input input) {
      this.input = input;
    }

    @Override public RelDataType getRowType(RelDataTypeFactory f) {
      RelDataTypeFactory.Builder b = f.builder();
      for (Column c : input.columns()) {
        b.add(c.name(), c.type(f));
      }
      return b.build();
    }

    @Override public Statistic getStatistic() {
      List<ImmutableBitSet> keys = new ArrayList<>();
      for (int i = 0; i < input.distinctValues().length; i++) {
        if (input.distinctValues()[i] == input.rows().size()) {
          keys.add(ImmutableBitSet.of(i));
        }
      }
      return Statistics.of(input.rows().size(), keys);
    }

    @Override public OptionalDouble distinctValues(int ordinal) {
      return OptionalDouble.of(input.distinctValues()[ordinal]);
    }

    @Override public Enumerable<Object[]> scan(DataContext root) {
      return Linq4j.asEnumerable(input.rows());
    }
  }
}
