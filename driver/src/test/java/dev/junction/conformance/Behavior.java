package dev.junction.conformance;

/**
 * What a source executes itself, declared per adapter the way Trino's connector tests
 * declare {@code hasBehavior}. A shape that needs a behavior an adapter lacks must still
 * return the correct answer, computed in Junction over what the source can return.
 */
public enum Behavior {
  /** Joins between tables of two schemas of one source (SQLite has a single schema). */
  SUPPORTS_MULTIPLE_SCHEMAS,
  /** {@code RIGHT JOIN} is executed by the source. */
  PUSHDOWN_RIGHT_JOIN,
  /** {@code FULL JOIN} is executed by the source (MariaDB has none). */
  PUSHDOWN_FULL_JOIN,
  /**
   * Semi joins ({@code IN (SELECT ..)}, {@code EXISTS}) run in the source. Calcite's
   * RelToSqlConverter printed one as an {@code EXISTS} subquery whose outer column bound to
   * the subquery's own column of the same name (no rows where 12 were due); Junction's SQL
   * generator qualifies it, and every adapter declares this.
   */
  PUSHDOWN_SEMI_JOIN,
  /**
   * {@code NOT IN (SELECT ..)}, which Calcite plans as joins with the subquery's counts,
   * runs in the source as one statement.
   */
  PUSHDOWN_NOT_IN_SUBQUERY,
  /** {@code INTERSECT} and {@code EXCEPT} are executed by the source. */
  PUSHDOWN_INTERSECT_EXCEPT,
  /** Aggregates with a {@code FILTER (WHERE ..)} clause, or an equivalent, run remotely. */
  PUSHDOWN_AGGREGATE_FILTER,
  /** {@code STDDEV_SAMP} and {@code VAR_POP} are computed by the source, exactly. */
  PUSHDOWN_VARIANCE,
  /** {@code EXTRACT(unit FROM date)} is pushed. */
  PUSHDOWN_EXTRACT,
  /** {@code FLOOR(date TO MONTH)} is pushed. */
  PUSHDOWN_FLOOR_DATE,
  /** {@code CAST} to DATE is pushed. */
  PUSHDOWN_CAST_DATE,
  /** {@code INITCAP}, a function only some databases have, is pushed. */
  PUSHDOWN_INITCAP,
  /**
   * Window functions are pushed. No adapter declares it: Calcite 1.42 cannot push them
   * (CALCITE-7616), so they always run in Junction.
   */
  PUSHDOWN_WINDOW
}
