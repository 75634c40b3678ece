package dev.junction.adapters.postgresql;

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

/** How {@link PostgreSqlAdapter} types PostgreSQL's own column types. */
class PostgreSqlAdapterTest {
  private final RelDataTypeFactory f = new SqlTypeFactoryImpl(
      DecimalTypeSystem.of(Decimals.MAX_PRECISION, Decimals.MAX_PRECISION));
  private final PostgreSqlAdapter adapter = new PostgreSqlAdapter();

  private RelDataType map(int jdbcType, String typeName) {
    return adapter.mapType(f, new ColumnSpec("c", jdbcType, typeName, 0, 0, true, null));
  }

  @Test
  void float4IsFourBytes() {
    assertEquals(SqlTypeName.REAL, map(Types.REAL, "float4").getSqlTypeName());
    assertEquals(SqlTypeName.REAL, map(Types.FLOAT, "float").getSqlTypeName());
    assertEquals(SqlTypeName.DOUBLE, map(Types.DOUBLE, "float8").getSqlTypeName());
  }

  @Test
  void byteaIsBinary() {
    assertEquals(SqlTypeName.VARBINARY, map(Types.BINARY, "bytea").getSqlTypeName());
    assertEquals(SqlTypeName.VARBINARY, map(Types.OTHER, "bytea").getSqlTypeName());
  }

  @Test
  void ownTypesKeepNullability() {
    assertFalse(adapter.mapType(f, new ColumnSpec("c", Types.BINARY, "bytea", 0, 0, false,
        null)).isNullable());
  }
}
