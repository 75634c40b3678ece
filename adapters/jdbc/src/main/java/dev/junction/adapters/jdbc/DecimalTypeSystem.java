package dev.junction.adapters.jdbc;

import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The type system a source dialect declares for generated SQL, with DECIMAL as wide as
 * the source allows. Calcite caps casts in generated SQL to the dialect's maximum
 * precision, 19 by default: an AVG over money, which Calcite rewrites as
 * {@code CAST(SUM(x) AS DECIMAL(p, s)) / COUNT(*)}, then overflows in the source
 * (TPC-H Q22 at SF 0.1 failed with PostgreSQL's "numeric field overflow").
 */
public final class DecimalTypeSystem extends RelDataTypeSystemImpl {
  private final int maxPrecision;
  private final int maxScale;

  private DecimalTypeSystem(int maxPrecision, int maxScale) {
    this.maxPrecision = maxPrecision;
    this.maxScale = maxScale;
  }

  /** DECIMAL up to {@code maxPrecision} digits, {@code maxScale} of them fractional. */
  public static RelDataTypeSystem of(int maxPrecision, int maxScale) {
    return new DecimalTypeSystem(maxPrecision, maxScale);
  }

  @Override public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? maxPrecision : super.getMaxPrecision(typeName);
  }

  @Override public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? maxScale : super.getMaxScale(typeName);
  }
}
