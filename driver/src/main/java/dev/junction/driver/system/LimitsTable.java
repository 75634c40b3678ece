package dev.junction.driver.system;

import dev.junction.planner.limits.Limits;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code junction.limits}: the caller's own limits in force now, one row per limit key:
 * its value as it would be written in the file ({@code 0} for no limit) and where it was
 * set (the policy or catalog file and entry), null where nothing set it.
 */
final class LimitsTable implements SystemTable {
  @Override public String name() {
    return "limits";
  }

  @Override public RelDataType rowType(RelDataTypeFactory types) {
    RelDataType text = types.createSqlType(SqlTypeName.VARCHAR);
    return types.builder().add("limit_name", text).add("limit_value", text)
        .add("set_in", types.createTypeWithNullability(text, true)).build();
  }

  @Override public List<Object[]> rows(SystemContext context) {
    Limits l = context.limits();
    List<Object[]> rows = new ArrayList<>();
    add(rows, l, Limits.MAX_ROWS, Long.toString(l.maxRows()));
    add(rows, l, Limits.ON_MAX_ROWS, l.onMaxRows().name().toLowerCase(Locale.ROOT));
    add(rows, l, Limits.QUERY_TIMEOUT, l.queryTimeout().toSeconds() + "s");
    add(rows, l, Limits.MAX_CONCURRENT_QUERIES, Integer.toString(l.maxConcurrentQueries()));
    add(rows, l, Limits.ON_LIMIT, l.onLimit().name().toLowerCase(Locale.ROOT));
    add(rows, l, Limits.QUEUE_TIMEOUT, l.queueTimeout().toSeconds() + "s");
    add(rows, l, Limits.MAX_ROWS_FETCHED, Long.toString(l.maxRowsFetched()));
    add(rows, l, Limits.MAX_QUERY_MEMORY, Long.toString(l.maxQueryMemory()));
    add(rows, l, Limits.PROCESS_MEMORY, Long.toString(l.processMemory()));
    add(rows, l, Limits.MAX_BYTES_SCANNED, Long.toString(l.maxBytesScanned()));
    add(rows, l, Limits.MAX_BYTES_SCANNED_PER_DAY, Long.toString(l.maxBytesScannedPerDay()));
    return rows;
  }

  private static void add(List<Object[]> rows, Limits limits, String key, String value) {
    rows.add(new Object[] {key, value, limits.where().get(key)});
  }
}
