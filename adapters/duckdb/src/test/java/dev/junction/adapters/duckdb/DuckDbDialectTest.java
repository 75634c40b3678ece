package dev.junction.adapters.duckdb;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

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
  void decimalProductsThatFitArePushed() {
    assertTrue(DuckDbDialect.INSTANCE.supportsCall(times(decimal(10, 2), decimal(10, 2))));
    assertTrue(DuckDbDialect.INSTANCE.supportsCall(
        times(decimal(10, 2), types.createSqlType(SqlTypeName.INTEGER))));
  }

  @Test
  void decimalProductsDuckDbWouldOverflowStayLocal() {
    // Calcite's STDDEV expansion: CAST(x AS DECIMAL(38, 12)) * CAST(x AS DECIMAL(38, 12)).
    assertFalse(DuckDbDialect.INSTANCE.supportsCall(times(decimal(38, 12), decimal(38, 12))));
    assertFalse(DuckDbDialect.INSTANCE.supportsCall(times(decimal(30, 2), decimal(20, 2))));
  }

  @Test
  void initcapIsNotPushed() {
    assertFalse(DuckDbDialect.INSTANCE.supportsOperator(SqlStdOperatorTable.INITCAP));
    assertTrue(DuckDbDialect.INSTANCE.supportsOperator(SqlStdOperatorTable.UPPER));
  }
}
