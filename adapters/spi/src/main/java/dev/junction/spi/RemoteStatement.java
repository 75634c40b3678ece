package dev.junction.spi;

import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;

import java.util.List;
import java.util.function.Consumer;

/**
 * A leaf of the executable plan that runs a subtree in one source as one statement, made
 * by {@link SourcePushdown#statement}. The planner asks it what it sends, to push more
 * work into it (a filter on keys from the other side of a join) and to show it in EXPLAIN.
 */
public interface RemoteStatement {
  /** The source's pushdown, which made this statement. */
  SourcePushdown pushdown();

  /** The subtree sent, in the source's convention. */
  RelNode pushed();

  /** The source's name in the catalog. */
  String sourceName();

  /** The SQL sent, on one line, correlated keys shown as {@code ?}. */
  String sql();

  /**
   * This statement restricted to the rows whose columns {@code keys} each take one of a
   * set of values known only at run time (the distinct join keys of the other side of a
   * join), sent as one array parameter per column; or null when the source takes no
   * array of one of these columns' types. {@code rows} is the estimate of the rows it
   * returns. The result is a plan node to be generated only by
   * {@link #implementKeyed}.
   */
  default RelNode keyedBy(List<Integer> keys, double rows) {
    return null;
  }

  /**
   * Whether {@link #keyedBy} gives a statement for {@code keys}, answered without making
   * it: the planner asks this to choose between one array per key column and batches of
   * keys. By default it makes one; a statement that can tell from the keys' types alone
   * overrides this.
   */
  default boolean takesKeyArrays(List<Integer> keys) {
    return keyedBy(keys, 1) != null;
  }

  /**
   * The code for a statement made by {@link #keyedBy}: its block evaluates to a
   * {@code Function1<Object[], Enumerable<?>>} that takes, for each key column in order,
   * an {@code Object[]} of the distinct values to keep, and sends the statement with them
   * bound each time its enumerable is enumerated.
   */
  default EnumerableRel.Result implementKeyed(EnumerableRelImplementor implementor,
      EnumerableRel.Prefer pref) {
    throw new UnsupportedOperationException("not a keyed statement: " + sql());
  }

  /**
   * {@code rows}, the code of a local part of the plan that reads this statement with
   * values only that part supplies (keys or correlation variables from its other input),
   * made able to run ahead of the caller as one unit, as uncorrelated statements do, and
   * bounded by this statement's source; by default {@code rows} itself.
   */
  default Expression readingAhead(Expression rows) {
    return rows;
  }

  /**
   * Calls {@code action} on every node of {@code plan}: its inputs, the plans of its
   * subqueries, and the subtrees remote statements send, which a plain visit of a plan does
   * not reach.
   */
  static void forEachNode(RelNode plan, Consumer<RelNode> action) {
    action.accept(plan);
    if (plan instanceof RemoteStatement statement) {
      forEachNode(statement.pushed(), action);
    }
    plan.accept(new RexShuttle() {
      @Override public RexNode visitSubQuery(RexSubQuery subQuery) {
        forEachNode(subQuery.rel, action);
        return subQuery;
      }
    });
    for (RelNode input : plan.getInputs()) {
      forEachNode(input, action);
    }
  }
}
