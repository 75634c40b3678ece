package dev.junction.planner.security;

import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which predicates may run before a row filter, and which casts cannot fail. */
class PolicyGuardsTest {
  private final RelDataTypeFactory types = new JavaTypeFactoryImpl();
  private final RexBuilder rex = new RexBuilder(types);
  private final RelDataType integer = types.createSqlType(SqlTypeName.INTEGER);
  private final RelDataType varchar = types.createSqlType(SqlTypeName.VARCHAR, 20);
  private final RexNode id = rex.makeInputRef(integer, 0);
  private final RexNode name = rex.makeInputRef(varchar, 1);

  @Test void comparisonsNullTestsAndLogicCannotFail() {
    RexNode p = rex.makeCall(SqlStdOperatorTable.AND,
        rex.makeCall(SqlStdOperatorTable.EQUALS, id, rex.makeExactLiteral(BigDecimal.ONE)),
        rex.makeCall(SqlStdOperatorTable.OR,
            rex.makeCall(SqlStdOperatorTable.IS_NULL, name),
            rex.makeCall(SqlStdOperatorTable.LIKE, name, rex.makeLiteral("a%"))));
    assertTrue(PolicyGuards.leakproof(p));
  }

  @Test void divisionCastsAndFunctionsMayFail() {
    RexNode div = rex.makeCall(SqlStdOperatorTable.EQUALS,
        rex.makeCall(SqlStdOperatorTable.DIVIDE, rex.makeExactLiteral(BigDecimal.ONE), id),
        rex.makeExactLiteral(BigDecimal.ONE));
    assertFalse(PolicyGuards.leakproof(div));
    RexNode cast = rex.makeCall(SqlStdOperatorTable.EQUALS,
        rex.makeCast(integer, name), rex.makeExactLiteral(BigDecimal.ONE));
    assertFalse(PolicyGuards.leakproof(cast));
    RexNode likeColumn = rex.makeCall(SqlStdOperatorTable.LIKE, name, name);
    assertFalse(PolicyGuards.leakproof(likeColumn), "a pattern from the row can be invalid");
    RexNode upper = rex.makeCall(SqlStdOperatorTable.EQUALS,
        rex.makeCall(SqlStdOperatorTable.UPPER, name), rex.makeLiteral("A"));
    assertFalse(PolicyGuards.leakproof(upper));
  }

  @Test void onlyWideningCastsAreSafe() {
    RelDataType bigint = types.createSqlType(SqlTypeName.BIGINT);
    RelDataType smallint = types.createSqlType(SqlTypeName.SMALLINT);
    RelDataType dbl = types.createSqlType(SqlTypeName.DOUBLE);
    RelDataType dec52 = types.createSqlType(SqlTypeName.DECIMAL, 5, 2);
    RelDataType dec122 = types.createSqlType(SqlTypeName.DECIMAL, 12, 2);
    assertTrue(PolicyGuards.wideningCast(integer, bigint));
    assertTrue(PolicyGuards.wideningCast(integer, dbl));
    assertTrue(PolicyGuards.wideningCast(dec52, dec122));
    assertTrue(PolicyGuards.wideningCast(integer, dec122));
    assertTrue(PolicyGuards.wideningCast(varchar, types.createSqlType(SqlTypeName.CHAR, 3)));
    assertFalse(PolicyGuards.wideningCast(bigint, integer));
    assertFalse(PolicyGuards.wideningCast(integer, smallint));
    assertFalse(PolicyGuards.wideningCast(dec122, dec52));
    assertFalse(PolicyGuards.wideningCast(varchar, integer));
    assertFalse(PolicyGuards.wideningCast(dbl, integer));
  }
}
