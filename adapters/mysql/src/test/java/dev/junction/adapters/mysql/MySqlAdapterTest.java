package dev.junction.adapters.mysql;

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

/** How {@link MySqlAdapter} types MySQL's and MariaDB's own column types. */
class MySqlAdapterTest {
  private final RelDataTypeFactory f = new SqlTypeFactoryImpl(
      DecimalTypeSystem.of(Decimals.MAX_PRECISION, Decimals.MAX_PRECISION));
  private final MySqlAdapter adapter = new MySqlAdapter();

  private RelDataType map(int jdbcType, String typeName, int size) {
    return adapter.mapType(f, new ColumnSpec("c", jdbcType, typeName, size, 0, true, null));
  }

  @Test
  void floatIsFourBytes() {
    assertEquals(SqlTypeName.REAL, map(Types.FLOAT, "FLOAT", 12).getSqlTypeName());
    assertEquals(SqlTypeName.REAL, map(Types.REAL, "FLOAT", 12).getSqlTypeName());
    assertEquals(SqlTypeName.DOUBLE, map(Types.DOUBLE, "DOUBLE", 22).getSqlTypeName());
  }

  @Test
  void blobsAreBinary() {
    for (String name : new String[] {"BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB"}) {
      assertEquals(SqlTypeName.VARBINARY, map(Types.OTHER, name, 0).getSqlTypeName(), name);
    }
  }

  @Test
  void charIsVarchar() {
    RelDataType c = map(Types.CHAR, "CHAR", 3);
    assertEquals(SqlTypeName.VARCHAR, c.getSqlTypeName());
    assertEquals(3, c.getPrecision());
  }

  @Test
  void ownTypesKeepNullability() {
    assertFalse(adapter.mapType(f, new ColumnSpec("c", Types.LONGVARBINARY, "LONGBLOB", 0, 0,
        false, null)).isNullable());
  }
}
