package dev.junction.differential;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The three small tables every source holds identically. Values come from fixed formulas
 * and cover NULLs in every nullable column, duplicates, negative numbers, DECIMAL(10,2),
 * dates and booleans, and strings with quotes and mixed case.
 *
 * <p>The strings are chosen so that no source's collation changes an answer: no two differ
 * only in case (MariaDB groups and compares case-insensitively), none has leading or
 * trailing blanks (MariaDB pads), and every distinct string starts with its own upper-case
 * letter, so binary, case-insensitive and locale orderings agree.
 */
final class DifferentialData {

  /** A column type, spelled per source by {@link DifferentialData#ddl}. */
  enum Type {
    INT(Types.INTEGER), DEC(Types.DECIMAL), STR(Types.VARCHAR), DATE(Types.DATE),
    BOOL(Types.BOOLEAN);

    final int jdbcType;

    Type(int jdbcType) {
      this.jdbcType = jdbcType;
    }
  }

  /** A column: its name, type and whether it holds NULLs. */
  record Column(String name, Type type, boolean nullable) {
  }

  /** A table: its name, columns and rows in column order. */
  record Table(String name, List<Column> columns, List<List<Object>> rows) {
  }

  /** The strings the tables hold. */
  static final List<String> STRINGS = List.of("Apple", "Banana Split", "CamelCase", "Don't",
      "Eve", "Fo\"o", "McDonald", "O'Brien", "Pi", "XyZ");
  /** Strings the tables do not hold, for comparisons that match nothing. */
  static final List<String> OTHER_STRINGS = List.of("Kiwi", "Nobody", "Zed", "Y'all");

  static final Table P = p();
  static final Table Q = q();
  static final Table R = r();
  static final List<Table> TABLES = List.of(P, Q, R);

  private DifferentialData() {
  }

  private static Column col(String name, Type type, boolean nullable) {
    return new Column(name, type, nullable);
  }

  private static BigDecimal money(int cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  private static Table p() {
    List<List<Object>> rows = new ArrayList<>();
    for (int id = 1; id <= 30; id++) {
      rows.add(Arrays.asList(id, id % 4,
          id % 7 == 0 ? null : (id * 5) % 13 - 6,
          id % 5 == 2 ? null : (id * 3) % 11 - 4,
          id % 6 == 1 ? null : money(((id * 37) % 200 - 100) * 25),
          id % 8 == 3 ? null : STRINGS.get((id * 3) % STRINGS.size()),
          id % 9 == 4 ? null : LocalDate.of(2023, 12, 20).plusDays(id * 3L % 40),
          id % 5 == 0 ? null : id % 3 == 0));
    }
    return new Table("p", List.of(col("id", Type.INT, false), col("g", Type.INT, false),
        col("a", Type.INT, true), col("b", Type.INT, true), col("d", Type.DEC, true),
        col("s", Type.STR, true), col("dt", Type.DATE, true), col("f", Type.BOOL, true)),
        rows);
  }

  private static Table q() {
    List<List<Object>> rows = new ArrayList<>();
    for (int id = 1; id <= 24; id++) {
      rows.add(Arrays.asList(id, id % 3,
          id % 6 == 5 ? null : (id * 7) % 15 - 7,
          id % 4 == 0 ? null : id % 5 - 2,
          id % 7 == 3 ? null : money(((id * 53) % 36 - 12) * 25),
          id % 5 == 1 ? null : STRINGS.get((id * 7 + 1) % STRINGS.size())));
    }
    return new Table("q", List.of(col("id", Type.INT, false), col("g", Type.INT, false),
        col("x", Type.INT, true), col("y", Type.INT, true), col("m", Type.DEC, true),
        col("s", Type.STR, true)), rows);
  }

  private static Table r() {
    List<List<Object>> rows = new ArrayList<>();
    for (int id = 1; id <= 12; id++) {
      rows.add(Arrays.asList(id, id % 4 == 1 ? null : id % 6 - 3,
          id % 5 == 4 ? null : STRINGS.get((id * 2) % STRINGS.size())));
    }
    return new Table("r", List.of(col("id", Type.INT, false), col("k", Type.INT, true),
        col("s", Type.STR, true)), rows);
  }

  /**
   * Creates {@code table} as {@code qualifiedName} with column types spelled by
   * {@code ddl} and inserts its rows, values converted by {@code bind} where the source
   * stores a type differently (SQLite: dates as ISO text, booleans as 0/1).
   */
  static void load(Connection c, Table table, String qualifiedName,
      Function<Type, String> ddl, Function<Object, Object> bind) throws SQLException {
    String columns = table.columns().stream()
        .map(col -> col.name() + " " + ddl.apply(col.type())
            + (col.nullable() ? "" : " NOT NULL"))
        .collect(Collectors.joining(", "));
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + qualifiedName + " (" + columns + ")");
    }
    String marks = String.join(", ", Collections.nCopies(table.columns().size(), "?"));
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualifiedName
        + " VALUES (" + marks + ")")) {
      for (List<Object> row : table.rows()) {
        for (int i = 0; i < row.size(); i++) {
          Object value = bind.apply(row.get(i));
          int index = i + 1;
          if (value == null) {
            ps.setNull(index, table.columns().get(i).type().jdbcType);
          } else if (value instanceof LocalDate d) {
            ps.setDate(index, Date.valueOf(d));
          } else {
            ps.setObject(index, value);
          }
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(autoCommit);
  }
}
