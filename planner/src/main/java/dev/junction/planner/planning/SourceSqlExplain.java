package dev.junction.planner.planning;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcImplementor;
import org.apache.calcite.adapter.jdbc.JdbcToEnumerableConverter;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.externalize.RelWriterImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlExplainFormat;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.util.Pair;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@code EXPLAIN PLAN FOR}: Calcite's plan text where every hand-off to a
 * source also shows the source's name and the exact SQL sent to it, so a user can see
 * what is pushed down without reading a debug log.
 */
final class SourceSqlExplain extends Prepare.PreparedExplain {
  private final RelRoot root;
  private final SqlExplainFormat format;
  private final SqlExplainLevel level;

  SourceSqlExplain(RelDataType rowType, RelDataType parameterRowType, RelRoot root,
      SqlExplainFormat format, SqlExplainLevel level) {
    super(rowType, parameterRowType, root, format, level);
    this.root = root;
    this.format = format;
    this.level = level;
  }

  @Override public String getCode() {
    if (root == null || format != SqlExplainFormat.TEXT) {
      return super.getCode();
    }
    StringWriter sw = new StringWriter();
    PrintWriter pw = new PrintWriter(sw);
    root.rel.explain(new Writer(pw, level));
    pw.flush();
    return sw.toString();
  }

  @Override public org.apache.calcite.runtime.Bindable getBindable(
      org.apache.calcite.avatica.Meta.CursorFactory cursorFactory) {
    String explanation = getCode();
    return dataContext -> cursorFactory.style == org.apache.calcite.avatica.Meta.Style.ARRAY
        ? org.apache.calcite.linq4j.Linq4j.singletonEnumerable(new String[] {explanation})
        : org.apache.calcite.linq4j.Linq4j.singletonEnumerable(explanation);
  }

  /** The SQL a source receives for the subtree under a converter. */
  static String sourceSql(JdbcToEnumerableConverter converter) {
    RelNode input = converter.getInput();
    SqlDialect dialect = ((JdbcConvention) input.getConvention()).dialect;
    JdbcImplementor implementor = new JdbcImplementor(dialect,
        (JavaTypeFactory) input.getCluster().getTypeFactory());
    return implementor.visitRoot(input).asStatement().toSqlString(dialect).getSql()
        .replaceAll("\\s*\\n\\s*", " ");
  }

  /** The source name of a converter: its convention is named {@code JDBC.<source>}. */
  static String sourceName(JdbcToEnumerableConverter converter) {
    String name = converter.getInput().getConvention().getName();
    return name.startsWith("JDBC.") ? name.substring("JDBC.".length()) : name;
  }

  /** Adds the source and its SQL to every converter's line. */
  private static final class Writer extends RelWriterImpl {
    Writer(PrintWriter pw, SqlExplainLevel level) {
      super(pw, level, false);
    }

    @Override protected void explain_(RelNode rel, List<Pair<String, Object>> values) {
      if (rel instanceof JdbcToEnumerableConverter converter) {
        List<Pair<String, Object>> extended = new ArrayList<>(values);
        extended.add(Pair.of("source", sourceName(converter)));
        extended.add(Pair.of("sql", sourceSql(converter)));
        super.explain_(rel, extended);
      } else {
        super.explain_(rel, values);
      }
    }
  }
}
