package dev.junction.testing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A result set's rows as lists of {@code getObject} values, for comparing answers. */
public final class ResultRows {
  private ResultRows() {
  }

  /** Every remaining row of {@code rs}, each column read with {@code getObject}. */
  public static List<List<Object>> of(ResultSet rs) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(rs.getObject(i));
      }
      rows.add(row);
    }
    return rows;
  }
}
