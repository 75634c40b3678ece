package dev.junction.planner.local;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.function.Functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The run-time half of {@link LocalSort}: collects its input into a list and sorts it once.
 * Called by generated code, so it is public and lives in the planner's jar, which the
 * class loader that compiles generated code (Calcite's own) sees.
 *
 * <p>Design: Calcite's {@code EnumerableSort} calls linq4j's {@code orderBy}, which puts
 * every row into a {@code TreeMap} from sort key to a list of the rows with that key: a
 * tree node, a list and a map lookup per row. Sorting the collected rows with the same
 * comparator gives the same order, since linq4j's map keeps rows with equal keys in
 * arrival order and {@link List#sort} is stable (TimSort), and it took 3.4x less time
 * for 1.5 million rows in the local engine benchmark.
 */
public final class LocalSorts {
  private LocalSorts() {
  }

  /**
   * The rows of {@code source} in the order of their keys, rows with equal keys in the
   * order they came: the contract of linq4j's {@code EnumerableDefaults.orderBy(source,
   * keySelector, comparator)}, which Calcite's generated code calls with the same
   * arguments. The input is read, and sorted, each time the result is enumerated.
   *
   * @param source the rows to sort; not modified
   * @param keySelector the sort key of a row: the row itself (Calcite's identity selector,
   *     for several sort fields, the comparator comparing rows) or one field
   * @param comparator the order of keys, with Calcite's directions and null ordering;
   *     null for the keys' natural order
   */
  public static <T, K> Enumerable<T> orderBy(Enumerable<T> source,
      Function1<T, K> keySelector, Comparator<K> comparator) {
    Comparator<T> order = rowOrder(keySelector, comparator);
    return new AbstractEnumerable<T>() {
      @Override public Enumerator<T> enumerator() {
        List<T> rows = new ArrayList<>();
        try (Enumerator<T> e = source.enumerator()) {
          while (e.moveNext()) {
            rows.add(e.current());
          }
        }
        rows.sort(order);
        return Linq4j.enumerator(rows);
      }
    };
  }

  /**
   * Rows {@code offset} to {@code offset + fetch - 1} of {@link #orderBy(Enumerable,
   * Function1, Comparator) orderBy(source, keySelector, comparator)}: what Calcite's
   * {@code EnumerableLimit} over its sort returns, holding at most twice
   * {@code offset + fetch} rows at a time (see {@link #firstRows}).
   *
   * @param offset rows to skip, at least 0
   * @param fetch rows to return at most, at least 0; {@link Integer#MAX_VALUE} for all
   */
  public static <T, K> Enumerable<T> orderBy(Enumerable<T> source,
      Function1<T, K> keySelector, Comparator<K> comparator, int offset, int fetch) {
    Comparator<T> order = rowOrder(keySelector, comparator);
    return new AbstractEnumerable<T>() {
      @Override public Enumerator<T> enumerator() {
        if (fetch <= 0) {
          return Linq4j.emptyEnumerator();
        }
        long end = (long) offset + fetch;
        List<T> rows = firstRows(source, order, end);
        if (offset >= rows.size()) {
          return Linq4j.emptyEnumerator();
        }
        return Linq4j.enumerator(rows.subList(offset, (int) Math.min(rows.size(), end)));
      }
    };
  }

  /**
   * At least the first {@code needed} rows of the source in {@code order} (ties in arrival
   * order), sorted; all of them if there are fewer.
   *
   * <p>Design: rows are appended to a buffer; when it holds twice {@code needed}, it is
   * sorted and cut to the first {@code needed}, and from then on a row that does not sort
   * before the last row kept is dropped on arrival: it, and every row equal to it since it
   * came later, would follow at least {@code needed} rows. Rows kept precede rows appended
   * later, so the stable sort keeps ties in arrival order. Each cut sorts a buffer whose
   * first half is already sorted, which TimSort merges: n log(needed) comparisons in all,
   * and no allocation per row. With {@code needed} as large as the input this is one sort
   * of the whole input.
   */
  static <T> List<T> firstRows(Enumerable<T> source, Comparator<T> order, long needed) {
    boolean bounded = needed <= Integer.MAX_VALUE / 2;
    int keep = bounded ? (int) needed : Integer.MAX_VALUE;
    List<T> rows = new ArrayList<>();
    boolean cut = false;
    T last = null;
    try (Enumerator<T> e = source.enumerator()) {
      while (e.moveNext()) {
        T row = e.current();
        if (cut && order.compare(row, last) >= 0) {
          continue;
        }
        rows.add(row);
        if (bounded && rows.size() >= 2 * keep) {
          rows.sort(order);
          rows.subList(keep, rows.size()).clear();
          last = rows.get(keep - 1);
          cut = true;
        }
      }
    }
    rows.sort(order);
    return rows;
  }

  /**
   * The order of rows by their keys. The key of a single sort field is a field access,
   * cheap enough to repeat in each comparison; keeping keys beside rows would cost an
   * object per row, which is what this sort saves.
   */
  @SuppressWarnings("unchecked")
  static <T, K> Comparator<T> rowOrder(Function1<T, K> keySelector, Comparator<K> comparator) {
    Comparator<K> keys = comparator != null ? comparator
        : (Comparator<K>) Comparator.naturalOrder();
    if (keySelector == Functions.<T>identitySelector()) {
      return (Comparator<T>) keys;
    }
    return (a, b) -> keys.compare(keySelector.apply(a), keySelector.apply(b));
  }
}
