package dev.junction.planner.planning;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.QueryScope;
import dev.junction.spi.RemoteStats;

import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlExplainFormat;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.impl.SqlParserImpl;
import org.apache.calcite.util.SourceStringReader;

import java.io.Reader;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * {@code EXPLAIN ANALYZE <query>}: runs the query to its end, discarding its rows, and
 * answers one row of text, the plan as {@code EXPLAIN PLAN FOR} shows it followed by what
 * each source did ({@link AnalyzeReport}).
 *
 * <p>Design: Calcite's parser has no ANALYZE. The two words are blanked out of the text
 * (so the positions of errors in the query are those the caller wrote) and the query that
 * remains is parsed by Calcite's own parser and wrapped as an {@link Statement}, Calcite's
 * {@code EXPLAIN PLAN FOR} node, so everything else is what that statement and the query
 * itself get: validation, the access policy, the read-only rule, audit, the plan cache.
 * When preparation reaches the explanation, the optimized plan is compiled as the query
 * itself would be, and the explanation's result runs it. The plan shown is the one that
 * runs; for a caller governed by the policy it is rendered a second time with
 * {@code <row filter>} and {@code <mask>} in place of the policy's expressions
 * ({@link JunctionPrograms#analyzed}), and so are the statements' SQL.
 *
 * <p>Measurements belong to the execution: a {@link RemoteStats} collector is attached to
 * the statement's {@link QueryScope}, which the adapters report to, so concurrent queries
 * never mix. Cancel and query timeout reach the sources through the same scope as for the
 * query itself; between rows the statement's cancel flag is also checked.
 */
final class ExplainAnalyze {
  private ExplainAnalyze() {
  }

  /**
   * Where the words {@code EXPLAIN ANALYZE} that open {@code sql} end (after blanks and
   * comments, in any case), or -1 when the statement is something else.
   */
  static int prefixEnd(String sql) {
    int i = skipBlanks(sql, 0);
    int explain = word(sql, i, "EXPLAIN");
    if (explain < 0) {
      return -1;
    }
    return word(sql, skipBlanks(sql, explain), "ANALYZE");
  }

  private static int word(String sql, int at, String word) {
    int end = at + word.length();
    if (end > sql.length() || !sql.regionMatches(true, at, word, 0, word.length())
        || end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end))
            || sql.charAt(end) == '_' || sql.charAt(end) == '$')) {
      return -1;
    }
    return end;
  }

  private static int skipBlanks(String sql, int from) {
    int i = from;
    int n = sql.length();
    while (i < n) {
      if (Character.isWhitespace(sql.charAt(i))) {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    return i;
  }

  /**
   * A parser for {@code sql}, which opens with {@code EXPLAIN ANALYZE} up to {@code end}:
   * those characters read as blanks (line breaks kept), and the statement parsed is
   * wrapped as a {@link Statement}.
   */
  static SqlParser parser(String sql, int end, SqlParser.Config config) {
    StringBuilder blanked = new StringBuilder(sql);
    for (int i = 0; i < end; i++) {
      char c = blanked.charAt(i);
      if (c != '\n' && c != '\r') {
        blanked.setCharAt(i, ' ');
      }
    }
    return SqlParser.create(blanked.toString(), config.withParserFactory(Parser::new));
  }

  /** Calcite's parser, wrapping the statement it parsed as {@code EXPLAIN ANALYZE}. */
  private static final class Parser extends SqlParserImpl {
    Parser(Reader reader) {
      super(reader);
      if (reader instanceof SourceStringReader r) {
        setOriginalSql(r.getSourceString());
      }
    }

    /**
     * A query or a write becomes the statement explained (writes are refused as they would
     * be on their own); DDL and SET are left as they are, and refused as on their own.
     */
    @Override public SqlNode parseSqlStmtEof() throws Exception {
      SqlNode statement = super.parseSqlStmtEof();
      if (statement.getKind() == SqlKind.EXPLAIN) {
        throw new JunctionException(ErrorCode.INVALID_SQL,
            "EXPLAIN ANALYZE takes a query, not another EXPLAIN");
      }
      if (!statement.isA(SqlKind.QUERY) && !statement.isA(SqlKind.DML)) {
        return statement;
      }
      return new Statement(statement.getParserPosition(), statement, nDynamicParams);
    }
  }

  /** A parsed {@code EXPLAIN ANALYZE}: Calcite's physical, text EXPLAIN of the query. */
  static final class Statement extends SqlExplain {
    Statement(SqlParserPos pos, SqlNode query, int dynamicParams) {
      super(pos, query, SqlExplainLevel.EXPPLAN_ATTRIBUTES.symbol(pos),
          SqlExplain.Depth.PHYSICAL.symbol(pos), SqlExplainFormat.TEXT.symbol(pos),
          dynamicParams);
    }
  }

  /**
   * The prepared statement: its one row is the report, made by running the compiled query.
   */
  static final class Result extends Prepare.PreparedExplain {
    private final String plan;
    private final Bindable<?> query;
    private final UnaryOperator<String> shownSql;

    /**
     * Creates the result.
     *
     * @param plan the plan as the caller may see it
     * @param query the compiled query
     * @param shownSql each remote statement's SQL (as sent, on one line) as the caller may
     *     see it
     */
    Result(RelDataType parameterRowType, RelRoot root, SqlExplainFormat format,
        SqlExplainLevel level, String plan, Bindable<?> query, UnaryOperator<String> shownSql) {
      super(null, parameterRowType, root, format, level);
      this.plan = plan;
      this.query = query;
      this.shownSql = shownSql;
    }

    @Override public String getCode() {
      return plan;
    }

    @Override public Bindable getBindable(Meta.CursorFactory cursorFactory) {
      boolean array = cursorFactory.style == Meta.Style.ARRAY;
      return dataContext -> new AbstractEnumerable<Object>() {
        @Override public Enumerator<Object> enumerator() {
          String report = run(dataContext);
          return Linq4j.singletonEnumerator(array ? new String[] {report} : report);
        }
      };
    }

    /** Runs the query to its end and describes what it did. */
    private String run(DataContext dataContext) {
      QueryScope scope = QueryScope.current();
      QueryScope own = scope == null ? new QueryScope() : null;
      QueryScope measured = scope == null ? own : scope;
      RemoteStats stats = new RemoteStats(System::nanoTime);
      measured.collect(stats);
      AtomicBoolean cancel = DataContext.Variable.CANCEL_FLAG.get(dataContext);
      long started = stats.ticks();
      long rows = 0;
      try (QueryScope.Binding ignored = own == null ? null : own.bind()) {
        checkCancel(cancel);
        try (Enumerator<?> results = query.bind(dataContext).enumerator()) {
          while (results.moveNext()) {
            // Built and dropped: building a row is what reads its values from the sources.
            results.current();
            rows++;
            checkCancel(cancel);
          }
        }
      } finally {
        measured.collect(null);
        if (own != null) {
          own.release();
        }
      }
      return AnalyzeReport.render(plan, stats.executions(), shownSql, rows,
          stats.ticks() - started);
    }

    private static void checkCancel(AtomicBoolean cancel) {
      if (cancel != null && cancel.get()) {
        throw new JunctionException(ErrorCode.QUERY_CANCELLED, "query cancelled");
      }
    }
  }

  /**
   * How a statement's SQL is shown: as sent when the caller may see the policy's
   * expressions ({@code shown} null), otherwise as rendered with placeholders, and never
   * when it was not in the plan (it cannot be rendered safely).
   */
  static UnaryOperator<String> shownSql(Map<String, String> shown) {
    if (shown == null) {
      return UnaryOperator.identity();
    }
    return sql -> shown.getOrDefault(sql,
        "<not shown: the statement is not in the plan as rendered for the caller>");
  }

  /** Text as {@code RemoteStatement#sql()} writes it: on one line. */
  static String oneLine(String sql) {
    return sql.replaceAll("\\s*\\n\\s*", " ");
  }

  /** A number of nanoseconds in milliseconds, one decimal: {@code 12.4 ms}. */
  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
