package dev.junction.adapters.jdbc;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;

/**
 * {@code column} is one of the values of an array parameter: the filter a keyed remote
 * statement ({@link SourceStatement#keyedBy}) adds for each join key, written in the
 * source's own form by {@link PushdownDialect#unparseKeyIn}. It exists only in the SQL
 * Junction generates for such a statement; the planner never sees it in a user's query.
 */
final class KeySetOperator extends SqlFunction {
  /** The operator. */
  static final KeySetOperator INSTANCE = new KeySetOperator();

  private KeySetOperator() {
    super("JUNCTION_KEY_IN", SqlKind.OTHER_FUNCTION, ReturnTypes.BOOLEAN_NULLABLE, null,
        OperandTypes.ANY_ANY, SqlFunctionCategory.SYSTEM);
  }

  @Override public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (!(writer.getDialect() instanceof PushdownDialect dialect)) {
      throw new IllegalStateException("key arrays need a PushdownDialect");
    }
    dialect.unparseKeyIn(writer, call.operand(0), call.operand(1));
  }
}
