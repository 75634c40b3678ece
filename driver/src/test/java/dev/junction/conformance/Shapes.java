package dev.junction.conformance;

import java.util.Arrays;
import java.util.List;

import static dev.junction.conformance.Behavior.PUSHDOWN_AGGREGATE_FILTER;
import static dev.junction.conformance.Behavior.PUSHDOWN_CAST_DATE;
import static dev.junction.conformance.Behavior.PUSHDOWN_EXTRACT;
import static dev.junction.conformance.Behavior.PUSHDOWN_FLOOR_DATE;
import static dev.junction.conformance.Behavior.PUSHDOWN_FULL_JOIN;
import static dev.junction.conformance.Behavior.PUSHDOWN_INITCAP;
import static dev.junction.conformance.Behavior.PUSHDOWN_INTERSECT_EXCEPT;
import static dev.junction.conformance.Behavior.PUSHDOWN_NOT_IN_SUBQUERY;
import static dev.junction.conformance.Behavior.PUSHDOWN_RIGHT_JOIN;
import static dev.junction.conformance.Behavior.PUSHDOWN_SEMI_JOIN;
import static dev.junction.conformance.Behavior.PUSHDOWN_VARIANCE;
import static dev.junction.conformance.Behavior.PUSHDOWN_WINDOW;
import static dev.junction.conformance.Shape.of;

/**
 * The shapes of the battery. Each is portable SQL that Junction accepts and that the
 * reference DuckDB answers the same way (or names its own reference query), over
 * {@link ConformanceData}.
 */
final class Shapes {
  private Shapes() {
  }

  private static final double APPROX = 1e-9;

