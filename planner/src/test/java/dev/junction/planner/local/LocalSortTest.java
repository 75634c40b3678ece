package dev.junction.planner.local;

import dev.junction.planner.planning.JunctionPrepare;

import org.apache.calcite.DataContext;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Junction's planner ({@link JunctionPrepare}, with {@link LocalSort}) against stock
 * Calcite ({@code EnumerableSort}) on the same in-memory table: every ORDER BY must give
 * the same rows in the same order, ties included, since both sorts keep rows with equal
 * keys in the order they arrive. The table has many ties and NULLs in every sort column.
 * No source is involved.
 */
class LocalSortTest {
  private static final int ROWS = 3000;
  private static Connection junction;
  private static Connection calcite;

  @BeforeAll
  static void connect() throws SQLException {
    Driver junctionDriver = new Driver(() -> new JunctionPrepare(Duration.ofSeconds(60))) {
    };
    junction = withTable(junctionDriver);
    calcite = withTable(new Driver());
  }

  @AfterAll
  static void close() throws SQLException {
    junction.close();
    calcite.close();
  }

  private static Connection withTable(Driver driver) throws SQLException {
    Properties p = new Properties();
    p.setProperty("lex", "JAVA");
    Connection c = driver.connect("jdbc:calcite:", p);
    CalciteConnection cc = c.unwrap(CalciteConnection.class);
    cc.getRootSchema().add("t", new RowsTable(rows()));
    return c;
  }

