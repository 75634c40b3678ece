package dev.junction.adapters.jdbc;

import dev.junction.spi.QueryScope;
import dev.junction.spi.RemoteQueries;
import dev.junction.spi.RemoteStats;

import org.apache.calcite.avatica.util.ByteString;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source Calcite's generated code reads a source through. It decorates the
 * pool so that every statement is reported to {@link RemoteQueries} (pushdown tests and
 * auditing see the exact SQL a source received) and so that values of types SQL has no
 * counterpart for (uuid, json, enums, driver objects) reach Calcite as text, matching
 * {@link TypeMapping}, instead of failing with a ClassCastException at query time.
 *
 * <p>Statements also get the adapter's fetch size, so large results stream; where the
 * adapter names a batch size in bytes ({@link JdbcSourceAdapter#fetchBytes}), the first
 * row's width sets the fetch size of the batches after the first (see
 * {@link SourceResultSet#sizeBatches}). Each
 * connection handed out and each executing statement is registered with the thread's
 * {@link QueryScope}, so cancelling the Junction statement cancels it in the database
 * (with the adapter's {@link QueryScope.Canceller}), and however the Junction statement
 * ends, its connections go back to the pool rolled back. A driver error while connecting,
 * executing or fetching leaves as a classified, redacted {@code JunctionException} that
 * names the source ({@link JdbcSource#queryFailed}).
 *
 * <p>Connections and statements are decorated with dynamic proxies (they see a handful
 * of calls per query); result sets, read once per value, with a written-out
 * {@link ForwardingResultSet}. Everything else passes through untouched.
 */
final class SourceDataSource implements DataSource {
  private final String source;
  private final DataSource pool;
  private final int fetchSize;
  private final long fetchBytes;
  private final QueryScope.Canceller canceller;
  private final JdbcSource errors;
  private final StatementTimeout timeout;
  private final BeforeExecute beforeExecute;
  /** Statements reading ahead on this source that the caller has not reached yet. */
  private final Semaphore readAheads;

  /**
   * Connections of a source's pool that read-ahead never takes, so that the statements a
   * query's caller is reading (a streamed probe side and the inner of a nested loop at
   * once) always find a connection while others of its statements read ahead.
   */
  static final int RESERVED_FOR_CALLER = 2;

  /** Sets a statement timeout in the source's own session, where it has one. */
  @FunctionalInterface
  interface StatementTimeout {
    /** Makes the source end the next statement on {@code c} after {@code seconds}. */
    void apply(Connection c, int seconds) throws SQLException;
  }

  /** Sets per-statement parameters on a statement about to be sent. */
  @FunctionalInterface
  interface BeforeExecute {
    /** Prepares {@code st}, which serves the Junction query {@code queryId}. */
    void apply(Statement st, String queryId) throws SQLException;
  }

  /** {@code errors} classifies and redacts what the source's driver throws. */
  SourceDataSource(String source, DataSource pool, int fetchSize,
      QueryScope.Canceller canceller, JdbcSource errors) {
    this(source, pool, fetchSize, 0, canceller, errors, null, null);
  }

  /**
   * With a source-side statement timeout ({@link JdbcSourceAdapter#statementTimeout}) and
   * per-statement parameters ({@link JdbcSourceAdapter#beforeExecute}), each may be null,
   * and with the size in bytes of the batches a streamed result is fetched in after its
   * first ({@link JdbcSourceAdapter#fetchBytes}), 0 for {@code fetchSize} rows throughout.
   */
  SourceDataSource(String source, DataSource pool, int fetchSize, long fetchBytes,
      QueryScope.Canceller canceller, JdbcSource errors, StatementTimeout timeout,
      BeforeExecute beforeExecute) {
    this.source = source;
    this.pool = pool;
    this.fetchSize = fetchSize;
    this.fetchBytes = fetchBytes;
    this.canceller = canceller;
    this.errors = errors;
    this.timeout = timeout;
    this.beforeExecute = beforeExecute;
    this.readAheads = new Semaphore(readAheadCapacity(pool));
  }

  /**
   * How many statements may read ahead on this source at once, over all queries: the
   * pool's size less {@link #RESERVED_FOR_CALLER}; none for a pool of unknown size.
   */
  static int readAheadCapacity(DataSource pool) {
    int size = pool instanceof HikariDataSource h ? h.getMaximumPoolSize()
        : pool instanceof BoundedPool b ? b.maximumPoolSize() : 0;
    return Math.max(0, size - RESERVED_FOR_CALLER);
  }

  /**
   * Takes a place for one statement to read ahead, or returns false when the source has
   * none free: its read-ahead places are all taken, or its pool could not lend a connection
   * now and still keep {@link #RESERVED_FOR_CALLER} for the callers (the statement then
   * runs when its caller reaches it). A true answer must be matched by one
   * {@link #endReadAhead}.
   */
  boolean tryReadAhead() {
    if (!readAheads.tryAcquire()) {
      return false;
    }
    if (pool instanceof HikariDataSource h) {
      HikariPoolMXBean state = h.getHikariPoolMXBean();
      int free = state == null ? h.getMaximumPoolSize()
          : state.getIdleConnections() + h.getMaximumPoolSize() - state.getTotalConnections()
              - state.getThreadsAwaitingConnection();
      if (free <= RESERVED_FOR_CALLER) {
        readAheads.release();
        return false;
      }
    }
    return true;
  }

  /** Gives back a place taken by {@link #tryReadAhead}. */
  void endReadAhead() {
    readAheads.release();
  }

  /** The undecorated pool, for metadata reads. */
  DataSource pool() {
    return pool;
  }

  /**
   * A connection from the pool. While the pool holds none (before first use, or after
   * the database went away and its connections were dropped), the next connection is
   * opened directly first: a source that refuses or does not answer then fails at once
   * with its driver's own error, instead of after the pool's wait for a connection it
   * keeps retrying in the background, under a message about pool counters.
   */
  Connection pooled() throws SQLException {
    if (pool instanceof HikariDataSource h) {
      HikariPoolMXBean state = h.getHikariPoolMXBean();
      if (state == null || state.getTotalConnections() == 0) {
        // Proves the source answers and accepts the login; the pool then opens its own.
        h.getDataSource().getConnection().close();
      }
    }
    return pool.getConnection();
  }

  @Override public Connection getConnection() throws SQLException {
    return getConnection(null, false);
  }

  /**
   * A connection on which {@code session} (a {@link PushdownDialect#wholeResultSession},
   * or null for none) has run: from the pool's connections kept for it when the pool is a
   * {@link SessionPool}, otherwise run on the driver's own connection, so it is neither
   * recorded nor audited as a query. With {@code fetchAll}, its statements read their
   * results in one piece instead of with the adapter's fetch size.
   */
  Connection getConnection(String session, boolean fetchAll) throws SQLException {
    Connection c;
    try {
      if (session != null && pool instanceof SessionPool sessions) {
        c = sessions.getConnection(session);
      } else {
        c = pooled();
        if (session != null) {
          runSession(c, session);
        }
      }
    } catch (SQLException e) {
      throw errors.unavailable(e);
    }
    errors.reached();
    QueryScope scope = QueryScope.current();
    if (scope != null) {
      scope.borrowed(c);
    }
    Connection wrapped = wrap(Connection.class, c);
    Handler handler = (Handler) Proxy.getInvocationHandler(wrapped);
    handler.scope = scope;
    handler.fetchAll = fetchAll;
    return wrapped;
  }

  private static void runSession(Connection c, String session) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(session);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
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

  /**
   * Intercepts statement creation and execution. Result sets answer
   * {@code getStatement()} with their statement's proxy, and a connection remembers its
   * statements, so that however Calcite closes them (it closes a result set's statement
   * and then the connection) the close is seen and the statement leaves its scope.
   */
  private final class Handler implements InvocationHandler {
    private final Object target;
    private final List<Handler> statements = new ArrayList<>();
    private String preparedSql;
    private QueryScope scope;
    /** A connection's statements read their results in one piece. */
    private boolean fetchAll;
    /** A statement given the adapter's fetch size: its results stream in batches. */
    private boolean streams;
    /** The statement's last run, while its scope measures ({@code EXPLAIN ANALYZE}). */
    private RemoteStats.Execution measured;
    private RemoteStats measuredBy;

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
      String sent = null;
      if (target instanceof Statement && args != null && args.length >= 1
          && args[0] instanceof String sql && name.startsWith("execute")) {
        sent = sql;
      } else if (target instanceof java.sql.PreparedStatement && preparedSql != null
          && name.startsWith("execute") && (args == null || args.length == 0)) {
        sent = preparedSql;
      }
      if (sent != null) {
        RemoteQueries.sent(source, sent);
      }
      if (target instanceof Statement st) {
        track(st, name);
        if (sent != null && timeout != null && st.getQueryTimeout() > 0) {
          try {
            timeout.apply(st.getConnection(), st.getQueryTimeout());
          } catch (SQLException e) {
            throw errors.queryFailed(e);
          }
        }
        if (sent != null && beforeExecute != null && scope != null) {
          try {
            beforeExecute.apply(st, scope.queryId());
          } catch (SQLException e) {
            throw errors.queryFailed(e);
          }
        }
      } else if (target instanceof Connection && name.equals("close")) {
        statements.forEach(Handler::release);
        statements.clear();
        if (scope != null) {
          scope.returned((Connection) target);
        }
      }
      RemoteStats stats = sent != null && scope != null ? scope.stats() : null;
      long started = 0;
      if (stats != null) {
        measured = stats.started(source, sent);
        measuredBy = stats;
        started = stats.ticks();
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof SQLException se
            && (name.startsWith("execute") || name.startsWith("prepare"))) {
          throw errors.queryFailed(se);
        }
        throw e.getCause();
      } finally {
        if (stats != null) {
          measured.executed(stats.ticks() - started);
        }
      }
      if (result instanceof ResultSet rs) {
        Statement statement = target instanceof Statement ? (Statement) proxy : null;
        RemoteStats current = scope == null ? null : scope.stats();
        SourceResultSet read = statement != null && measured != null && current != null
            && current == measuredBy
            ? new MeasuredResultSet(rs, statement, errors, measured, current, source, scope)
            : new SourceResultSet(rs, statement, errors, source, scope);
        if (streams && fetchBytes > 0) {
          read.batchBytes = fetchBytes;
          read.firstBatch = fetchSize;
        }
        return read;
      }
      if (result instanceof Statement st && target instanceof Connection) {
        if (fetchSize > 0 && !fetchAll) {
          st.setFetchSize(fetchSize);
        }
        Object wrapped = wrap(Statement.class, st);
        Handler handler = (Handler) Proxy.getInvocationHandler(wrapped);
        handler.streams = fetchSize > 0 && !fetchAll;
        if (st instanceof java.sql.PreparedStatement && args != null
            && args[0] instanceof String sql) {
          handler.preparedSql = sql;
        }
        statements.add(handler);
        return wrapped;
      }
      return result;
    }

    /** Registers an executing statement with the running query's scope; forgets it on close. */
    private void track(Statement st, String method) throws SQLException {
      if (method.startsWith("execute")) {
        QueryScope current = QueryScope.current();
        if (current != null && current != scope) {
          if (scope != null) {
            scope.closed(st);
          }
          scope = current;
        }
        if (scope != null) {
          scope.opened(st, canceller);
        }
      } else if (method.equals("close")) {
        release();
      }
    }

    /** A statement closed, itself or with its connection: it leaves its scope. */
    private void release() {
      if (scope != null) {
        scope.closed((Statement) target);
      }
    }
  }

  /**
   * A source's result set as Calcite reads it: values normalized to the Java types
   * Calcite expects, and {@code getStatement()} answering the statement's decorator so
   * Calcite's close of it is seen.
   */
  static class SourceResultSet extends ForwardingResultSet {
    private final Statement statement;
    private final JdbcSource errors;
    private final String source;
    private final QueryScope scope;
    /**
     * The query's meter, looked up once: a statement read ahead would otherwise read it
     * per row through the parent scope, whose fields the caller's thread keeps writing.
     */
    private final QueryScope.FetchMeter meter;
    private int columns = -1;
    /** The bytes of one batch after the first, or 0 to keep the statement's fetch size. */
    private long batchBytes;
    /** The rows of the first batch, the least any batch is given. */
    private int firstBatch;
    /** Per DATE column read so far, how {@link #localDate} reads it (see there). */
    private byte[] dayReads;

    SourceResultSet(ResultSet delegate, Statement statement, JdbcSource errors, String source,
        QueryScope scope) {
      super(delegate);
      this.statement = statement;
      this.errors = errors;
      this.source = source;
      this.scope = scope;
      this.meter = scope == null ? null : scope.meter();
    }

    @Override public boolean next() throws SQLException {
      boolean row;
      try {
        row = delegate.next();
      } catch (SQLException e) {
        throw errors.queryFailed(e);
      }
      if (row && batchBytes > 0) {
        sizeBatches();
      }
      if (row && meter != null) {
        meter.fetched(source, meter.wantsBytes() ? rowBytes() : -1);
      }
      return row;
    }

    /**
     * Sets the fetch size of the batches after the first from the width of the first row:
     * {@link #batchBytes} over its estimated size ({@link #rowBytes}), at least the first
     * batch's rows and at most {@link #MAX_BATCH_ROWS}. The first batch stays small, so the
     * first row comes as soon as before; the later ones are large enough that the source
     * is asked for rows a few times rather than once every thousand: pgjdbc waits for each
     * batch before it asks for the next, and PostgreSQL produces nothing in between, so a
     * result read 1,000 rows at a time spent a third of its time waiting (TPC-H orders).
     * A driver that cannot change it keeps the fetch size it has.
     */
    private void sizeBatches() {
      long bytes = batchBytes;
      batchBytes = 0;
      try {
        long rows = bytes / Math.max(1, rowBytes());
        delegate.setFetchSize((int) Math.max(firstBatch, Math.min(MAX_BATCH_ROWS, rows)));
      } catch (SQLException | RuntimeException e) {
        // The rows still come, in batches of the fetch size the statement has.
      }
    }

    /**
     * The current row's estimated size in memory: each value's {@link #sizeOf} plus
     * {@link #VALUE_OVERHEAD} bytes for the object and reference that hold it.
     */
    private long rowBytes() throws SQLException {
      if (columns < 0) {
        columns = delegate.getMetaData().getColumnCount();
      }
      long bytes = 0;
      for (int i = 1; i <= columns; i++) {
        Object v;
        try {
          v = delegate.getObject(i);
        } catch (SQLException | RuntimeException e) {
          v = null;
        }
        bytes += VALUE_OVERHEAD + sizeOf(v);
      }
      return bytes;
    }

    @Override public Object getObject(int column) throws SQLException {
      return normalize(delegate.getObject(column));
    }

    /**
     * The DATE in {@code column} as a {@link LocalDate}, or null. Its first value decides
     * how the column is read: as {@code getObject} returns it when that is a
     * {@code LocalDate} (DuckDB); with {@code getObject(column, LocalDate.class)} when
     * {@code getObject} returns a {@link java.sql.Date} and the typed read gives the same
     * day (pgjdbc and MariaDB parse the day without the calendar arithmetic of a
     * {@code Date}, a third of the time of reading a date through pgjdbc); otherwise
     * through {@link SourceValues#day}.
     */
    LocalDate localDate(int column) throws SQLException {
      byte[] reads = dayReads;
      byte how = reads != null && column < reads.length ? reads[column] : DAY_UNKNOWN;
      if (how == DAY_TYPED) {
        return getObject(column, LocalDate.class);
      }
      Object value = getObject(column);
      if (how == DAY_UNKNOWN && value != null) {
        how = value instanceof LocalDate ? DAY_OBJECT : DAY_CONVERTED;
        if (value instanceof java.sql.Date date) {
          try {
            if (date.toLocalDate().equals(getObject(column, LocalDate.class))) {
              how = DAY_TYPED;
            }
          } catch (SQLException | RuntimeException e) {
            // This driver cannot: the day is read from the Date.
          }
        }
        if (reads == null || column >= reads.length) {
          reads = dayReads = java.util.Arrays.copyOf(reads == null ? new byte[0] : reads,
              column + 1);
        }
        reads[column] = how;
      }
      return value instanceof LocalDate local ? local : SourceValues.day(this, column, value);
    }

    @Override public Object getObject(String column) throws SQLException {
      return normalize(delegate.getObject(column));
    }

    @Override public Statement getStatement() throws SQLException {
      return statement != null ? statement : delegate.getStatement();
    }

    @Override public java.sql.Date getDate(int column) throws SQLException {
      try {
        return delegate.getDate(column);
      } catch (SQLException e) {
        java.time.LocalDateTime t = isoText(delegate, column);
        if (t == null) {
          throw e;
        }
        return java.sql.Date.valueOf(t.toLocalDate());
      }
    }

    @Override public java.sql.Timestamp getTimestamp(int column) throws SQLException {
      try {
        return delegate.getTimestamp(column);
      } catch (SQLException e) {
        java.time.LocalDateTime t = isoText(delegate, column);
        if (t == null) {
          throw e;
        }
        return java.sql.Timestamp.valueOf(t);
      }
    }

    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
      return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
    }
  }

  /**
   * A source's result set read under {@code EXPLAIN ANALYZE}: each fetch is timed and
   * counted, and each value read adds its estimated size ({@link #sizeOf}) to the
   * statement's {@link RemoteStats.Execution}. Only the getters Calcite's generated code
   * calls are measured.
   */
  private static final class MeasuredResultSet extends SourceResultSet {
    private final RemoteStats.Execution execution;
    private final RemoteStats clock;
    private final boolean sizes;

    MeasuredResultSet(ResultSet delegate, Statement statement, JdbcSource errors,
        RemoteStats.Execution execution, RemoteStats clock, String source, QueryScope scope) {
      super(delegate, statement, errors, source, scope);
      this.execution = execution;
      this.clock = clock;
      this.sizes = clock.measuresSizes();
    }

    @Override public boolean next() throws SQLException {
      long started = clock.ticks();
      boolean row = false;
      try {
        row = super.next();
        return row;
      } finally {
        execution.fetched(row, clock.ticks() - started);
      }
    }

    private <T> T read(T value) {
      if (sizes) {
        execution.read(sizeOf(value));
      }
      return value;
    }

    private void readFixed(int size) throws SQLException {
      if (sizes && !delegate.wasNull()) {
        execution.read(size);
      }
    }

    @Override public Object getObject(int column) throws SQLException {
      return read(super.getObject(column));
    }

    @Override public <T> T getObject(int column, Class<T> type) throws SQLException {
      return read(super.getObject(column, type));
    }

    @Override public String getString(int column) throws SQLException {
      return read(super.getString(column));
    }

    @Override public BigDecimal getBigDecimal(int column) throws SQLException {
      return read(super.getBigDecimal(column));
    }

    @Override public byte[] getBytes(int column) throws SQLException {
      return read(super.getBytes(column));
    }

    @Override public java.sql.Array getArray(int column) throws SQLException {
      return read(super.getArray(column));
    }

    @Override public java.sql.Date getDate(int column) throws SQLException {
      return read(super.getDate(column));
    }

    @Override public java.sql.Date getDate(int column, java.util.Calendar calendar)
        throws SQLException {
      return read(super.getDate(column, calendar));
    }

    @Override public java.sql.Time getTime(int column) throws SQLException {
      return read(super.getTime(column));
    }

    @Override public java.sql.Time getTime(int column, java.util.Calendar calendar)
        throws SQLException {
      return read(super.getTime(column, calendar));
    }

    @Override public java.sql.Timestamp getTimestamp(int column) throws SQLException {
      return read(super.getTimestamp(column));
    }

    @Override public java.sql.Timestamp getTimestamp(int column, java.util.Calendar calendar)
        throws SQLException {
      return read(super.getTimestamp(column, calendar));
    }

    @Override public boolean getBoolean(int column) throws SQLException {
      boolean v = super.getBoolean(column);
      readFixed(1);
      return v;
    }

    @Override public byte getByte(int column) throws SQLException {
      byte v = super.getByte(column);
      readFixed(1);
      return v;
    }

    @Override public short getShort(int column) throws SQLException {
      short v = super.getShort(column);
      readFixed(2);
      return v;
    }

    @Override public int getInt(int column) throws SQLException {
      int v = super.getInt(column);
      readFixed(4);
      return v;
    }

    @Override public long getLong(int column) throws SQLException {
      long v = super.getLong(column);
      readFixed(8);
      return v;
    }

    @Override public float getFloat(int column) throws SQLException {
      float v = super.getFloat(column);
      readFixed(4);
      return v;
    }

    @Override public double getDouble(int column) throws SQLException {
      double v = super.getDouble(column);
      readFixed(8);
      return v;
    }
  }

  /** Whether Calcite takes a value of class {@code c} as the driver returns it. */
  private static boolean isPlain(Class<?> c) {
    return c == String.class || c == Long.class || c == Integer.class
        || c == BigDecimal.class || c == Double.class || c == java.time.LocalDate.class
        || c == Boolean.class || c == Short.class || c == Byte.class || c == Float.class
        || c == java.sql.Date.class || c == java.sql.Timestamp.class
        || c == java.time.LocalDateTime.class;
  }

  /**
   * Bytes counted for each value of a row held in memory besides its own size: a Java
   * object's header and the reference to it in the row's array.
   */
  static final long VALUE_OVERHEAD = 16;

  /** How {@link SourceResultSet#localDate} reads a column: not yet decided. */
  private static final byte DAY_UNKNOWN = 0;
  /** {@code getObject} answers a {@link LocalDate}. */
  private static final byte DAY_OBJECT = 1;
  /** {@code getObject(column, LocalDate.class)} answers the same day faster. */
  private static final byte DAY_TYPED = 2;
  /** The day is converted from what {@code getObject} answers. */
  private static final byte DAY_CONVERTED = 3;

  /**
   * The most rows one batch of a streamed result is sized to, however narrow its first
   * row: a bound on what a first row much narrower than the rest can cost, 20 times the
   * usual first batch.
   */
  static final int MAX_BATCH_ROWS = 20_000;

  /**
   * The estimated size of a value as read, in bytes: NULL 0; a boolean or byte 1; other
   * numbers their width (a decimal its unscaled value's bytes); a date 4, a time or
   * timestamp 8; text its UTF-8 length; binary its length; an array the sum of its
   * elements; anything else the UTF-8 length of its text. It measures the values Junction
   * received, not the source protocol's bytes on the wire.
   */
  static long sizeOf(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof String text) {
      return utf8Length(text);
    }
    if (value instanceof Boolean || value instanceof Byte) {
      return 1;
    }
    if (value instanceof Short) {
      return 2;
    }
    if (value instanceof Integer || value instanceof Float) {
      return 4;
    }
    if (value instanceof BigDecimal d) {
      return d.unscaledValue().bitLength() / 8 + 1;
    }
    if (value instanceof java.math.BigInteger i) {
      return i.bitLength() / 8 + 1;
    }
    if (value instanceof Number) {
      return 8;
    }
    if (value instanceof ByteString b) {
      return b.length();
    }
    if (value instanceof byte[] b) {
      return b.length;
    }
    if (value instanceof java.sql.Date || value instanceof java.time.LocalDate) {
      return 4;
    }
    if (value instanceof java.util.Date || value instanceof java.time.temporal.Temporal) {
      return 8;
    }
    if (value instanceof java.sql.Array array) {
      try {
        return array.getArray() instanceof Object[] elements ? sizeOf(elements) : 0;
      } catch (SQLException | RuntimeException e) {
        return 0;
      }
    }
    if (value instanceof Object[] elements) {
      long size = 0;
      for (Object element : elements) {
        size += sizeOf(element);
      }
      return size;
    }
    return utf8Length(value.toString());
  }

  private static long utf8Length(String text) {
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * A DATE or TIMESTAMP value the driver could not parse, read from ISO-8601 text
   * instead: SQLite stores dates as text such as {@code 2024-03-01}, which sqlite-jdbc
   * only parses in its one configured format. Returns null when the value is not ISO
   * text, so the driver's own error stands.
   */
  private static java.time.LocalDateTime isoText(ResultSet rs, int column) {
    try {
      String text = rs.getString(column);
      if (text == null) {
        return null;
      }
      String t = text.trim().replace('T', ' ');
      return t.length() == 10 ? java.time.LocalDate.parse(t).atStartOfDay()
          : java.sql.Timestamp.valueOf(t).toLocalDateTime();
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Turns driver-specific value objects into the Java types Calcite expects. The classes
   * drivers return for most values are recognized by identity first: testing a value
   * against an interface it does not implement ({@code Blob}, {@code Array}) scans its
   * class's interfaces on every call, a sixth of the time Junction added to a bulk fetch.
   */
  static Object normalize(Object value) throws SQLException {
    if (value == null || isPlain(value.getClass())) {
      return value;
    }
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
