package dev.junction.security;

import dev.junction.security.Attack.Explain;
import dev.junction.security.Attack.Fails;
import dev.junction.security.Attack.Missing;
import dev.junction.security.Attack.Refused;
import dev.junction.security.Attack.Rows;
import dev.junction.security.Attack.RowsOrMissing;
import dev.junction.security.Attack.RowsOrRejected;
import dev.junction.security.PolicyFixture.Caller;
import dev.junction.testing.RemoteSqlRecorder;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs an {@link Attack} as a caller and checks it came to what it must: the caller's
 * rows and nothing else, or the error a nonexistent object gives, or a refusal that sent
 * nothing. Works on any JDBC connection, in-process or through the server.
 */
public final class AttackRunner {
  /** Longest any attack statement may run. */
  public static final int QUERY_TIMEOUT_SECONDS = 120;
  /** A reference to the orders table in SQL a source received. */
  private static final Pattern ORDERS_TABLE = Pattern.compile("(?i)(?<![\\w$])[\"`]?orders"
      + "[\"`]?(?![\\w$])");

  private AttackRunner() {
  }

  /** A result: column labels (null for a metadata probe) and rows. */
  public record Result(List<String> labels, List<List<Object>> rows) {
  }

  /** Runs {@code attack} on {@code c}, which is {@code view.caller()}'s connection. */
  public static void check(Attack attack, View view, Connection c) throws Exception {
    String sql = attack.probe() == null ? view.resolve(attack.text()) : null;
    String context = view + ": " + (sql == null ? attack.text() : printable(sql));
    Attack.Expect expect = attack.expect();
    if (expect instanceof Rows r) {
      Result result;
      try {
        result = run(attack, view, c);
      } catch (SQLException e) {
        throw new AssertionError(context + "\nfailed, expected rows: " + describe(e), e);
      }
      assertRows(r.rows().apply(view), result.rows(), r.ordered(), context);
      if (r.labels() != null && result.labels() != null) {
        assertEquals(r.labels().stream().map(l -> l.toLowerCase(Locale.ROOT)).toList(),
            result.labels().stream().map(l -> l.toLowerCase(Locale.ROOT)).toList(),
            context + "\ncolumns");
      }
    } else if (expect instanceof Missing m) {
      SQLException e = failure(c, sql, context);
      assertFailsLikeNonexistent(c, sql, m.name(), e, context);
    } else if (expect instanceof RowsOrMissing r) {
      Result result;
      try {
        result = run(attack, view, c);
      } catch (SQLException e) {
        assertFailsLikeNonexistent(c, sql, r.name(), e, context);
        return;
      }
      assertRows(r.rows().apply(view), result.rows(), false, context);
    } else if (expect instanceof RowsOrRejected r) {
      try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
        Result result;
        try {
          result = run(attack, view, c);
        } catch (SQLException e) {
          assertEquals(List.of(), recorder.sent(), context + "\nfailed (" + describe(e)
              + ") after asking a source, so the failure may depend on hidden rows");
          return;
        }
        assertRows(r.rows().apply(view), result.rows(), false, context);
      }
    } else if (expect instanceof Refused r) {
      try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
        SQLException e = writeFailure(c, sql, context);
        assertEquals(List.of(), recorder.sent(), context + "\nreached a source");
        assertEquals("42501", e.getSQLState(), context + "\nrefused as " + describe(e));
        if (r.name() != null) {
          String twinSql = twin(sql, r.name());
          SQLException t = writeFailure(c, twinSql, context);
          assertEquals(List.of(), recorder.sent(), context + "\nreached a source");
          assertSameError(e, t, r.name(), twinName(r.name()), context);
        }
      }
    } else if (expect instanceof Fails) {
      try (RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
        writeFailure(c, sql, context);
        assertEquals(List.of(), recorder.sent(), context + "\nreached a source");
      }
    } else if (expect instanceof Explain x) {
      Result result;
      try {
        result = run(attack, view, c);
      } catch (SQLException e) {
        throw new AssertionError(context + "\nfailed, expected a plan: " + describe(e), e);
      }
      checkExplain(x, view.caller(), text(result), context);
    } else {
      throw new IllegalStateException(String.valueOf(expect));
    }
  }

  /** Checks a plan: placeholders shown, the caller's filter values and the mask not. */
  static void checkExplain(Explain x, Caller caller, String plan, String context) {
    String shown = plan.replace("&lt;", "<").replace("&gt;", ">").replace("&#60;", "<")
        .replace("&#62;", ">").replace("\\u003c", "<").replace("\\u003e", ">");
    String where = context + "\nplan:\n" + plan;
    // A caller without attributes has a filter that matches nothing, which may be planned
    // away entirely; only callers with attributes must see the placeholder.
    if (x.filter() && caller.region != null && caller.tenant != null) {
      assertTrue(shown.contains("<row filter>"), "no <row filter> in the plan\n" + where);
    }
    if (x.mask() && caller.region != null && caller.tenant != null) {
      assertTrue(shown.contains("<mask>"), "no <mask> in the plan\n" + where);
    }
    assertFalse(plan.contains("XXXX"), "the mask's text is in the plan\n" + where);
    assertFalse(Pattern.compile("(?i)(?<![\\w$])ssn(?![\\w$])").matcher(plan).find(),
        "the hidden column is in the plan\n" + where);
    if (caller.region != null) {
      assertFalse(plan.contains("'" + caller.region + "'"),
          "the filter's region is in the plan\n" + where);
    }
    if (caller.tenant != null && caller.tenant >= 10) {
      assertFalse(tenantPattern(caller.tenant).matcher(plan).find(),
          "the filter's tenant is in the plan\n" + where);
    }
  }

  /** A tenant value as a literal (42, '42'), not as part of expr#42, $42 or 4200. */
  private static Pattern tenantPattern(int tenant) {
    return Pattern.compile("(?<![\\w#$.])'?" + tenant + "'?(?![\\w.])");
  }

  /**
   * The statements in {@code sent} that read orders without the caller's filter values
   * ({@code 'EU'} and {@code 42} for ana): the filter must travel to the source.
   */
  public static List<String> withoutFilter(List<String> sent, Caller caller) {
    List<String> out = new ArrayList<>();
    for (String sql : sent) {
      if (ORDERS_TABLE.matcher(sql).find() && (!sql.contains("'" + caller.region + "'")
          || caller.tenant >= 10 && !tenantPattern(caller.tenant).matcher(sql).find())) {
        out.add(sql);
      }
    }
    return out;
  }

  /** Runs an attack's query or probe. */
  static Result run(Attack attack, View view, Connection c) throws SQLException {
    if (attack.probe() != null) {
      return new Result(null, attack.probe().run(c, view));
    }
    return query(c, view.resolve(attack.text()));
  }

  /** Runs a query and reads every row, values normalized ({@link #norm}). */
  public static Result query(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      timeout(st);
      try (ResultSet rs = st.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          labels.add(md.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(norm(rs.getObject(i)));
          }
          rows.add(row);
        }
        return new Result(labels, rows);
      }
    }
  }

  private static void timeout(Statement st) throws SQLException {
    try {
      st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
    } catch (SQLFeatureNotSupportedException e) {
      // the socket timeouts still bound it
    }
  }

  private static SQLException failure(Connection c, String sql, String context) {
    try {
      Result r = query(c, sql);
      throw new AssertionError(context + "\nexpected the error a nonexistent object gives,"
          + " but it returned " + r.rows().size() + " rows: " + first(r.rows(), 5));
    } catch (SQLException e) {
      return e;
    }
  }

  private static SQLException writeFailure(Connection c, String sql, String context) {
    try (Statement st = c.createStatement()) {
      timeout(st);
      st.execute(sql);
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError(context + "\nexpected a refusal, but it ran");
  }

  /** The same query naming a nonexistent object instead must fail the same way. */
  private static void assertFailsLikeNonexistent(Connection c, String sql, String name,
      SQLException e, String context) {
    String twinSql = twin(sql, name);
    SQLException t;
    try {
      Result r = query(c, twinSql);
      throw new AssertionError(context + "\nthe twin query " + printable(twinSql)
          + " returned " + r.rows().size() + " rows; the attack is wrong");
    } catch (SQLException x) {
      t = x;
    }
    assertSameError(e, t, name, twinName(name), context);
  }

  private static void assertSameError(SQLException e, SQLException t, String name,
      String twin, String context) {
    String where = context + "\nerror:      " + describe(e) + "\nnonexistent " + twin + ": "
        + describe(t);
    assertEquals(t.getSQLState(), e.getSQLState(), "SQLState differs\n" + where);
    assertEquals(t.getClass(), e.getClass(), "exception type differs\n" + where);
    assertEquals(normalize(t.getMessage(), name, twin), normalize(e.getMessage(), name, twin),
        "message differs\n" + where);
  }

  private static String normalize(String message, String name, String twin) {
    // The server tags each error with an id of its own.
    String m = String.valueOf(message).replaceAll("\\(error id [0-9a-f]+\\)", "(error id)");
    m = Pattern.compile(Pattern.quote(name), Pattern.CASE_INSENSITIVE).matcher(m)
        .replaceAll("<name>");
    m = Pattern.compile(Pattern.quote(twin), Pattern.CASE_INSENSITIVE).matcher(m)
        .replaceAll("<name>");
    return m;
  }

  /** {@code sql} with each whole-word occurrence of {@code name} replaced by its twin. */
  static String twin(String sql, String name) {
    Matcher m = Pattern.compile("(?<![A-Za-z0-9_$])" + Pattern.quote(name)
        + "(?![A-Za-z0-9_$])").matcher(sql);
    String out = m.replaceAll(Matcher.quoteReplacement(twinName(name)));
    if (out.equals(sql)) {
      throw new IllegalArgumentException("'" + name + "' is not in " + sql);
    }
    return out;
  }

  /** A name nothing has, as long as {@code name} and cased alike: ssn to qqq, SSN to QQQ. */
  static String twinName(String name) {
    StringBuilder b = new StringBuilder();
    for (char ch : name.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        b.append('Q');
      } else if (Character.isLowerCase(ch)) {
        b.append('q');
      } else if (Character.isDigit(ch)) {
        b.append('7');
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  /** Numbers as plain decimals without trailing zeros; everything else as it is. */
  public static Object norm(Object v) {
    if (v instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    return v;
  }

  /** A row of normalized values; null allowed. */
  public static List<Object> row(Object... values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) {
      out.add(norm(v));
    }
    return out;
  }

  /** Compares rows, reporting what came back that should not have. */
  public static void assertRows(List<List<Object>> expected, List<List<Object>> actual,
      boolean ordered, String context) {
    List<List<Object>> e = new ArrayList<>();
    for (List<Object> r : expected) {
      e.add(row(r.toArray()));
    }
    List<List<Object>> a = new ArrayList<>(actual);
    if (!ordered) {
      Comparator<List<Object>> byText = Comparator.comparing(String::valueOf);
      e.sort(byText);
      a.sort(byText);
    }
    if (e.equals(a)) {
      return;
    }
    List<List<Object>> extra = minus(a, e);
    List<List<Object>> missing = minus(e, a);
    if (extra.isEmpty() && missing.isEmpty()) {
      fail(context + "\nrows in the wrong order: expected " + first(e, 10) + " got "
          + first(a, 10));
    }
    fail(context + "\n" + a.size() + " rows, expected " + e.size() + "\nunexpected rows ("
        + extra.size() + "): " + first(extra, 10) + "\nmissing rows (" + missing.size()
        + "): " + first(missing, 10));
  }

  private static List<List<Object>> minus(List<List<Object>> a, List<List<Object>> b) {
    Map<List<Object>, Integer> counts = new HashMap<>();
    b.forEach(r -> counts.merge(r, 1, Integer::sum));
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> r : a) {
      Integer n = counts.get(r);
      if (n == null || n == 0) {
        out.add(r);
      } else {
        counts.put(r, n - 1);
      }
    }
    return out;
  }

  private static String first(List<List<Object>> rows, int n) {
    return rows.size() <= n ? rows.toString() : rows.subList(0, n) + "...";
  }

  /** The plan text: every value of every row. */
  static String text(Result r) {
    StringBuilder b = new StringBuilder();
    for (List<Object> row : r.rows()) {
      for (Object v : row) {
        b.append(v).append('\n');
      }
    }
    return b.toString();
  }

  /** The SQLState, type and message of an error. */
  public static String describe(SQLException e) {
    return e.getClass().getSimpleName() + " [" + e.getSQLState() + "] " + e.getMessage();
  }

  /** SQL with control characters shown. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char ch : s.toCharArray()) {
      b.append(ch < 32 && ch != '\n' ? String.format(Locale.ROOT, "<%02x>", (int) ch)
          : String.valueOf(ch));
    }
    return b.toString();
  }

  /** Rows of one value each. */
  public static List<List<Object>> column(List<?> values) {
    List<List<Object>> out = new ArrayList<>();
    for (Object v : values) {
      out.add(row(v));
    }
    return out;
  }

  /** One row. */
  public static List<List<Object>> one(Object... values) {
    return List.of(row(values));
  }

  /** Rows from arrays. */
  public static List<List<Object>> rows(Object[]... rows) {
    return Arrays.stream(rows).map(AttackRunner::row).toList();
  }
}
