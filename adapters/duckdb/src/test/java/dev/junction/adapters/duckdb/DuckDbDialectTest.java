package dev.junction.adapters.duckdb;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which calls {@link DuckDbDialect} lets Junction send to DuckDB. */
class DuckDbDialectTest {
  private final SqlTypeFactoryImpl types = new SqlTypeFactoryImpl(DuckDBSqlDialect.TYPE_SYSTEM);
  private final RexBuilder rex = new RexBuilder(types);

  private RexCall times(RelDataType left, RelDataType right) {
    return (RexCall) rex.makeCall(SqlStdOperatorTable.MULTIPLY, rex.makeInputRef(left, 0),
        rex.makeInputRef(right, 1));
  }

  private RelDataType decimal(int precision, int scale) {
    return types.createSqlType(SqlTypeName.DECIMAL, precision, scale);
  }

  @Test
  void constantKeysAreNotOrdinals() {
    // Found by DifferentialIT: SELECT DISTINCT 0 AS c ... was sent as GROUP BY 0.
    assertFalse(DuckDbDialect.INSTANCE.supportsGroupByLiteral());
    assertFalse(DuckDbDialect.INSTANCE.supportsOrderByLiteral());
  }

  @Test
  void decimalProductsArePushed() {
    assertTrue(DuckDbDialect.INSTANCE.supportsCall(times(decimal(10, 2), decimal(10, 2))));
    assertTrue(DuckDbDialect.INSTANCE.supportsCall(times(decimal(38, 12), decimal(38, 12))));
  }

  @Test
  void productsLoseCalcitesWideningCasts() {
    // Calcite's STDDEV expansion: CAST(SUM(x) AS DECIMAL(38, 12)) * CAST(..): 24 fractional
    // digits overflowed DuckDB for sums in the millions; SUM(x) * SUM(x) is the same value.
    RexNode sum = rex.makeInputRef(decimal(38, 2), 0);
    RexNode widened = rex.makeAbstractCast(decimal(38, 12), sum, false);
    RexCall product = (RexCall) rex.makeCall(SqlStdOperatorTable.MULTIPLY, widened, widened);
    RexNode sent = DuckDbDialect.INSTANCE.rewriteCall(rex, product);
    assertEquals(List.of(sum, sum), ((RexCall) sent).getOperands());
    assertEquals(product.getType(), sent.getType());
    // A cast that drops fractional digits changes the value and stays.
    RexNode narrowed = rex.makeAbstractCast(decimal(38, 1), sum, false);
    RexCall rounded = (RexCall) rex.makeCall(SqlStdOperatorTable.MULTIPLY, narrowed, narrowed);
    assertEquals(rounded, DuckDbDialect.INSTANCE.rewriteCall(rex, rounded));
  }

  @Test
  void productsOfSmallDecimalsAreComputedInOneHundredTwentyEightBits() {
    // DuckDB types DECIMAL(10,2) * DECIMAL(10,2) as DECIMAL(18,4): 98765432.10^2 overflowed.
    RexNode amount = rex.makeInputRef(decimal(10, 2), 0);
    RexCall square = (RexCall) rex.makeCall(SqlStdOperatorTable.MULTIPLY, amount, amount);
    RexCall sent = (RexCall) DuckDbDialect.INSTANCE.rewriteCall(rex, square);
    assertEquals(decimal(38, 2), sent.getOperands().get(0).getType());
    assertEquals(amount, ((RexCall) sent.getOperands().get(0)).getOperands().get(0));
    assertEquals(square.getType(), sent.getType());
  }

  @Test
  void optimisticProductsStayIn64Bits() {
    RexNode amount = rex.makeInputRef(decimal(10, 2), 0);
    RexCall square = (RexCall) rex.makeCall(SqlStdOperatorTable.MULTIPLY, amount, amount);
    assertEquals(square, DuckDbDialect.INSTANCE.rewriteCallOptimistic(rex, square));
    assertTrue(java.util.regex.Pattern.compile(DuckDbDialect.INSTANCE.optimisticFailure())
        .matcher("Out of Range Error: Overflow in multiplication of DECIMAL(18) (1 * 2)")
        .find());
  }

  @Test
  void initcapIsNotPushed() {
    assertFalse(DuckDbDialect.INSTANCE.supportsOperator(SqlStdOperatorTable.INITCAP));
    assertTrue(DuckDbDialect.INSTANCE.supportsOperator(SqlStdOperatorTable.UPPER));
  }
}