  static final List<Shape> ALL = List.of(
      // Projection and expressions
      of("project_columns", "SELECT id, name, city, since FROM {customers}")
          .pushed("SELECT ID, NAME, CITY, SINCE"),
      of("arithmetic", "SELECT id, amount * 2 - 1, amount + 0.5, weight / 2, MOD(id, 7)"
          + " FROM {orders}")
          .pushed("* 2").approximately(APPROX),
      // Calcite types CASE over literals of different lengths as CHAR(5), blank-padded as
      // the SQL standard says ('mid  '); the sources return VARCHAR, hence rpad. Making it
      // VARCHAR (shouldConvertRaggedUnionTypesToVarying) broke CHAR(n) = literal
      // comparisons in TPC-H Q12, so the standard behavior stays.
      of("case_when", "SELECT id, CASE WHEN amount > 150 THEN 'big' WHEN amount > 50 THEN 'mid'"
          + " ELSE 'small' END AS size FROM {orders}")
          .reference("SELECT id, rpad(CASE WHEN amount > 150 THEN 'big' WHEN amount > 50"
              + " THEN 'mid' ELSE 'small' END, 5, ' ') AS size FROM {orders}")
          .pushed("CASE WHEN"),
      of("coalesce", "SELECT id, COALESCE(city, 'unknown'), COALESCE(credit, 0) FROM {customers}")
          .pushed("COALESCE|CASE"),
      of("cast_to_varchar", "SELECT id, CAST(id AS VARCHAR(10)) || '-' || status FROM {orders}")
          .pushed("CAST("),
      of("cast_to_decimal", "SELECT id, CAST(weight AS DECIMAL(10, 2)), CAST(qty AS DECIMAL(10, 2))"
          + " * price FROM {orders} JOIN {items} ON order_id = id AND line = 1")
          .pushed("CAST(", "JOIN"),
      of("cast_to_date", "SELECT id, CAST(shipped AS DATE) FROM {orders} WHERE shipped IS NOT NULL")
          .requires(PUSHDOWN_CAST_DATE).pushed("WHERE SHIPPED IS NOT NULL"),
      of("upper_lower", "SELECT id, UPPER(name), LOWER(name) FROM {customers}")
          .pushed("UPPER(", "LOWER("),
      of("substring_char_length",
          "SELECT id, SUBSTRING(name FROM 2 FOR 3), CHAR_LENGTH(name) FROM {customers}")
          .pushed("SUBSTR"),
      of("trim_concat", "SELECT id, TRIM(name) || '@' || COALESCE(city, '?') FROM {customers}")
          .pushed("TRIM("),
      of("extract_from_date_and_timestamp", "SELECT id, EXTRACT(YEAR FROM placed),"
          + " EXTRACT(MONTH FROM placed), EXTRACT(HOUR FROM shipped) FROM {orders}")
          .requires(PUSHDOWN_EXTRACT).pushed("SELECT").localOnly("EXTRACT"),
      of("initcap_missing_on_some_sources",
          "SELECT id, INITCAP(name) FROM {customers} WHERE id IN (3, 4, 5)")
          .expect(List.of(row(3, "Bob"), row(4, "Carol"), row(5, "Dave Smith")))
          .requires(PUSHDOWN_INITCAP).pushed("INITCAP(").localOnly("INITCAP"),

      // Filters
      of("filter_equals_not_equals",
          "SELECT id FROM {orders} WHERE status = 'shipped' AND customer_id <> 3")
          .pushed("WHERE", "'SHIPPED'"),
      of("filter_case_sensitive_equals", "SELECT id, name FROM {customers} WHERE name = 'alice'")
          .pushed("WHERE", "'alice'"),
      of("filter_range", "SELECT id FROM {orders} WHERE amount >= 50 AND amount < 150.5")
          .pushed("WHERE", ">="),
      of("filter_between_dates", "SELECT id FROM {orders}"
          + " WHERE placed BETWEEN DATE '2024-02-01' AND DATE '2024-03-31'")
          .pushed("WHERE", "2024-02-01"),
      of("filter_timestamp", "SELECT id FROM {orders}"
          + " WHERE shipped >= TIMESTAMP '2024-03-01 12:00:00'")
          .pushed("WHERE", "2024-03-01"),
      of("filter_in_list", "SELECT id FROM {orders} WHERE status IN ('open', 'returned')")
          .pushed("WHERE", "'RETURNED'"),
      of("filter_not_in_list", "SELECT id FROM {orders} WHERE customer_id NOT IN (1, 2, 3)")
          .pushed("WHERE"),
      of("filter_is_null", "SELECT id FROM {customers} WHERE city IS NULL OR credit IS NULL")
          .pushed("IS NULL"),
      of("filter_is_not_null", "SELECT id FROM {orders} WHERE note IS NOT NULL AND shipped IS NULL")
          .pushed("IS NOT NULL"),
      of("filter_or", "SELECT id FROM {orders} WHERE status = 'open' OR amount > 180")
          .pushed("WHERE", " OR "),
      of("filter_like", "SELECT id FROM {customers} WHERE name LIKE '%a%' AND name NOT LIKE 'A%'")
          .pushed("LIKE"),
      of("filter_boolean_column", "SELECT id FROM {customers} WHERE active AND NOT (id = 4)")
          .pushed("WHERE", "ACTIVE"),
      of("filter_not_boolean", "SELECT id FROM {customers} WHERE NOT active")
          .pushed("WHERE", "ACTIVE"),

      // Aggregates
      of("count_star", "SELECT COUNT(*) FROM {orders}").pushed("COUNT(*)"),
      of("count_column", "SELECT COUNT(city), COUNT(credit), COUNT(*) FROM {customers}")
          .pushed("COUNT(CITY)"),
      of("count_distinct", "SELECT COUNT(DISTINCT customer_id) FROM {orders}")
          .pushed("COUNT(DISTINCT"),
      of("count_distinct_grouped",
          "SELECT status, COUNT(DISTINCT customer_id) FROM {orders} GROUP BY status")
          .pushed("GROUP BY"),
      of("sum_min_max_avg_integer", "SELECT SUM(qty), MIN(qty), MAX(qty), AVG(qty) FROM {items}")
          .pushed("SUM(QTY)", "MIN(QTY)").approximately(APPROX),
      of("sum_min_max_avg_decimal",
          "SELECT SUM(amount), MIN(amount), MAX(amount), AVG(amount) FROM {orders}")
          .pushed("SUM(AMOUNT)").approximately(APPROX),
      of("sum_avg_double", "SELECT SUM(weight), AVG(weight), MAX(weight) FROM {orders}")
          .pushed("SUM(WEIGHT)").approximately(APPROX),
      of("group_by_two_keys", "SELECT customer_id, status, COUNT(*), SUM(amount) FROM {orders}"
          + " GROUP BY customer_id, status")
          .pushed("GROUP BY"),
      of("having", "SELECT customer_id, COUNT(*), SUM(amount) FROM {orders}"
          + " GROUP BY customer_id HAVING COUNT(*) >= 3 AND SUM(amount) > 250")
          .pushed("GROUP BY", "HAVING"),
      of("aggregate_filter_clause", "SELECT status, COUNT(*) FILTER (WHERE amount > 100),"
          + " SUM(amount) FILTER (WHERE weight > 2) FROM {orders} GROUP BY status")
          .requires(PUSHDOWN_AGGREGATE_FILTER).pushed("GROUP BY").localOnly("FILTER"),
      of("group_by_extract_year", "SELECT EXTRACT(YEAR FROM placed) AS y, COUNT(*), SUM(amount)"
          + " FROM {orders} GROUP BY EXTRACT(YEAR FROM placed)")
          .requires(PUSHDOWN_EXTRACT).pushed("GROUP BY").localOnly("EXTRACT"),
      of("group_by_floor_to_month", "SELECT FLOOR(placed TO MONTH) AS m, COUNT(*) FROM {orders}"
          + " GROUP BY FLOOR(placed TO MONTH)")
          .reference("SELECT CAST(date_trunc('month', placed) AS DATE) AS m, COUNT(*)"
              + " FROM {orders} GROUP BY 1")
          .requires(PUSHDOWN_FLOOR_DATE).pushed("GROUP BY").localOnly("FLOOR"),
      of("stddev_variance", "SELECT status, STDDEV_SAMP(amount), VAR_POP(weight) FROM {orders}"
          + " GROUP BY status")
          // Calcite expands both into SUM(x * x), SUM(x), COUNT(x) and POWER(.., 0.5).
          .requires(PUSHDOWN_VARIANCE).pushed("GROUP BY", "POWER(").localOnly("POWER(")
          .approximately(1e-6),

      // Sorting and limits
      // A constant grouping or sort key is a column ordinal in DuckDB, MariaDB and SQLite
      // (GROUP BY 0 failed there; found by DifferentialIT).
      of("distinct_constant", "SELECT DISTINCT 0 AS c FROM {orders} WHERE status = 'open'")
          .pushed("FROM"),
      of("order_by_constant_alias", "SELECT 2 AS c, id FROM {customers} ORDER BY c, id")
          .inOrder().pushed("ORDER BY"),
      of("order_by_desc_asc", "SELECT id, amount FROM {orders} ORDER BY amount DESC, id ASC")
          .inOrder().pushed("ORDER BY"),
      of("order_by_nulls_first", "SELECT id, city FROM {customers} ORDER BY city NULLS FIRST, id")
          .inOrder().pushed("ORDER BY"),
      of("order_by_desc_nulls_last",
          "SELECT id, city FROM {customers} ORDER BY city DESC NULLS LAST, id")
          .inOrder().pushed("ORDER BY"),
      // Junction sorts NULLs as the highest values (as PostgreSQL and Calcite do), whatever
      // the source's own default; DuckDB's default is NULLS LAST, hence the reference.
      of("order_by_default_nulls", "SELECT id, weight FROM {orders} ORDER BY weight DESC, id")
          .reference("SELECT id, weight FROM {orders} ORDER BY weight DESC NULLS FIRST, id")
          .inOrder().pushed("ORDER BY"),
      of("limit_without_order", "SELECT COUNT(*) FROM (SELECT id FROM {orders}"
          + " WHERE status = 'shipped' LIMIT 3) t")
          .pushed("LIMIT 3|FETCH NEXT 3"),
      of("top_n", "SELECT id, amount FROM {orders} ORDER BY amount DESC, id LIMIT 5")
          .inOrder().pushed("ORDER BY", "LIMIT 5|FETCH NEXT 5"),
      of("limit_offset", "SELECT id FROM {orders} ORDER BY id LIMIT 5 OFFSET 10")
          .inOrder().pushed("ORDER BY", "OFFSET 10"),

      // Same-source joins
      of("inner_join", "SELECT c.name, o.id, o.amount FROM {orders} o"
          + " JOIN {customers} c ON o.customer_id = c.id WHERE o.amount > 100")
          .pushed("JOIN", "WHERE"),
      of("left_join", "SELECT c.id, o.id FROM {customers} c"
          + " LEFT JOIN {orders} o ON o.customer_id = c.id AND o.status = 'open'")
          .pushed("LEFT JOIN"),
      of("right_join", "SELECT c.name, o.id FROM {customers} c"
          + " RIGHT JOIN {orders} o ON o.customer_id = c.id")
          .requires(PUSHDOWN_RIGHT_JOIN).pushed("JOIN").localOnly("RIGHT JOIN"),
      of("full_join", "SELECT c.id, o.id FROM {customers} c"
          + " FULL JOIN {orders} o ON o.customer_id = c.id AND o.amount > 100")
          .requires(PUSHDOWN_FULL_JOIN).pushed("FULL JOIN").localOnly("FULL JOIN"),
      of("semi_join_in", "SELECT id, name FROM {customers}"
          + " WHERE id IN (SELECT customer_id FROM {orders} WHERE amount > 150)")
          .requires(PUSHDOWN_SEMI_JOIN).pushed("IN (SELECT").localOnly("IN (SELECT"),
      of("semi_join_exists", "SELECT c.id FROM {customers} c WHERE EXISTS"
          + " (SELECT 1 FROM {orders} o WHERE o.customer_id = c.id AND o.status = 'returned')")
          .requires(PUSHDOWN_SEMI_JOIN).pushed("EXISTS (SELECT").localOnly("EXISTS"),
      of("anti_join_not_exists", "SELECT c.id FROM {customers} c WHERE NOT EXISTS"
          + " (SELECT 1 FROM {orders} o WHERE o.customer_id = c.id AND o.status = 'shipped')"),
      of("anti_join_not_in", "SELECT id FROM {customers}"
          + " WHERE id NOT IN (SELECT customer_id FROM {orders} WHERE status = 'open')")
          .requires(PUSHDOWN_NOT_IN_SUBQUERY),
      of("anti_join_not_in_with_null", "SELECT id FROM {customers}"
          + " WHERE id NOT IN (SELECT customer_id FROM {orders})")
          .requires(PUSHDOWN_NOT_IN_SUBQUERY),
      of("join_second_schema", "SELECT c.name, r.region FROM {customers} c"
          + " JOIN {regions} r ON c.city = r.city")
          .pushed("JOIN"),
      of("join_then_aggregate", "SELECT c.city, COUNT(*), SUM(i.qty * i.price) FROM {customers} c"
          + " JOIN {orders} o ON o.customer_id = c.id JOIN {items} i ON i.order_id = o.id"
          + " GROUP BY c.city")
          .pushed("JOIN", "GROUP BY"),

      // Set operations
      of("union_all", "SELECT customer_id FROM {orders} WHERE status = 'open'"
          + " UNION ALL SELECT id FROM {customers} WHERE active")
          .pushed("UNION ALL"),
      of("union", "SELECT customer_id FROM {orders} WHERE status = 'open'"
          + " UNION SELECT id FROM {customers} WHERE active")
          .pushed("UNION"),
      of("intersect", "SELECT customer_id FROM {orders} INTERSECT SELECT id FROM {customers}"
          + " WHERE active")
          .requires(PUSHDOWN_INTERSECT_EXCEPT)
          // Calcite may rewrite INTERSECT as UNION ALL + GROUP BY + HAVING, still remote.
          .pushed("INTERSECT|UNION ALL").localOnly("INTERSECT"),
      of("except", "SELECT id FROM {customers} EXCEPT SELECT customer_id FROM {orders}"
          + " WHERE status = 'shipped'")
          .requires(PUSHDOWN_INTERSECT_EXCEPT).pushed("EXCEPT").localOnly("EXCEPT"),

      // Subqueries
      of("scalar_subquery_in_where", "SELECT id, amount FROM {orders}"
          + " WHERE amount >= (SELECT MAX(amount) FROM {orders} WHERE status = 'open')"),
      of("correlated_scalar_subquery", "SELECT c.id, (SELECT COUNT(*) FROM {orders} o"
          + " WHERE o.customer_id = c.id) FROM {customers} c"),
      of("derived_table", "SELECT t.status, t.total FROM (SELECT status, SUM(amount) AS total"
          + " FROM {orders} GROUP BY status) t WHERE t.total > 1000")
          .pushed("GROUP BY"),
      of("common_table_expression", "WITH big AS (SELECT customer_id, SUM(amount) AS s"
          + " FROM {orders} GROUP BY customer_id) SELECT c.name, big.s FROM big"
          + " JOIN {customers} c ON c.id = big.customer_id")
          .pushed("GROUP BY", "JOIN"),
      // Q15's shape: the planner prunes each use of the CTE on its own, yet the source
      // gets it once, as a WITH item both uses read.
      of("common_table_expression_used_twice", "WITH totals AS (SELECT customer_id,"
          + " SUM(amount) AS s FROM {orders} WHERE status <> 'cancelled' GROUP BY customer_id)"
          + " SELECT c.name, t.s FROM totals t JOIN {customers} c ON c.id = t.customer_id"
          + " WHERE t.s = (SELECT MAX(s) FROM totals)")
          .pushed("WITH ", "MAX(", "GROUP BY"),
      of("distinct", "SELECT DISTINCT status, customer_id FROM {orders}")
          .pushed("GROUP BY|DISTINCT"),

      // Window functions: always in Junction (CALCITE-7616), over what the source returns
      of("window_row_number", "SELECT id, customer_id, ROW_NUMBER() OVER (PARTITION BY"
          + " customer_id ORDER BY amount DESC, id) FROM {orders} WHERE status <> 'cancelled'")
          .requires(PUSHDOWN_WINDOW).localOnly("OVER"),
      of("window_sum_partition", "SELECT id, SUM(amount) OVER (PARTITION BY status) FROM {orders}")
          .requires(PUSHDOWN_WINDOW).localOnly("OVER"));

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
