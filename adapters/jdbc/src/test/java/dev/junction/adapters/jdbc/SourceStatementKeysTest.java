package dev.junction.adapters.jdbc;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link SourceStatement#takesKeyArrays} answers, without making the keyed statement, what
 * {@link SourceStatement#keyedBy} would: whether the source takes an array of every key
 * column's type.
 */
class SourceStatementKeysTest {
  /** PostgreSQL's SQL, taking arrays of integers and of VARCHAR only, as its dialect does. */
  private static final class ArrayDialect extends PostgresqlSqlDialect
      implements PushdownDialect {
    ArrayDialect() {
      super(PostgresqlSqlDialect.DEFAULT_CONTEXT);
    }

    @Override public boolean supportsOperator(SqlOperator operator) {
      return true;
    }

    @Override public String keyArrayType(SqlTypeName type) {
      return switch (type) {
        case INTEGER -> "int4";
        case VARCHAR -> "text";
        default -> null;
      };
    }
  }

  private static SourceStatement statement(SqlDialect dialect) {
    RelDataTypeFactory types =
        new SqlTypeFactoryImpl(PostgresqlSqlDialect.POSTGRESQL_TYPE_SYSTEM);
    RelOptCluster cluster = RelOptCluster.create(
        new HepPlanner(HepProgram.builder().build()), new RexBuilder(types));
    RelDataType row = types.builder().add("id", SqlTypeName.INTEGER)
        .add("name", SqlTypeName.VARCHAR, 20).add("code", SqlTypeName.CHAR, 3)
        .add("day", SqlTypeName.DATE).build();
    return new SourceStatement(new SourceConvention(dialect, null, "src"),
        LogicalValues.createEmpty(cluster, row));
  }

  @Test
  void answersAsKeyedByWould() {
    SourceStatement statement = statement(new ArrayDialect());
    List<List<Integer>> keySets = List.of(List.of(0), List.of(1), List.of(2), List.of(3),
        List.of(0, 1), List.of(1, 0), List.of(0, 2), List.of(3, 1), List.of());
    List<Boolean> expected = List.of(true, true, false, false, true, true, false, false,
        false);
    for (int i = 0; i < keySets.size(); i++) {
      List<Integer> keys = keySets.get(i);
      assertEquals(expected.get(i), statement.takesKeyArrays(keys), "keys " + keys);
      assertEquals(expected.get(i), statement.keyedBy(keys, 1) != null, "keyedBy " + keys);
    }
  }

  @Test
  void aKeyedStatementTakesNoMoreKeys() {
    RelNode keyed = statement(new ArrayDialect()).keyedBy(List.of(0, 1), 10);
    assertNotNull(keyed);
    assertFalse(((SourceStatement) keyed).takesKeyArrays(List.of(0)));
    assertNull(((SourceStatement) keyed).keyedBy(List.of(0), 1));
  }

  @Test
  void aDialectWithoutArraysTakesNone() {
    SourceStatement statement = statement(PostgresqlSqlDialect.DEFAULT);
    assertFalse(statement.takesKeyArrays(List.of(0)));
    assertNull(statement.keyedBy(List.of(0), 1));
  }
}
