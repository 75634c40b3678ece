package dev.junction.adapters.duckdb;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.DecimalTypeSystem;
import dev.junction.spi.Decimals;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.sql.Types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** How {@link DuckDbAdapter} types DuckDB's own column types. */
class DuckDbAdapterTest {
  private final RelDataTypeFactory f = new SqlTypeFactoryImpl(
      DecimalTypeSystem.of(Decimals.MAX_PRECISION, Decimals.MAX_PRECISION));
  private final DuckDbAdapter adapter = new DuckDbAdapter();

  private RelDataType map(int jdbcType, String typeName) {
    return adapter.mapType(f, new ColumnSpec("c", jdbcType, typeName, 0, 0, true, null));
  }

  @Test
  void hugeIntegersAreTheWidestDecimal() {
    for (String name : new String[] {"HUGEINT", "UHUGEINT"}) {
      RelDataType t = map(Types.OTHER, name);
      assertEquals(SqlTypeName.DECIMAL, t.getSqlTypeName(), name);
      assertEquals(Decimals.MAX_PRECISION, t.getPrecision(), name);
      assertEquals(0, t.getScale(), name);
    }
  }

  @Test
  void unsignedIntegersWiden() {
    RelDataType ubigint = map(Types.OTHER, "UBIGINT");
    assertEquals(SqlTypeName.DECIMAL, ubigint.getSqlTypeName());
    assertEquals(20, ubigint.getPrecision());
    assertEquals(SqlTypeName.BIGINT, map(Types.OTHER, "UINTEGER").getSqlTypeName());
    assertEquals(SqlTypeName.INTEGER, map(Types.OTHER, "USMALLINT").getSqlTypeName());
    assertEquals(SqlTypeName.SMALLINT, map(Types.OTHER, "UTINYINT").getSqlTypeName());
  }

  @Test
  void floatIsFourBytes() {
    assertEquals(SqlTypeName.REAL, map(Types.FLOAT, "FLOAT").getSqlTypeName());
    assertEquals(SqlTypeName.REAL, map(Types.FLOAT, "float4").getSqlTypeName());
    assertEquals(SqlTypeName.DOUBLE, map(Types.DOUBLE, "DOUBLE").getSqlTypeName());
  }

  @Test
  void blobIsBinary() {
    assertEquals(SqlTypeName.VARBINARY, map(Types.OTHER, "BLOB").getSqlTypeName());
  }

  @Test
  void ownTypesKeepNullability() {
    assertFalse(adapter.mapType(f, new ColumnSpec("c", Types.OTHER, "UINTEGER", 0, 0, false,
        null)).isNullable());
  }
}