  /**
   * Rows with few distinct values per column, a NULL in about one of seven, and a unique
   * {@code id} in arrival order, so the order of ties shows in the result.
   */
  private static List<Object[]> rows() {
    Random random = new Random(13);
    String[] names = {"alpha", "Beta", "beta", "gamma", "", "zeta", "Ärger", "delta d"};
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(new Object[] {i,
          nullOr(random, random.nextInt(7) - 3),
          nullOr(random, names[random.nextInt(names.length)]),
          nullOr(random, BigDecimal.valueOf(random.nextInt(41) - 20, 2)),
          nullOr(random, 19_000 + random.nextInt(30)),
          nullOr(random, (double) (random.nextInt(9) - 4) / 2),
          (long) random.nextInt(5) * 1_000_000_000L});
    }
    return rows;
  }

  private static Object nullOr(Random random, Object value) {
    return random.nextInt(7) == 0 ? null : value;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM t ORDER BY grp",
      "SELECT * FROM t ORDER BY grp DESC",
      "SELECT * FROM t ORDER BY grp NULLS FIRST",
      "SELECT * FROM t ORDER BY grp DESC NULLS LAST",
      "SELECT * FROM t ORDER BY grp, name DESC",
      "SELECT * FROM t ORDER BY name NULLS FIRST, amount DESC NULLS LAST",
      "SELECT * FROM t ORDER BY amount DESC NULLS LAST, shipped",
      "SELECT * FROM t ORDER BY shipped DESC, amount NULLS FIRST, ratio DESC",
      "SELECT * FROM t ORDER BY ratio, ts DESC, grp NULLS FIRST",
      "SELECT * FROM t ORDER BY ts",
      "SELECT * FROM t ORDER BY id DESC",
      "SELECT name FROM t ORDER BY name",
      "SELECT name FROM t ORDER BY name DESC NULLS LAST",
      "SELECT id, name FROM t ORDER BY grp * 2 + 1 DESC, UPPER(name)",
      "SELECT * FROM t ORDER BY grp DESC, name OFFSET 10 ROWS FETCH NEXT 25 ROWS ONLY",
      "SELECT * FROM t ORDER BY amount LIMIT 7",
      "SELECT * FROM t ORDER BY grp LIMIT 50",
      "SELECT * FROM t ORDER BY grp DESC NULLS LAST, name OFFSET 100 ROWS FETCH NEXT 1 ROW ONLY",
      "SELECT * FROM t ORDER BY name NULLS FIRST LIMIT 1",
      "SELECT name FROM t ORDER BY name NULLS FIRST LIMIT 450",
      "SELECT * FROM t ORDER BY ratio DESC OFFSET 1000 ROWS FETCH NEXT 1000 ROWS ONLY",
      "SELECT * FROM t ORDER BY ts, grp LIMIT 2999",
      "SELECT * FROM t ORDER BY ts, grp LIMIT 100000",
      "SELECT * FROM t ORDER BY shipped NULLS FIRST OFFSET 2990 ROWS",
      "SELECT * FROM t ORDER BY shipped OFFSET 5000 ROWS",
      "SELECT * FROM t ORDER BY name FETCH FIRST 0 ROWS ONLY",
      "SELECT grp, COUNT(*) AS n, SUM(amount) AS total FROM t GROUP BY grp"
          + " ORDER BY total DESC NULLS FIRST, grp",
      "SELECT * FROM (SELECT * FROM t ORDER BY amount DESC FETCH FIRST 100 ROWS ONLY) s"
          + " ORDER BY name, shipped",
      "SELECT * FROM t WHERE id < 0 ORDER BY grp",
  })
  void sameRowsInTheSameOrderAsCalcite(String sql) throws SQLException {
    List<List<Object>> expected = rows(calcite, sql);
    List<List<Object>> actual = rows(junction, sql);
    assertEquals(expected.size(), actual.size(), "row count");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), "row " + i);
    }
  }

  @Test
  void theTableHasTiesAndNullsInEverySortColumn() throws SQLException {
    List<List<Object>> all = rows(junction, "SELECT COUNT(DISTINCT grp), COUNT(*) - COUNT(grp),"
        + " COUNT(DISTINCT name), COUNT(*) - COUNT(name), COUNT(DISTINCT shipped),"
        + " COUNT(*) - COUNT(shipped) FROM t");
    List<Object> counts = all.get(0);
    for (int i = 0; i < counts.size(); i += 2) {
      assertTrue(((Number) counts.get(i)).longValue() < ROWS / 10, "ties in " + counts);
      assertTrue(((Number) counts.get(i + 1)).longValue() > 0, "nulls in " + counts);
    }
  }

  @Test
  void explainShowsTheLocalSort() throws SQLException {
    String plan = plan(junction, "SELECT * FROM t ORDER BY grp, name DESC");
    assertTrue(plan.contains("LocalSort(sort0=[$1], sort1=[$2], dir0=[ASC], dir1=[DESC])"),
        plan);
    assertFalse(plan.contains("EnumerableSort"), plan);
    assertTrue(plan(calcite, "SELECT * FROM t ORDER BY grp").contains("EnumerableSort"));
  }

  @Test
  void aLimitIsPartOfTheLocalSort() throws SQLException {
    String plan = plan(junction, "SELECT * FROM t ORDER BY grp OFFSET 3 ROWS FETCH NEXT 5 ROWS"
        + " ONLY");
    assertTrue(plan.contains("LocalLimitSort(sort0=[$1], dir0=[ASC], offset=[3], fetch=[5])"),
        plan);
    assertFalse(plan.contains("EnumerableLimit"), plan);
    String offsetOnly = plan(junction, "SELECT * FROM t ORDER BY grp OFFSET 3 ROWS");
    assertTrue(offsetOnly.contains("LocalLimitSort(sort0=[$1], dir0=[ASC], offset=[3])"),
        offsetOnly);
    String noOrder = plan(junction, "SELECT * FROM t LIMIT 5");
    assertTrue(noOrder.contains("EnumerableLimit(fetch=[5])")
        && !noOrder.contains("Local"), noOrder);
  }

  @Test
  void parametersGiveOffsetAndFetch() throws SQLException {
    String sql = "SELECT * FROM t ORDER BY grp, name DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
    for (int[] limit : new int[][] {{0, 10}, {7, 30}, {2990, 50}, {0, 0}, {4000, 1}}) {
      assertEquals(rows(calcite, sql, limit), rows(junction, sql, limit),
          Arrays.toString(limit));
    }
    try (PreparedStatement ps = junction.prepareStatement("EXPLAIN PLAN FOR " + sql)) {
      ps.setInt(1, 1);
      ps.setInt(2, 1);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertTrue(rs.getString(1).contains("LocalLimitSort("), rs.getString(1));
      }
    }
  }

  /**
   * The bounded sort against a full stable sort of the same rows, for many offsets and
   * fetches around the buffer's cut (twice offset + fetch), over inputs with many ties.
   */
  @Test
  void aLimitedSortIsTheSliceOfTheFullSort() {
    Random random = new Random(7);
    Comparator<int[]> byKey = Comparator.comparingInt(r -> r[0]);
    for (int n : new int[] {0, 1, 2, 5, 64, 1000}) {
      List<int[]> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        rows.add(new int[] {random.nextInt(Math.max(1, n / 8)), i});
      }
      List<int[]> sorted = new ArrayList<>(rows);
      sorted.sort(byKey);
      for (int offset : new int[] {0, 1, 3, n / 2, n, n + 1}) {
        for (int fetch : new int[] {0, 1, 2, 10, n, Integer.MAX_VALUE}) {
          List<int[]> actual = LocalSorts.orderBy(Linq4j.asEnumerable(rows),
              r -> r[0], Integer::compare, offset, fetch).toList();
          int from = Math.min(offset, n);
          int to = (int) Math.min(n, (long) offset + fetch);
          List<int[]> expected = sorted.subList(from, Math.max(from, to));
          assertEquals(ids(expected), ids(actual), n + " rows, offset " + offset + ", fetch "
              + fetch);
        }
      }
    }
  }

  private static List<Integer> ids(List<int[]> rows) {
    List<Integer> ids = new ArrayList<>();
    for (int[] r : rows) {
      ids.add(r[1]);
    }
    return ids;
  }

  @Test
  void eachEnumerationSortsTheInputAfresh() throws SQLException {
    Object[][] input = {{3, "c"}, {1, "a"}, {2, "b"}, {1, "z"}};
    List<Object[]> source = new ArrayList<>(Arrays.asList(input));
    Enumerable<Object[]> sorted = LocalSorts.orderBy(Linq4j.asEnumerable(source),
        r -> (Integer) r[0], Integer::compare);
    assertEquals(List.of("a", "z", "b", "c"), sorted.select(r -> r[1]).toList());
    source.add(new Object[] {0, "first"});
    assertEquals(List.of("first", "a", "z", "b", "c"), sorted.select(r -> r[1]).toList());
    assertEquals("c", source.get(0)[1], "the input is not sorted in place");
  }

  private static String plan(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rows(rs);
    }
  }

  private static List<List<Object>> rows(Connection c, String sql, int... parameters)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setInt(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rows(rs);
      }
    }
  }

  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(rs.getObject(i));
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * The test table: {@code id INT NOT NULL} (arrival order), then nullable {@code grp INT},
   * {@code name VARCHAR}, {@code amount DECIMAL(10,2)}, {@code shipped DATE},
   * {@code ratio DOUBLE}, and {@code ts TIMESTAMP NOT NULL}.
   */
  private static final class RowsTable extends AbstractTable implements ScannableTable {
    private final List<Object[]> rows;

    RowsTable(List<Object[]> rows) {
      this.rows = rows;
    }

    @Override public RelDataType getRowType(RelDataTypeFactory f) {
      return f.builder()
          .add("id", SqlTypeName.INTEGER)
          .add("grp", SqlTypeName.INTEGER).nullable(true)
          .add("name", SqlTypeName.VARCHAR).nullable(true)
          .add("amount", SqlTypeName.DECIMAL, 10, 2).nullable(true)
          .add("shipped", SqlTypeName.DATE).nullable(true)
          .add("ratio", SqlTypeName.DOUBLE).nullable(true)
          .add("ts", SqlTypeName.TIMESTAMP)
          .build();
    }

    @Override public Enumerable<Object[]> scan(DataContext root) {
      return Linq4j.asEnumerable(rows);
    }
  }
}
