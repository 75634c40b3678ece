package dev.junction.driver.system;

import dev.junction.driver.cache.ResultCache;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.List;

/** {@code junction.cache}: one row of the catalog's result cache counters (zeros when off). */
final class CacheTable implements SystemTable {
  @Override public String name() {
    return "cache";
  }

  @Override public RelDataType rowType(RelDataTypeFactory types) {
    RelDataType bigint = types.createSqlType(SqlTypeName.BIGINT);
    return types.builder().add("hits", bigint).add("misses", bigint).add("evictions", bigint)
        .add("entries", bigint).add("bytes", bigint).build();
  }

  @Override public List<Object[]> rows(SystemContext context) {
    ResultCache.Stats s = context.results() == null ? ResultCache.Stats.NONE
        : context.results().stats();
    return List.<Object[]>of(new Object[] {s.hits(), s.misses(), s.evictions(), s.entries(),
        s.bytes()});
  }
}
