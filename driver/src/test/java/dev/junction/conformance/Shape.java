package dev.junction.conformance;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One SQL shape of the battery. Table names are written as placeholders ({@code
 * {customers}}, {@code {orders}}, {@code {items}}, {@code {regions}}) that each adapter's
 * test resolves to its source's tables, and that the reference database resolves to its
 * own.
 *
 * @param name         short name, shown in test reports
 * @param sql          the query sent through Junction
 * @param referenceSql the query run on the reference DuckDB; {@code null} means the same
 *                     text as {@code sql}
 * @param expectedRows explicit expected rows, used instead of a reference query where the
 *                     reference database lacks the function under test; else {@code null}
 * @param requires     behaviors the source needs to execute the whole shape
 * @param pushed       fragments the one statement sent to the source must contain when it
 *                     has every required behavior; alternatives are separated by
 *                     {@code |} (one dialect writes LIMIT, another FETCH)
 * @param localOnly    fragments that must not reach a source lacking a required behavior,
 *                     because that work has to run in Junction
 * @param ordered      whether row order is part of the answer (a total ORDER BY)
 * @param tolerance    relative tolerance for numbers; 0 compares exactly
 */
record Shape(String name, String sql, String referenceSql, List<List<Object>> expectedRows,
    Set<Behavior> requires, List<String> pushed, List<String> localOnly, boolean ordered,
    double tolerance) {

  @Override public String toString() {
    return name;
  }

  /** Starts a shape whose reference is the same SQL on the reference database. */
  static Shape of(String name, String sql) {
    return new Shape(name, sql, null, null, EnumSet.noneOf(Behavior.class), List.of(),
        List.of(), false, 0);
  }

  /** The shape with another reference query. */
  Shape reference(String referenceSql) {
    return new Shape(name, sql, referenceSql, expectedRows, requires, pushed, localOnly,
        ordered, tolerance);
  }

  /** The shape with explicit expected rows instead of a reference query. */
  Shape expect(List<List<Object>> rows) {
    return new Shape(name, sql, referenceSql, rows, requires, pushed, localOnly, ordered,
        tolerance);
  }

  /** The shape needing these behaviors of a source to be executed there whole. */
  Shape requires(Behavior... behaviors) {
    Set<Behavior> set = EnumSet.noneOf(Behavior.class);
    set.addAll(requires);
    set.addAll(Arrays.asList(behaviors));
    return new Shape(name, sql, referenceSql, expectedRows, set, pushed, localOnly, ordered,
        tolerance);
  }

  /** The fragments the pushed statement contains. */
  Shape pushed(String... fragments) {
    return new Shape(name, sql, referenceSql, expectedRows, requires, List.of(fragments),
        localOnly, ordered, tolerance);
  }

  /** The fragments that must not reach a source that cannot execute them. */
  Shape localOnly(String... fragments) {
    return new Shape(name, sql, referenceSql, expectedRows, requires, pushed,
        List.of(fragments), ordered, tolerance);
  }

  /** The shape's row order is significant. */
  Shape inOrder() {
    return new Shape(name, sql, referenceSql, expectedRows, requires, pushed, localOnly, true,
        tolerance);
  }

  /** Numbers are compared with a relative tolerance (AVG, STDDEV, DOUBLE sums). */
  Shape approximately(double relative) {
    return new Shape(name, sql, referenceSql, expectedRows, requires, pushed, localOnly,
        ordered, relative);
  }
}
