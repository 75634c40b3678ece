package dev.junction.planner.types;

import dev.junction.spi.Decimals;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Calcite's type system widened to what the sources hold: DECIMAL up to
 * {@link Decimals#MAX_PRECISION} digits and AVG over DECIMAL or an integer a DECIMAL with
 * at least twelve fractional digits, as PostgreSQL and DuckDB return. Calcite keeps the
 * input's type, so AVG of DECIMAL(15,2) would round 25.5376 to 25.54, and AVG of integers
 * 1 and 2 was an INTEGER that each source computed differently once pushed (PostgreSQL
 * and SQLite truncate to 1, DuckDB divides in floating point and rounds to 2).
 */
public final class JunctionTypeSystem extends RelDataTypeSystemImpl {
  /** The instance named in the connection's {@code typeSystem} property. */
  public static final RelDataTypeSystem INSTANCE = new JunctionTypeSystem();

  private static final int MIN_AVG_SCALE = 12;

  private JunctionTypeSystem() {
  }

  @Override public int getMaxPrecision(SqlTypeName typeName) {
    if (typeName == SqlTypeName.DECIMAL) {
      return Decimals.MAX_PRECISION;
    }
    return super.getMaxPrecision(typeName);
  }

  @Override public int getMaxScale(SqlTypeName typeName) {
    if (typeName == SqlTypeName.DECIMAL) {
      return Decimals.MAX_PRECISION;
    }
    return super.getMaxScale(typeName);
  }

  @Override public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory,
      RelDataType argumentType) {
    if (SqlTypeUtil.isExactNumeric(argumentType)) {
      int scale = Math.max(Math.max(argumentType.getScale(), 0), MIN_AVG_SCALE);
      return typeFactory.createTypeWithNullability(
          typeFactory.createSqlType(SqlTypeName.DECIMAL, Decimals.MAX_PRECISION, scale),
          argumentType.isNullable());
    }
    return super.deriveAvgAggType(typeFactory, argumentType);
  }

  @Override public RelDataType deriveSumType(RelDataTypeFactory typeFactory,
      RelDataType argumentType) {
    if (argumentType.getSqlTypeName() == SqlTypeName.DECIMAL) {
      return typeFactory.createTypeWithNullability(
          typeFactory.createSqlType(SqlTypeName.DECIMAL, Decimals.MAX_PRECISION,
              argumentType.getScale()),
          argumentType.isNullable());
    }
    return super.deriveSumType(typeFactory, argumentType);
  }
}
