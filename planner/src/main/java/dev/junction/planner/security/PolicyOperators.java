package dev.junction.planner.security;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;

/**
 * The operators the policy rewrite puts into plans. None is ever executed: after
 * optimization {@link PolicyGuards} replaces each with what it stands for, and an
 * unreplaced one could not run anywhere (no Junction implementation, no such function in
 * a source), so a slip fails the query rather than exposing a row.
 *
 * <ul>
 * <li>{@link #GUARD}{@code (value, filter, isMask)}: a column of a governed table as its
 * users see it; {@code filter} is the table's row filter, kept next to each value so that
 * wherever the optimizer moves an expression, the filter that must hold before the value
 * may be looked at travels with it.</li>
 * <li>{@link #ROW_FILTER}{@code (filter)}: the row filter itself, opaque to the optimizer
 * so that it stays one recognisable unit.</li>
 * <li>{@link #ROW_FILTER_PLACEHOLDER} and {@link #MASK_PLACEHOLDER}: what EXPLAIN shows a
 * caller instead of their own policy's expressions.</li>
 * </ul>
 */
public final class PolicyOperators {
  /** A governed column: {@code GUARD(value, rowFilter, isMask)}. */
  public static final SqlFunction GUARD = new SqlFunction("JUNCTION_POLICY_GUARD",
      SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, OperandTypes.family(SqlTypeFamily.ANY,
          SqlTypeFamily.BOOLEAN, SqlTypeFamily.BOOLEAN),
      SqlFunctionCategory.SYSTEM);

  /** A governed table's row filter: {@code ROW_FILTER(condition)}. */
  public static final SqlFunction ROW_FILTER = new SqlFunction("JUNCTION_ROW_FILTER",
      SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, OperandTypes.BOOLEAN,
      SqlFunctionCategory.SYSTEM);

  /** What EXPLAIN shows for a row filter. */
  public static final SqlFunction ROW_FILTER_PLACEHOLDER = new Placeholder("<row filter>");

  /** What EXPLAIN shows for a masked value; typed by the call that uses it. */
  public static final SqlFunction MASK_PLACEHOLDER = new Placeholder("<mask>");

  private PolicyOperators() {
  }

  /** Whether {@code op} is one of the policy operators. */
  public static boolean isPolicyOperator(SqlOperator op) {
    return op == GUARD || op == ROW_FILTER;
  }

  /** A niladic function printed as its bare name, in plans and in source SQL. */
  private static final class Placeholder extends SqlFunction {
    Placeholder(String name) {
      super(name, SqlKind.OTHER_FUNCTION, ReturnTypes.BOOLEAN, null, OperandTypes.NILADIC,
          SqlFunctionCategory.SYSTEM);
    }

    @Override public SqlSyntax getSyntax() {
      return SqlSyntax.FUNCTION_ID;
    }

    @Override public void unparse(SqlWriter writer, SqlCall call, int leftPrec,
        int rightPrec) {
      writer.print(getName());
      writer.setNeedWhitespace(true);
    }
  }
}
