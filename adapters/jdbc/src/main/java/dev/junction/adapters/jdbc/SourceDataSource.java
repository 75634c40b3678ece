package dev.junction.adapters.jdbc;

import dev.junction.spi.RemoteQueries;

import org.apache.calcite.avatica.util.ByteString;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source Calcite's generated code reads a source through. It decorates the
 * pool so that every statement is reported to {@link RemoteQueries} (pushdown tests and
 * auditing see the exact SQL a source received) and so that values of types SQL has no
 * counterpart for (uuid, json, enums, driver objects) reach Calcite as text, matching
 * {@link TypeMapping}, instead of failing with a ClassCastException at query time.
 *
 * <p>Statements also get the adapter's fetch size, so large results stream.
 *
 * <p>Decoration uses dynamic proxies over the JDBC interfaces Calcite uses: Connection,
 * Statement/PreparedStatement and ResultSet. Everything else passes through untouched.
 */
final class SourceDataSource implements DataSource {
  private final String source;
  private final DataSource pool;
  private final int fetchSize;

  SourceDataSource(String source, DataSource pool, int fetchSize) {
    this.source = source;
    this.pool = pool;
    this.fetchSize = fetchSize;
  }

  /** The undecorated pool, for metadata reads. */
  DataSource pool() {
    return pool;
  }

  @Override public Connection getConnection() throws SQLException {
    return wrap(Connection.class, pool.getConnection());
  }

  @Override public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from the catalog");
  }

  @Override public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return pool.unwrap(iface);
  }

  @Override public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || pool.isWrapperFor(iface);
  }

  @Override public String toString() {
    return "SourceDataSource{" + source + "}";
  }

  private <T> T wrap(Class<T> iface, T target) {
    Class<?>[] ifaces = target instanceof java.sql.PreparedStatement
        ? new Class<?>[] {java.sql.PreparedStatement.class}
        : new Class<?>[] {iface};
    return iface.cast(Proxy.newProxyInstance(SourceDataSource.class.getClassLoader(), ifaces,
        new Handler(target)));
  }

  /** Intercepts statement creation, execution and value reads. */
  private final class Handler implements InvocationHandler {
    private final Object target;
    private String preparedSql;

    Handler(Object target) {
      this.target = target;
    }

    @Override public Object invoke(Object proxy, Method method, Object[] args)
        throws Throwable {
      String name = method.getName();
      if (name.equals("unwrap") && args != null && args[0] instanceof Class<?> c
          && c.isInstance(target)) {
        return target;
      }
      if (target instanceof Statement && args != null && args.length >= 1
          && args[0] instanceof String sql && name.startsWith("execute")) {
        RemoteQueries.sent(source, sql);
      } else if (target instanceof java.sql.PreparedStatement && preparedSql != null
          && name.startsWith("execute") && (args == null || args.length == 0)) {
        RemoteQueries.sent(source, preparedSql);
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        Object text = target instanceof ResultSet rs ? isoText(rs, name, args) : null;
        if (text != null) {
          return text;
        }
        throw e.getCause();
      }
      if (result instanceof ResultSet rs && !(target instanceof ResultSet)) {
        return wrap(ResultSet.class, rs);
      }
      if (result instanceof Statement st && target instanceof Connection) {
        if (fetchSize > 0) {
          st.setFetchSize(fetchSize);
        }
        Object wrapped = wrap(Statement.class, st);
        if (st instanceof java.sql.PreparedStatement && args != null
            && args[0] instanceof String sql) {
          ((Handler) Proxy.getInvocationHandler(wrapped)).preparedSql = sql;
        }
        return wrapped;
      }
      if (target instanceof ResultSet && name.equals("getObject") && args != null
          && args.length == 1) {
        return normalize(result);
      }
      return result;
    }
  }

  /**
   * A DATE or TIMESTAMP read that the driver could not parse, read from ISO-8601 text
   * instead: SQLite stores dates as text such as {@code 2024-03-01}, which sqlite-jdbc
   * only parses in its one configured format. Returns null when the value is not ISO
   * text, so the driver's own error stands.
   */
  private static Object isoText(ResultSet rs, String method, Object[] args) {
    if (args == null || args.length != 1 || !(args[0] instanceof Integer column)) {
      return null;
    }
    try {
      String text = rs.getString(column);
      if (text == null) {
        return null;
      }
      String t = text.trim();
      if (method.equals("getDate") && t.length() >= 10) {
        return java.sql.Date.valueOf(java.time.LocalDate.parse(t.substring(0, 10)));
      }
      if (method.equals("getTimestamp")) {
        return t.length() == 10
            ? java.sql.Timestamp.valueOf(java.time.LocalDate.parse(t).atStartOfDay())
            : java.sql.Timestamp.valueOf(t.replace('T', ' '));
      }
    } catch (SQLException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** Turns driver-specific value objects into the Java types Calcite expects. */
  static Object normalize(Object value) throws SQLException {
    if (value instanceof java.sql.Blob blob) {
      return new ByteString(blob.getBytes(1, (int) blob.length()));
    }
    if (value == null || value instanceof String || value instanceof Number
        || value instanceof Boolean || value instanceof java.util.Date
        || value instanceof java.sql.Array) {
      if (value instanceof java.math.BigInteger bi) {
        return new BigDecimal(bi);
      }
      return value;
    }
    if (value instanceof byte[] bytes) {
      return new ByteString(bytes);
    }
    if (value instanceof java.time.temporal.TemporalAccessor) {
      return value;
    }
    return value.toString();
  }
}
