package dev.junction.adapters.bigquery;

import java.sql.ResultSet;
import java.sql.Types;
import java.util.List;

/** Rows held in a list: a metadata listing the facade answers with a result set. */
final class ListRows implements Rows {
  private final List<String> names;
  private final List<Object[]> rows;
  private int at = -1;

  private ListRows(List<String> names, List<Object[]> rows) {
    this.names = names;
    this.rows = rows;
  }

  /** A result set of {@code rows}, each an array in the order of {@code names}. */
  static ResultSet resultSet(List<String> names, List<Object[]> rows) {
    return BigQueryResultSet.of(new ListRows(names, rows), null);
  }

  @Override public List<String> names() {
    return names;
  }

  @Override public int jdbcType(int i) {
    return Types.VARCHAR;
  }

  @Override public String typeName(int i) {
    return "STRING";
  }

  @Override public boolean next() {
    return ++at < rows.size();
  }

  @Override public Object get(int i) {
    return rows.get(at)[i];
  }
}
