package dev.junction.adapters.jdbc;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.linq4j.function.Function0;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.runtime.ResultSetEnumerable;
import org.apache.calcite.schema.SchemaPlus;

import java.sql.ResultSet;
import javax.sql.DataSource;

/**
 * Runs a keyed remote statement ({@link SourceStatement#keyedBy}) with the key values a
 * join collected at run time. Called by the code generated for such a statement, whose
 * value is the function this returns.
 */
public final class KeyedStatements {
  private KeyedStatements() {
  }

  /**
   * A function from the keys (for each key column, an {@code Object[]} of its distinct
   * values) to the statement's rows, bound with them; {@code indexes} and {@code kinds}
   * are the statement's parameters as {@link SourceParameters#enricher} takes them, the
   * key arrays numbered from {@link SourceStatement#KEY_PARAMETER_BASE}.
   */
  public static Function1<Object[], Enumerable<Object>> of(DataSource dataSource, String sql,
      Function1<ResultSet, Function0<Object>> rowBuilderFactory, Integer[] indexes,
      String[] kinds, DataContext context) {
    return keys -> {
      ResultSetEnumerable<Object> rows = ResultSetEnumerable.of(dataSource, sql,
          rowBuilderFactory, SourceParameters.enricher(indexes, kinds,
              new KeyContext(context, keys)));
      rows.setTimeout(context);
      return rows;
    };
  }

  /** The caller's context, with the key arrays as the parameters past the caller's. */
  private record KeyContext(DataContext context, Object[] keys) implements DataContext {
    @Override public SchemaPlus getRootSchema() {
      return context.getRootSchema();
    }

    @Override public JavaTypeFactory getTypeFactory() {
      return context.getTypeFactory();
    }

    @Override public QueryProvider getQueryProvider() {
      return context.getQueryProvider();
    }

    @Override public Object get(String name) {
      if (name.startsWith("?")) {
        int index = Integer.parseInt(name.substring(1));
        if (index >= SourceStatement.KEY_PARAMETER_BASE
            && index < SourceStatement.KEY_PARAMETER_BASE + keys.length) {
          return keys[index - SourceStatement.KEY_PARAMETER_BASE];
        }
      }
      return context.get(name);
    }
  }
}
