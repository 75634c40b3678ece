package dev.junction.adapters.jdbc;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.sql.Types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one mapping from remote column types to Calcite types. */
class TypeMappingTest {
  private final RelDataTypeFactory f = new SqlTypeFactoryImpl(new RelDataTypeSystemImpl() {
    @Override public int getMaxPrecision(SqlTypeName typeName) {
      return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxPrecision(typeName);
    }

    @Override public int getMaxScale(SqlTypeName typeName) {
      return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
    }
  });

  private RelDataType map(int jdbcType, String typeName, int size, int scale) {
    return TypeMapping.map(f, new ColumnSpec("c", jdbcType, typeName, size, scale, true, null));
  }

  @Test
  void unsignedIntegersWiden() {
    assertEquals(SqlTypeName.SMALLINT,
        map(Types.TINYINT, "TINYINT UNSIGNED", 3, 0).getSqlTypeName());
    assertEquals(SqlTypeName.BIGINT, map(Types.INTEGER, "INT UNSIGNED", 10, 0).getSqlTypeName());
    RelDataType big = map(Types.BIGINT, "BIGINT UNSIGNED", 20, 0);
    assertEquals(SqlTypeName.DECIMAL, big.getSqlTypeName());
    assertEquals(20, big.getPrecision());
  }

  @Test
  void decimalsKeepPrecisionAndUnboundedOnesGetADefault() {
    RelDataType d = map(Types.NUMERIC, "numeric", 12, 4);
    assertEquals(12, d.getPrecision());
    assertEquals(4, d.getScale());
    RelDataType unbounded = map(Types.NUMERIC, "numeric", 131089, 0);
    assertEquals(38, unbounded.getPrecision());
    assertEquals(TypeMapping.UNBOUNDED_DECIMAL_SCALE, unbounded.getScale());
    assertEquals(38, map(Types.OTHER, "HUGEINT", 0, 0).getPrecision());
  }

  @Test
  void typesWithoutSqlCounterpartAreText() {
    assertEquals(SqlTypeName.VARCHAR, map(Types.OTHER, "uuid", 0, 0).getSqlTypeName());
    assertEquals(SqlTypeName.VARCHAR, map(Types.OTHER, "jsonb", 0, 0).getSqlTypeName());
    assertEquals(SqlTypeName.VARCHAR, map(Types.STRUCT, "STRUCT(a INT)", 0, 0).getSqlTypeName());
  }

  @Test
  void arraysKeepTheirElementType() {
    RelDataType pg = map(Types.ARRAY, "_int4", 0, 0);
    assertEquals(SqlTypeName.ARRAY, pg.getSqlTypeName());
    assertEquals(SqlTypeName.INTEGER, pg.getComponentType().getSqlTypeName());
    RelDataType duck = map(Types.OTHER, "VARCHAR[]", 0, 0);
    assertEquals(SqlTypeName.VARCHAR, duck.getComponentType().getSqlTypeName());
  }

  @Test
  void fourByteFloatsAreReal() {
    assertEquals(SqlTypeName.REAL, map(Types.FLOAT, "FLOAT", 24, 0).getSqlTypeName());
    assertEquals(SqlTypeName.DOUBLE, map(Types.DOUBLE, "float8", 17, 0).getSqlTypeName());
  }

  @Test
  void nullabilityIsKept() {
    assertTrue(map(Types.INTEGER, "int4", 10, 0).isNullable());
    assertFalse(TypeMapping.map(f, new ColumnSpec("c", Types.INTEGER, "int4", 10, 0, false,
        null)).isNullable());
  }
}
