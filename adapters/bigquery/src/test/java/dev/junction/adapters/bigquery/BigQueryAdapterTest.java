package dev.junction.adapters.bigquery;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.DecimalTypeSystem;
import dev.junction.spi.Decimals;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.sql.Types;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link BigQueryAdapter} types BigQuery's columns and checks its settings. */
class BigQueryAdapterTest {
  private final RelDataTypeFactory f = new SqlTypeFactoryImpl(
      DecimalTypeSystem.of(Decimals.MAX_PRECISION, Decimals.MAX_PRECISION));
  private final BigQueryAdapter adapter = new BigQueryAdapter();

  private RelDataType map(String typeName, int size, int scale) {
    return adapter.mapType(f, new ColumnSpec("c", Types.OTHER, typeName, size, scale, true,
        null));
  }

  @Test
  void typesAsDocumented() {
    assertEquals(SqlTypeName.BIGINT, map("INT64", 0, 0).getSqlTypeName());
    assertEquals(SqlTypeName.DOUBLE, map("FLOAT64", 0, 0).getSqlTypeName());
    RelDataType numeric = map("NUMERIC", 38, 9);
    assertEquals(38, numeric.getPrecision());
    assertEquals(9, numeric.getScale());
    RelDataType big = map("BIGNUMERIC", Decimals.MAX_PRECISION, BigQueryAdapter.BIGNUMERIC_SCALE);
    assertEquals(SqlTypeName.DECIMAL, big.getSqlTypeName());
    assertEquals(Decimals.MAX_PRECISION, big.getPrecision());
    assertEquals(19, big.getScale());
    assertEquals(SqlTypeName.TIMESTAMP, map("DATETIME", 0, 0).getSqlTypeName());
    assertEquals(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
        map("TIMESTAMP", 0, 0).getSqlTypeName());
    assertEquals(SqlTypeName.VARBINARY, map("BYTES", 0, 0).getSqlTypeName());
    for (String other : List.of("STRUCT", "ARRAY", "JSON", "GEOGRAPHY", "INTERVAL", "RANGE")) {
      assertEquals(SqlTypeName.VARCHAR, map(other, 0, 0).getSqlTypeName(), other);
    }
  }

  @Test
  void settingsOutOfBoundsAreProblems() {
    SourceSpec spec = new SourceSpec("bq", "bigquery", Map.of("page-size", 0,
        "maximum-bytes-billed", -1, "host", "localhost:9050"), List.of(), List.of(), Map.of(),
        Duration.ofMinutes(10));
    List<String> problems = adapter.validate(spec);
    assertEquals(3, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("key 'page-size'"), problems::toString);
    assertTrue(problems.get(2).contains("http:// or https://"), problems::toString);
  }

  @Test
  void labelValuesAreWhatBigQueryAccepts() {
    assertEquals("ana_lopez_example_com", BigQueryStatement.labelValue("Ana.Lopez@example.com"));
    assertEquals(63, BigQueryStatement.labelValue("x".repeat(100)).length());
  }
}
