package dev.junction.spi;

import org.apache.calcite.rel.RelNode;

/**
 * What a source can run, asked by the planner's pushdown phase. A source's Calcite
 * convention implements it: the phase walks a query's plan bottom up, hands each operator
 * whose inputs the source already holds to {@link #push}, and turns every maximal subtree
 * the source accepted into one remote statement with {@link #statement}. The rest of the
 * plan, what spans sources or what no source can express, is planned by cost around those
 * statements.
 */
public interface SourcePushdown {
  /**
   * The operator {@code node} in this source's convention, or null when the source cannot
   * run it exactly as Junction would (an operator its dialect lacks, a literal its SQL
   * cannot carry, a join type it has no syntax for). The node's inputs are already in this
   * convention, or are values the source can take.
   */
  RelNode push(RelNode node);

  /**
   * A leaf of the executable plan that sends {@code pushed}, a subtree in this source's
   * convention, to the source as one statement and streams its rows.
   */
  RelNode statement(RelNode pushed);

  /**
   * Whether the source's own planner derives, from an {@code OR} in a join's condition, the
   * restriction each branch puts on one side, as Junction's planner does for joins that
   * span sources. A join whose tables all live in such a source is sent as written: a
   * derived filter added to its SQL is counted twice by the source's estimates. False by
   * default.
   */
  default boolean derivesJoinDisjunctions() {
    return false;
  }

  /**
   * Whether the source compares character strings as Junction does, by their characters
   * (case and accents count): then its grouping by a string column, and its minimum and
   * maximum of one, equal Junction's, and part of a grouping may be computed in the source
   * for Junction to finish. A source that compares by a collation (MariaDB's
   * case-insensitive default, PostgreSQL's ordering by the database's locale) does not.
   * False by default.
   */
  default boolean comparesStringsExactly() {
    return false;
  }
}
