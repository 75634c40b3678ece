package dev.junction.adapters.jdbc;

import dev.junction.spi.QueryScope;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.dialect.AnsiSqlDialect;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@link SourceDataSource} sets on the statements it hands out, over a hand-written
 * fake pool that records the calls (no database is needed to see them).
 */
class SourceDataSourceTest {
  private final List<String> calls = new ArrayList<>();

  /** The source whose errors and reachability the data source reports to. */
  private static final JdbcSource SOURCE = new JdbcSource(new JdbcSourceAdapter() {
    @Override public String type() {
      return "test";
    }

    @Override public SqlDialect dialect() {
      return AnsiSqlDialect.DEFAULT;
    }

    @Override protected String driverClassName() {
      return "none";
    }
  }, new SourceSpec("s", "test", Map.of(), List.of(), List.of(), Map.of(),
      Duration.ofMinutes(10)));

  @Test
  void statementsStreamWithTheAdaptersFetchSize() throws SQLException {
    SourceDataSource ds = new SourceDataSource("s", new RecordingPool(), 1000,
        QueryScope.Canceller.JDBC, SOURCE);
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.getMaxRows();
    }
    assertEquals(List.of("createStatement", "setFetchSize 1000", "getMaxRows", "close",
        "close"), calls);
  }

  @Test
  void resultsFetchedWholeGetNoFetchSize() throws SQLException {
    SourceDataSource ds = new SourceDataSource("s", new RecordingPool(), 1000,
        QueryScope.Canceller.JDBC, SOURCE);
    try (Connection c = ds.getConnection(null, true); Statement st = c.createStatement()) {
      st.getMaxRows();
    }
    assertEquals(List.of("createStatement", "getMaxRows", "close", "close"), calls);
  }

  @Test
  void aSessionRunsOnThePoolsOwnConnectionUnlessThePoolKeepsIt() throws SQLException {
    SourceDataSource ds = new SourceDataSource("s", new RecordingPool(), 0,
        QueryScope.Canceller.JDBC, SOURCE);
    try (Connection c = ds.getConnection("SET x = 1", false)) {
      calls.add("borrowed");
    }
    assertEquals(List.of("createStatement", "execute SET x = 1", "close", "borrowed",
        "close"), calls);
  }

  /**
   * A statement sent inside a query's scope is handed to the adapter's
   * {@link JdbcSourceAdapter#beforeExecute} first, with the scope's query id (Snowflake sets
   * its QUERY_TAG there); one sent outside any query (metadata reads) is not.
   */
  @Test
  void statementsOfAQueryAreTaggedWithItsIdBeforeTheyAreSent() throws SQLException {
    SourceDataSource ds = new SourceDataSource("s", new RecordingPool(), 0, 0,
        QueryScope.Canceller.JDBC, SOURCE, null,
        (st, queryId) -> calls.add("beforeExecute " + queryId));
    QueryScope scope = new QueryScope();
    scope.identify("q-1", "alice");
    try (QueryScope.Binding ignored = scope.bind();
         Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    }
    scope.release();
    assertEquals(List.of("createStatement", "beforeExecute q-1",
        "execute SELECT 1", "close", "close"), calls);
    calls.clear();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("SELECT 2");
    }
    assertEquals(List.of("createStatement", "execute SELECT 2", "close", "close"), calls);
  }

  /**
   * A streamed result's batches after the first are sized from its first row's width to
   * the adapter's batch bytes, at least the first batch's rows and at most
   * {@link SourceDataSource#MAX_BATCH_ROWS}; a result read whole is left alone.
   */
  @Test
  void batchesAfterTheFirstAreSizedFromTheFirstRow() throws SQLException {
    // The statement's fetch size first, then the result's from its first row.
    // 16 + 8 bytes for the long, 16 + 8,000 for the text: 4 MB holds 521 such rows.
    assertEquals(List.of("setFetchSize 1000", "setFetchSize 1000"),
        fetchSizesSet(new Object[] {1L, "x".repeat(8_000)}, false));
    // 16 + 8 and 16 + 1: 4 MB would hold 102,300 rows.
    assertEquals(List.of("setFetchSize 1000", "setFetchSize 20000"),
        fetchSizesSet(new Object[] {1L, "x"}, false));
    // 16 + 8 and 16 + 400: 4 MB holds 9,532 rows.
    assertEquals(List.of("setFetchSize 1000", "setFetchSize 9532"),
        fetchSizesSet(new Object[] {1L, "x".repeat(400)}, false));
    assertEquals(List.of(), fetchSizesSet(new Object[] {1L, "x"}, true));
  }

  /** The fetch sizes set on a statement and its result, reading two rows of {@code row}. */
  private List<String> fetchSizesSet(Object[] row, boolean whole) throws SQLException {
    calls.clear();
    SourceDataSource ds = new SourceDataSource("s", new RecordingPool(row), 1000, 4L << 20,
        QueryScope.Canceller.JDBC, SOURCE, null, null);
    try (Connection c = ds.getConnection(null, whole); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT a, b FROM t")) {
      while (rs.next()) {
        rs.getObject(2);
      }
    }
    return calls.stream().filter(call -> call.startsWith("setFetchSize")).toList();
  }

  /** A pool whose connections, statements and results record the calls made on them. */
  private final class RecordingPool implements DataSource {
    /** The row each result repeats twice. */
    private final Object[] row;

    RecordingPool() {
      this(new Object[0]);
    }

    RecordingPool(Object[] row) {
      this.row = row;
    }

    @Override public Connection getConnection() {
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            switch (method.getName()) {
              case "createStatement" -> {
                calls.add("createStatement");
                return statement();
              }
              case "close" -> {
                calls.add("close");
                return null;
              }
              case "isClosed" -> {
                return false;
              }
              case "hashCode" -> {
                return System.identityHashCode(proxy);
              }
              case "equals" -> {
                return proxy == args[0];
              }
              default -> throw new UnsupportedOperationException(method.getName());
            }
          });
    }

    private Statement statement() {
      return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Statement.class}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("hashCode")) {
              return System.identityHashCode(proxy);
            }
            if (name.equals("equals")) {
              return proxy == args[0];
            }
            calls.add(args == null ? name : name + " " + args[0]);
            return switch (name) {
              case "getMaxRows", "getFetchSize" -> 0;
              case "execute" -> false;
              case "executeQuery" -> resultSet();
              default -> null;
            };
          });
    }

    private ResultSet resultSet() {
      int[] rows = {0};
      return (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {ResultSet.class}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("setFetchSize")) {
              calls.add(name + " " + args[0]);
            }
            return switch (name) {
              case "next" -> ++rows[0] <= 2;
              case "getObject" -> row[(Integer) args[0] - 1];
              case "getMetaData" -> metaData();
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              case "wasNull", "isClosed" -> false;
              default -> null;
            };
          });
    }

    private ResultSetMetaData metaData() {
      return (ResultSetMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {ResultSetMetaData.class}, (proxy, method, args) ->
              method.getName().equals("getColumnCount") ? row.length : null);
    }

    @Override public Connection getConnection(String username, String password)
        throws SQLException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override public PrintWriter getLogWriter() {
      return null;
    }

    @Override public void setLogWriter(PrintWriter out) {
    }

    @Override public void setLoginTimeout(int seconds) {
    }

    @Override public int getLoginTimeout() {
      return 0;
    }

    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
