package dev.junction.adapters.jdbc;

import dev.junction.spi.Decimals;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.sql.Types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mapping from JDBC type codes to Calcite types every source shares. Each adapter's
 * own type names are tested with the adapter.
 */
class TypeMappingTest {
  private final RelDataTypeFactory f = new SqlTypeFactoryImpl(
      DecimalTypeSystem.of(Decimals.MAX_PRECISION, Decimals.MAX_PRECISION));

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
    assertEquals(Decimals.MAX_PRECISION, unbounded.getPrecision());
    assertEquals(TypeMapping.UNBOUNDED_DECIMAL_SCALE, unbounded.getScale());
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
  void jdbcFloatIsADoubleAndRealIsFourBytes() {
    assertEquals(SqlTypeName.DOUBLE, map(Types.FLOAT, "FLOAT", 24, 0).getSqlTypeName());
    assertEquals(SqlTypeName.DOUBLE, map(Types.DOUBLE, "float8", 17, 0).getSqlTypeName());
    assertEquals(SqlTypeName.REAL, map(Types.REAL, "float4", 8, 0).getSqlTypeName());
  }

  @Test
  void binaryTypesAreVarbinary() {
    assertEquals(SqlTypeName.VARBINARY, map(Types.BLOB, "BLOB", 0, 0).getSqlTypeName());
    assertEquals(SqlTypeName.VARBINARY,
        map(Types.LONGVARBINARY, "LONGBLOB", 0, 0).getSqlTypeName());
  }

  @Test
  void nullabilityIsKept() {
    assertTrue(map(Types.INTEGER, "int4", 10, 0).isNullable());
    assertFalse(TypeMapping.map(f, new ColumnSpec("c", Types.INTEGER, "int4", 10, 0, false,
        null)).isNullable());
  }
}
