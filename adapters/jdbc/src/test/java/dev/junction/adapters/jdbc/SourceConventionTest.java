package dev.junction.adapters.jdbc;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import com.google.common.collect.ImmutableList;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link SourceConvention} lets a source evaluate, whatever its dialect says. */
class SourceConventionTest {
  private final RelDataTypeFactory types =
      new SqlTypeFactoryImpl(PostgresqlSqlDialect.POSTGRESQL_TYPE_SYSTEM);
  private final RexBuilder rex = new RexBuilder(types);

  @Test
  void windowFunctionsStayInJunctionEvenWhereTheDialectHasThem() {
    SourceConvention convention =
        new SourceConvention(PostgresqlSqlDialect.DEFAULT, null, "pg");
    assertTrue(PostgresqlSqlDialect.DEFAULT.supportsWindowFunctions());
    RelDataType bigint = types.createSqlType(SqlTypeName.BIGINT);
    RexNode rowNumber = rex.makeOver(bigint, SqlStdOperatorTable.ROW_NUMBER, List.of(),
        List.of(rex.makeInputRef(bigint, 0)), ImmutableList.of(),
        RexWindowBounds.UNBOUNDED_PRECEDING, RexWindowBounds.CURRENT_ROW, true, true, false,
        false, false);
    assertFalse(convention.canPush(List.of(rowNumber)));
    assertTrue(convention.canPush(List.of(rex.makeInputRef(bigint, 0))));
  }
}
