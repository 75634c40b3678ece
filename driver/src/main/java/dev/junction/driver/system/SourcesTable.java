package dev.junction.driver.system;

import dev.junction.spi.SourceStatus;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code junction.sources}: each source of the caller's catalog, its pool's counters and
 * whether it answered when last used, read without connecting (a source no query used
 * yet is {@code unknown}). The last error is the message its query received, which names
 * the source and never a secret. Pool counters are null for a source that does not pool.
 */
final class SourcesTable implements SystemTable {
  @Override public String name() {
    return "sources";
  }

  @Override public RelDataType rowType(RelDataTypeFactory types) {
    RelDataType text = types.createSqlType(SqlTypeName.VARCHAR);
    RelDataType optionalText = types.createTypeWithNullability(text, true);
    RelDataType count = types.createTypeWithNullability(
        types.createSqlType(SqlTypeName.INTEGER), true);
    RelDataType at = types.createTypeWithNullability(
        types.createSqlType(SqlTypeName.TIMESTAMP, 3), true);
    return types.builder().add("source_name", text).add("type", text)
        .add("reachability", text).add("pool_active", count).add("pool_idle", count)
        .add("pool_waiting", count).add("pool_total", count).add("pool_max", count)
        .add("last_error", optionalText).add("last_error_at", at).build();
  }

  @Override public List<Object[]> rows(SystemContext context) {
    List<Object[]> rows = new ArrayList<>();
    context.catalog().sources().forEach((name, source) -> {
      SourceStatus s = source.status();
      SourceStatus.Pool pool = s.pool().orElse(null);
      rows.add(new Object[] {name, s.type(),
          s.reachability().name().toLowerCase(Locale.ROOT),
          pool == null ? null : pool.active(), pool == null ? null : pool.idle(),
          pool == null ? null : pool.waiting(), pool == null ? null : pool.total(),
          pool == null ? null : pool.max(), s.lastError().orElse(null),
          s.lastErrorAt().map(java.time.Instant::toEpochMilli).orElse(null)});
    });
    return rows;
  }
}
