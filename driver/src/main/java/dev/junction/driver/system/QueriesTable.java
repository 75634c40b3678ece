package dev.junction.driver.system;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code junction.queries}: the statements of the caller's catalog running now (executing
 * or with rows not yet all read). A caller sees their own unless
 * {@link SystemContext#seesEveryone()}.
 */
final class QueriesTable implements SystemTable {
  @Override public String name() {
    return "queries";
  }

  @Override public RelDataType rowType(RelDataTypeFactory types) {
    RelDataType text = types.createTypeWithNullability(
        types.createSqlType(SqlTypeName.VARCHAR), true);
    RelDataType bigint = types.createSqlType(SqlTypeName.BIGINT);
    return types.builder().add("query_id", text).add("user_name", text).add("sql_text", text)
        .add("sources", text).add("elapsed_ms", bigint).add("rows_fetched", text).build();
  }

  @Override public List<Object[]> rows(SystemContext context) {
    List<Object[]> rows = new ArrayList<>();
    for (RunningQueries.Running q : RunningQueries.INSTANCE.snapshot()) {
      if (q.catalog() != context.catalog()
          || !context.seesEveryone() && !q.user().equals(context.user())) {
        continue;
      }
      Map<String, Long> fetched = q.rowsFetched();
      rows.add(new Object[] {q.id(), q.user(), q.sql(), String.join(",", q.sources()),
          q.elapsedMillis(), fetched.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","))});
    }
    return rows;
  }
}
