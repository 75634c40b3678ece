package dev.junction.planner.planning;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.EnumerableDefaults;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.function.EqualityComparer;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.function.Function2;
import org.apache.calcite.linq4j.function.Predicate2;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The run-time half of {@link KeySetJoin}: reads the outer input, sends its distinct keys
 * to the inner source in one statement, and hash-joins what comes back. Called by
 * generated code.
 */
public final class KeySetJoins {
  private KeySetJoins() {
  }

  /**
   * The join of {@code outer} with the rows {@code inner} returns for the outer rows'
   * keys; {@code joinType} is the name of a {@code JoinRelType} (INNER, LEFT, SEMI or
   * ANTI). With no key at all (an empty outer input, or only NULL keys), nothing is sent.
   */
  public static Enumerable<Object> join(Enumerable<Object> outer,
      Function1<Object[], Enumerable<Object>> inner, Function1<Object, Object> outerKey,
      Function1<Object, Object> innerKey, Function2<Object, Object, Object> resultSelector,
      EqualityComparer<Object> comparer, Predicate2<Object, Object> predicate,
      String joinType, int keyCount) {
    return new AbstractEnumerable<Object>() {
      @Override public Enumerator<Object> enumerator() {
        List<Object> rows = outer.toList();
        Object[] keys = distinctKeys(rows, outerKey, keyCount);
        Enumerable<Object> matched = keys == null ? Linq4j.emptyEnumerable() : inner.apply(keys);
        Enumerable<Object> left = Linq4j.asEnumerable(rows);
        Enumerable<Object> joined = switch (joinType) {
          case "SEMI" -> EnumerableDefaults.semiJoin(left, matched, outerKey, innerKey,
              comparer, false, predicate);
          case "ANTI" -> EnumerableDefaults.semiJoin(left, matched, outerKey, innerKey,
              comparer, true, predicate);
          default -> EnumerableDefaults.hashJoin(left, matched, outerKey, innerKey,
              resultSelector, comparer, false, "LEFT".equals(joinType), predicate);
        };
        return joined.enumerator();
      }
    };
  }

  /**
   * For each key column, an {@code Object[]} of the distinct non-null values the rows
   * hold (a row with a NULL key joins nothing); null when there is none. The key
   * accessor returns a list of the values (Calcite's null-aware accessor does for one
   * key too), or the value.
   */
  static Object[] distinctKeys(List<Object> rows, Function1<Object, Object> outerKey,
      int keyCount) {
    @SuppressWarnings("unchecked")
    Set<Object>[] sets = new Set[keyCount];
    for (int i = 0; i < keyCount; i++) {
      sets[i] = new HashSet<>();
    }
    for (Object row : rows) {
      Object key = outerKey.apply(row);
      if (key == null) {
        continue;
      }
      if (!(key instanceof List<?> values)) {
        sets[0].add(key);
        continue;
      }
      if (values.contains(null)) {
        continue;
      }
      for (int i = 0; i < keyCount; i++) {
        sets[i].add(values.get(i));
      }
    }
    if (sets[0].isEmpty()) {
      return null;
    }
    Object[] keys = new Object[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = sets[i].toArray();
    }
    return keys;
  }
}
