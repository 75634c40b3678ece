package dev.junction.adapters.duckdb;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.DecimalTypeSystem;
import dev.junction.spi.Decimals;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link DuckDbAdapter} types DuckDB's own column types and counts distinct values. */
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

  private static Connection memory() throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:");
  }

  private static void assertNear(double expected, Double actual, double tolerance, String what) {
    assertTrue(actual != null && Math.abs(actual - expected) <= tolerance * expected,
        what + ": expected about " + expected + ", got " + actual);
  }

  @Test
  void distinctValuesOfScalarColumnsInOnePass() throws SQLException {
    try (Connection c = memory(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA \"we\"\"ird\"");
      st.execute("CREATE TABLE \"we\"\"ird\".\"t x\" AS SELECT i AS k, i % 25 AS \"a\"\"b\","
          + " 'v' || (i % 7) AS s, DATE '2020-01-01' + (i % 100)::INT AS d, [i] AS l"
          + " FROM range(200000) r(i)");
      Map<String, Double> v = adapter.distinctValues(c, "we\"ird", "t x", 200_000);
      assertNear(200_000, v.get("k"), 0.1, "key");
      assertNear(25, v.get("a\"b"), 0.1, "quoted name");
      assertNear(7, v.get("s"), 0.1, "text");
      assertNear(100, v.get("d"), 0.1, "date");
      assertFalse(v.containsKey("l"), "a list column is not counted");
      assertTrue(adapter.distinctValues(c, "we\"ird", "t x", -1).isEmpty(),
          "unknown size: no pass");
    }
  }

  @Test
  void aLargeTableIsCountedOnASampleAndItsKeysScaled() throws SQLException {
    try (Connection c = memory(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE big AS SELECT i AS k, i % 10 AS flag FROM range(5000000) r(i)");
      Map<String, Double> v = adapter.distinctValues(c, "main", "big", 5_000_000);
      assertNear(5_000_000, v.get("k"), 0.25, "key scaled from the sample");
      assertNear(10, v.get("flag"), 0.1, "low cardinality as seen");
    }
  }
}
