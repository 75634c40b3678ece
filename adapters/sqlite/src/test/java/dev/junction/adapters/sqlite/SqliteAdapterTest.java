package dev.junction.adapters.sqlite;

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

/**
 * How {@link SqliteAdapter} types columns by their declared type, given the codes
 * sqlite-jdbc reports (FLOAT for REAL and FLOAT, VARCHAR for BLOB).
 */
class SqliteAdapterTest {
  private final RelDataTypeFactory f = new SqlTypeFactoryImpl(
      DecimalTypeSystem.of(Decimals.MAX_PRECISION, Decimals.MAX_PRECISION));
  private final SqliteAdapter adapter = new SqliteAdapter();

  private RelDataType map(int jdbcType, String typeName) {
    return adapter.mapType(f, new ColumnSpec("c", jdbcType, typeName, 0, 0, true, null));
  }

  @Test
  void blobIsBinary() {
    assertEquals(SqlTypeName.VARBINARY, map(Types.VARCHAR, "BLOB").getSqlTypeName());
  }

  @Test
  void declaredTypesDecide() {
    assertEquals(SqlTypeName.DOUBLE, map(Types.FLOAT, "REAL").getSqlTypeName());
    assertEquals(SqlTypeName.REAL, map(Types.FLOAT, "FLOAT").getSqlTypeName());
    assertEquals(SqlTypeName.BOOLEAN, map(Types.INTEGER, "BOOLEAN").getSqlTypeName());
    assertEquals(SqlTypeName.DATE, map(Types.VARCHAR, "DATE").getSqlTypeName());
  }
}
