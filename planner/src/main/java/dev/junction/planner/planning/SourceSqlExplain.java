package dev.junction.planner.planning;

import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlExplainFormat;
import org.apache.calcite.sql.SqlExplainLevel;

/**
 * The result of {@code EXPLAIN PLAN FOR}: Calcite's plan, in which every remote statement
 * shows its source's name and the exact SQL sent to it, so a user can see what is pushed
 * down without reading a debug log.
 */
final class SourceSqlExplain extends Prepare.PreparedExplain {
  SourceSqlExplain(RelDataType rowType, RelDataType parameterRowType, RelRoot root,
      SqlExplainFormat format, SqlExplainLevel level) {
    super(rowType, parameterRowType, root, format, level);
  }

  @Override public org.apache.calcite.runtime.Bindable getBindable(
      org.apache.calcite.avatica.Meta.CursorFactory cursorFactory) {
    String explanation = getCode();
    return dataContext -> cursorFactory.style == org.apache.calcite.avatica.Meta.Style.ARRAY
        ? org.apache.calcite.linq4j.Linq4j.singletonEnumerable(new String[] {explanation})
        : org.apache.calcite.linq4j.Linq4j.singletonEnumerable(explanation);
  }
}
