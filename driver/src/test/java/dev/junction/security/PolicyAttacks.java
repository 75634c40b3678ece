package dev.junction.security;

import static dev.junction.security.AttackRunner.column;
import static dev.junction.security.AttackRunner.one;
import static dev.junction.security.AttackRunner.row;

import dev.junction.security.Attack.Explain;
import dev.junction.security.Attack.Fails;
import dev.junction.security.Attack.Missing;
import dev.junction.security.Attack.Probe;
import dev.junction.security.Attack.Refused;
import dev.junction.security.Attack.Rows;
import dev.junction.security.Attack.RowsOrMissing;
import dev.junction.security.Attack.RowsOrRejected;
import dev.junction.security.PolicyFixture.Adapter;
import dev.junction.security.PolicyFixture.Customer;
import dev.junction.security.PolicyFixture.Order;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The attacks, as SQL templates over {@link View}'s placeholders with the answer each
 * must give computed from the fixture's rows. {@link #analyst()} is run as ana, bob and
 * dora (every expectation is relative to the caller: {@code {hr}} is a region they do not
 * see), {@link #admin()} as carl, {@link #outsider()} as eve.
 *
 * <p>Views are not attacked: Calcite as Junction runs it has no {@code CREATE VIEW} (a
 * {@code CREATE VIEW} is among the refused writes), and a catalog cannot define one.
 */
public final class PolicyAttacks {
  /** Attack classes, in report order. */
  public static final String COLUMNS = "hidden column";
  /** Quoted identifiers and case. */
  public static final String CASE = "identifier case";
  /** Subqueries. */
  public static final String SUBQUERY = "subquery";
  /** Common table expressions. */
  public static final String CTE = "CTE";
  /** UNION, INTERSECT, EXCEPT. */
  public static final String SET_OPS = "set operation";
  /** Joins, self-joins, cross joins. */
  public static final String JOIN = "join";
  /** Correlated EXISTS, NOT EXISTS, IN. */
  public static final String CORRELATED = "correlated";
  /** Aggregates, GROUP BY, HAVING. */
  public static final String AGGREGATE = "aggregate";
  /** Window functions. */
  public static final String WINDOW = "window";
  /** ORDER BY, LIMIT, OFFSET. */
  public static final String ORDER = "order/limit/offset";
  /** LIKE, range and equality oracles on the masked column. */
  public static final String MASK = "mask oracle";
  /** Division by zero and casts that would fail on a hidden row. */
  public static final String ERROR = "error oracle";
  /**
   * Predicates Junction runs itself rather than a source: joins across sources, and
   * conditions holding NUL, which PostgreSQL, DuckDB and SQLite cannot take in SQL.
   */
  public static final String LOCAL = "local evaluation";
  /** Prepared statements: parameters as oracles, and the metadata of a prepared query. */
  public static final String PREPARED = "prepared statement";
  /** Literal tricks from the injection fix. */
  public static final String LITERAL = "literal trick";
  /** Comments placed to confuse. */
  public static final String COMMENT = "comment";
  /** Tables and schemas the caller may not read. */
  public static final String DENIED = "denied object";
  /** EXPLAIN. */
  public static final String EXPLAIN = "explain";
  /** DatabaseMetaData. */
  public static final String METADATA = "metadata";
  /** Writes. */
  public static final String WRITE = "write";

  private static final List<String> STAR = List.of("id", "region", "tenant_id", "amount",
      "card_number", "note");
  private static final List<String> ADMIN_STAR = List.of("id", "region", "tenant_id",
      "amount", "card_number", "ssn", "note");
  /** For a value the caller's card cannot start with: a row of theirs is masked. */
  private static final String DIV_BY_HIDDEN_REGION =
      "1/(CASE WHEN region = '{hr}' THEN 0 ELSE 1 END)";

  private PolicyAttacks() {
  }

  /** The attacks an analyst runs; expectations follow the caller (ana, bob, dora). */
  public static List<Attack> analyst() {
    List<Attack> a = new ArrayList<>();
    hiddenColumns(a);
    identifierCase(a);
    subqueries(a);
    ctes(a);
    setOperations(a);
    joins(a);
    correlated(a);
    aggregates(a);
    windows(a);
    orderLimitOffset(a);
    maskOracles(a);
    errorOracles(a);
    literals(a);
    prepared(a);
    localEvaluation(a);
    comments(a);
    denied(a);
    explain(a);
    metadata(a);
    writes(a);
    return List.copyOf(a);
  }

  private static void hiddenColumns(List<Attack> a) {
    a.add(star(COLUMNS, "SELECT * FROM {o}", v -> map(v.orders(), PolicyAttacks::star)));
    a.add(star(COLUMNS, "SELECT o.* FROM {o} o WHERE o.id <= 40",
        v -> map(filter(v, o -> o.id() <= 40), PolicyAttacks::star)));
    a.add(star(COLUMNS, "SELECT * FROM (SELECT * FROM {o}) t WHERE t.id < 100",
        v -> map(filter(v, o -> o.id() < 100), PolicyAttacks::star)));
    a.add(missing(COLUMNS, "SELECT ssn FROM {o}", "ssn"));
    a.add(missing(COLUMNS, "SELECT id, ssn FROM {o} WHERE id = {hid}", "ssn"));
    a.add(missing(COLUMNS, "SELECT COUNT(ssn) FROM {o}", "ssn"));
    a.add(missing(COLUMNS, "SELECT id FROM {o} WHERE ssn LIKE '1%'", "ssn"));
    a.add(missing(COLUMNS, "SELECT id FROM {o} ORDER BY ssn", "ssn"));
    a.add(missing(COLUMNS, "SELECT ssn, COUNT(*) FROM {o} GROUP BY ssn", "ssn"));
    a.add(missing(COLUMNS, "SELECT o.ssn FROM {o} o", "ssn"));
    a.add(missing(COLUMNS, "SELECT t.ssn FROM (SELECT * FROM {o}) t", "ssn"));
    a.add(missing(COLUMNS, "SELECT COUNT(*) FROM {o} a JOIN {o} b USING (ssn)", "ssn"));
    a.add(missing(COLUMNS, "SELECT id FROM {o} WHERE id = {hid} AND ssn IS NOT NULL", "ssn"));
    a.add(missing(COLUMNS, "SELECT id FROM {o} WHERE CAST(ssn AS INTEGER) = 1", "ssn"));
    a.add(rows(COLUMNS, "SELECT COUNT(*) FROM {o} a NATURAL JOIN {o} b",
        v -> one(v.orders().size())));
  }

  private static void identifierCase(List<Attack> a) {
    a.add(missing(CASE, "SELECT \"SSN\" FROM {o}", "SSN"));
    a.add(missing(CASE, "SELECT \"ssn\" FROM {o}", "ssn"));
    a.add(missing(CASE, "SELECT Ssn FROM {o}", "Ssn"));
    a.add(missing(CASE, "SELECT o.\"Ssn\" FROM {o} o", "Ssn"));
    a.add(either(CASE, "SELECT COUNT(*) FROM {SRC}.{SCHEMA}.ORDERS", "ORDERS",
        v -> one(v.orders().size())));
    a.add(rows(CASE, "SELECT COUNT(*) FROM \"{src}\".\"{schema}\".\"orders\"",
        v -> one(v.orders().size())));
    a.add(either(CASE, "SELECT COUNT(*) FROM {src}.\"{schema}\".\"ORDERS\"", "ORDERS",
        v -> one(v.orders().size())));
    a.add(either(CASE, "SELECT COUNT(*) FROM {SRC}.{SCHEMA}.ORDERS WHERE REGION = '{hr}'",
        "ORDERS", v -> one(0)));
    a.add(either(CASE, "SELECT id, \"CARD_NUMBER\" FROM {o}", "CARD_NUMBER",
        v -> map(v.orders(), o -> row(o.id(), o.card()))));
    a.add(either(CASE, "SELECT id, Card_Number FROM {o}", "Card_Number",
        v -> map(v.orders(), o -> row(o.id(), o.card()))));
    a.add(either(CASE, "SELECT id FROM {o} WHERE \"REGION\" = '{hr}'", "REGION",
        v -> List.of()));
    a.add(missing(CASE, "SELECT * FROM {SRC}.{SCHEMA}.SECRETS", "SECRETS"));
    a.add(missing(CASE, "SELECT * FROM {src}.{schema}.\"Secrets\"", "Secrets"));
    a.add(missing(CASE, "SELECT * FROM {src}.\"{schema}\".\"SECRETS\"", "SECRETS"));
  }

  private static void subqueries(List<Attack> a) {
    a.add(rows(SUBQUERY, "SELECT COUNT(*) FROM (SELECT * FROM {o}) t",
        v -> one(v.orders().size())));
    a.add(rows(SUBQUERY, "SELECT id FROM (SELECT id, region FROM {o} WHERE region = '{hr}') t",
        v -> List.of()));
    a.add(rows(SUBQUERY, "SELECT (SELECT COUNT(*) FROM {o}) FROM {c} WHERE id = 1",
        v -> one(v.orders().size())));
    a.add(rows(SUBQUERY, "SELECT id FROM {o} WHERE id IN (SELECT id FROM {o}"
        + " WHERE region = '{hr}')", v -> List.of()));
    a.add(rows(SUBQUERY, "SELECT c.id FROM {c} c WHERE c.region IN (SELECT region FROM {o})",
        v -> column(v.customers().stream().filter(c -> regions(v).contains(c.region()))
            .map(Customer::id).toList())));
    a.add(rows(SUBQUERY, "SELECT COUNT(*) FROM {o} WHERE amount > (SELECT MIN(amount)"
        + " FROM {o})", v -> {
          BigDecimal min = v.orders().stream().map(Order::amount).min(Comparator.naturalOrder())
              .orElse(null);
          return one(min == null ? 0 : filter(v, o -> o.amount().compareTo(min) > 0).size());
        }));
    a.add(rows(SUBQUERY, "SELECT t.c FROM (SELECT card_number AS c FROM {o}) t"
        + " WHERE t.c LIKE '{hcard4}%'", v -> List.of()));
    a.add(rows(SUBQUERY, "SELECT MAX(x) FROM (SELECT id AS x FROM {o} UNION ALL"
        + " SELECT id FROM {c}) t", v -> one(Math.max(60, maxId(v)))));
    a.add(rows(SUBQUERY, "SELECT id FROM {o} WHERE id = (SELECT MAX(id) FROM {o})",
        v -> v.orders().isEmpty() ? List.of() : one(maxId(v))));
    a.add(rows(SUBQUERY, "SELECT COUNT(*) FROM {c} WHERE id < ALL (SELECT tenant_id FROM {o})",
        v -> one(v.customers().stream().filter(c -> v.orders().stream()
            .allMatch(o -> c.id() < o.tenantId())).count())));
    a.add(rows(SUBQUERY, "SELECT COUNT(*) FROM {o} WHERE id IN (SELECT id FROM {o}"
        + " WHERE card_number = '{ocard}')", v -> one(0)));
    // A scalar subquery fails on more than one row: a hidden row would make it fail.
    a.add(rows(SUBQUERY, "SELECT (SELECT id FROM {o} WHERE tenant_id = {ht}) FROM {c}"
        + " WHERE id = 1", v -> one((Object) null)));
    a.add(rows(SUBQUERY, "SELECT (SELECT id FROM {o} WHERE id <= 9) FROM {c} WHERE id = 1",
        v -> one(filter(v, o -> o.id() <= 9).stream().map(o -> (Object) o.id()).findFirst()
            .orElse(null))));
  }

  private static void ctes(List<Attack> a) {
    a.add(rows(CTE, "WITH t AS (SELECT * FROM {o}) SELECT COUNT(*) FROM t",
        v -> one(v.orders().size())));
    a.add(rows(CTE, "WITH t AS (SELECT id FROM {o} WHERE region = '{hr}')"
        + " SELECT COUNT(*) FROM t", v -> one(0)));
    a.add(missing(CTE, "WITH t AS (SELECT ssn FROM {o}) SELECT * FROM t", "ssn"));
    a.add(rows(CTE, "WITH a AS (SELECT id FROM {o}), b AS (SELECT id FROM a"
        + " WHERE MOD(id, 2) = 0) SELECT COUNT(*) FROM b",
        v -> one(filter(v, o -> o.id() % 2 == 0).size())));
    a.add(rows(CTE, "WITH t (i, r) AS (SELECT id, region FROM {o})"
        + " SELECT r, COUNT(*) FROM t GROUP BY r", v -> counts(v, Order::region)));
    a.add(rows(CTE, "WITH x AS (SELECT * FROM {o} WHERE card_number = '{ocard}')"
        + " SELECT COUNT(*) FROM x", v -> one(0)));
    a.add(missing(CTE, "WITH t AS (SELECT * FROM {s}) SELECT COUNT(*) FROM {c}", "secrets"));
  }

  private static void setOperations(List<Attack> a) {
    a.add(rows(SET_OPS, "SELECT id FROM {o} UNION SELECT id FROM {o}", PolicyAttacks::ids));
    a.add(rows(SET_OPS, "SELECT region, tenant_id FROM {o} UNION SELECT region, tenant_id"
        + " FROM {o}", v -> v.orders().stream().map(o -> row(o.region(), o.tenantId()))
            .distinct().toList()));
    a.add(rows(SET_OPS, "SELECT id FROM (VALUES ({hid}), ({vid})) AS t(id) EXCEPT"
        + " SELECT id FROM {o}", v -> column(probeIds(v).stream()
            .filter(i -> !v.orderIds().contains(i)).toList())));
    a.add(rows(SET_OPS, "SELECT id FROM (VALUES ({hid}), ({vid})) AS t(id) INTERSECT"
        + " SELECT id FROM {o}", v -> column(probeIds(v).stream()
            .filter(i -> v.orderIds().contains(i)).toList())));
    a.add(rows(SET_OPS, "SELECT card_number FROM {o} INTERSECT SELECT '{hcard}' FROM {c}",
        v -> List.of()));
    a.add(rows(SET_OPS, "SELECT card_number FROM {o} INTERSECT SELECT '{ocard}' FROM {c}",
        v -> List.of()));
    a.add(rows(SET_OPS, "SELECT region FROM {o} EXCEPT SELECT region FROM {c}"
        + " WHERE region <> '{hr}'", v -> column(regions(v).stream()
            .filter(r -> r.equals(v.hiddenRegion())).toList())));
    a.add(rows(SET_OPS, "SELECT COUNT(*) FROM (SELECT id FROM {o} UNION ALL SELECT id FROM {o}"
        + " WHERE region = '{hr}') t", v -> one(v.orders().size())));
    a.add(rows(SET_OPS, "SELECT id FROM {o} WHERE tenant_id = 9 UNION SELECT id FROM {o}"
        + " WHERE region = 'APAC'", v -> ids(v, o -> o.tenantId() == 9
            || o.region().equals("APAC"))));
    a.add(missing(SET_OPS, "SELECT id FROM {o} UNION SELECT id FROM {s}", "secrets"));
  }

  private static void joins(List<Attack> a) {
    a.add(rows(JOIN, "SELECT COUNT(*) FROM {o} a JOIN {o} b ON a.id = b.id + 9",
        v -> one(filter(v, o -> v.orderIds().contains(o.id() - 9)).size())));
    a.add(rows(JOIN, "SELECT COUNT(*) FROM {o} a JOIN {o} b ON a.tenant_id = b.tenant_id"
        + " AND a.region = b.region", v -> one(groups(v, o -> o.region() + "/" + o.tenantId())
            .values().stream().mapToLong(n -> n * n).sum())));
    a.add(rows(JOIN, "SELECT COUNT(*) FROM {o} a CROSS JOIN {c} c",
        v -> one(v.orders().size() * v.customers().size())));
    a.add(rows(JOIN, "SELECT c.name, COUNT(*) FROM {o} o JOIN {c} c ON c.region = o.region"
        + " GROUP BY c.name", v -> v.customers().stream()
            .map(c -> row(c.name(), filter(v, o -> o.region().equals(c.region())).size()))
            .filter(r -> !r.get(1).equals("0")).toList()));
    a.add(rows(JOIN, "SELECT COUNT(*) FROM {o} a JOIN {o} b ON a.card_number = b.card_number"
        + " AND a.id < b.id", v -> one(groups(v, Order::card).values().stream()
            .mapToLong(n -> n * (n - 1) / 2).sum())));
    a.add(rows(JOIN, "SELECT c.id, o.id FROM {c} c LEFT JOIN {o} o ON o.id = c.id",
        v -> v.customers().stream().map(c -> row(c.id(),
            v.orderIds().contains(c.id()) ? c.id() : null)).toList()));
    a.add(rows(JOIN, "SELECT c.id FROM {c} c LEFT JOIN {o} o ON o.id = c.id"
        + " WHERE o.id IS NULL", v -> column(v.customers().stream().map(Customer::id)
            .filter(i -> !v.orderIds().contains(i)).toList())));
    a.add(rows(JOIN, "SELECT COUNT(*) FROM {o} a FULL JOIN {o} b ON a.id = b.id + 1",
        v -> one(2 * v.orders().size()
            - filter(v, o -> v.orderIds().contains(o.id() - 1)).size())));
    a.add(rows(JOIN, "SELECT a.id, b.id FROM {o} a JOIN {o} b ON b.id = {hid}",
        v -> List.of()));
    a.add(rows(JOIN, "SELECT COUNT(*) FROM {o} a, {o} b WHERE a.id = b.id"
        + " AND b.region = '{hr}'", v -> one(0)));
    a.add(rows(JOIN, "SELECT a.id FROM {o} a JOIN {o} b ON a.id = b.id"
        + " WHERE b.tenant_id = {ht}", v -> List.of()));
    a.add(rows(JOIN, "SELECT id, region FROM {o} NATURAL JOIN {c}", v -> map(
        filter(v, o -> o.id() <= 60), o -> row(o.id(), o.region()))));
    a.add(missing(JOIN, "SELECT o.id FROM {o} o JOIN {s} x ON x.order_id = o.id",
        "secrets"));
  }

  private static void correlated(List<Attack> a) {
    a.add(rows(CORRELATED, "SELECT c.id FROM {c} c WHERE EXISTS (SELECT 1 FROM {o} o"
        + " WHERE o.region = c.region)", v -> customerIds(v,
            c -> regions(v).contains(c.region()))));
    a.add(rows(CORRELATED, "SELECT c.id FROM {c} c WHERE NOT EXISTS (SELECT 1 FROM {o} o"
        + " WHERE o.region = c.region)", v -> customerIds(v,
            c -> !regions(v).contains(c.region()))));
    a.add(rows(CORRELATED, "SELECT c.id FROM {c} c WHERE c.id IN (SELECT o.id FROM {o} o"
        + " WHERE o.region = c.region)", v -> customerIds(v, c -> v.orders().stream()
            .anyMatch(o -> o.id() == c.id() && o.region().equals(c.region())))));
    a.add(rows(CORRELATED, "SELECT c.id FROM {c} c WHERE EXISTS (SELECT 1 FROM {o} o"
        + " WHERE o.card_number = '{hcard}')", v -> List.of()));
    a.add(rows(CORRELATED, "SELECT c.id FROM {c} c WHERE c.id NOT IN (SELECT o.id FROM {o} o)",
        v -> customerIds(v, c -> !v.orderIds().contains(c.id()))));
    a.add(rows(CORRELATED, "SELECT c.id, (SELECT COUNT(*) FROM {o} o WHERE o.id <= c.id)"
        + " FROM {c} c", v -> v.customers().stream().map(c -> row(c.id(),
            filter(v, o -> o.id() <= c.id()).size())).toList()));
    a.add(rows(CORRELATED, "SELECT o.id FROM {o} o WHERE EXISTS (SELECT 1 FROM {o} p"
        + " WHERE p.id = o.id + 1)", v -> ids(v, o -> v.orderIds().contains(o.id() + 1))));
    a.add(rows(CORRELATED, "SELECT c.id FROM {c} c WHERE EXISTS (SELECT 1 FROM {o} o"
        + " WHERE o.id = c.id * 50 AND o.region = '{hr}')", v -> List.of()));
    a.add(rows(CORRELATED, "SELECT c.id, t.n FROM {c} c, LATERAL (SELECT COUNT(*) AS n"
        + " FROM {o} o WHERE o.region = c.region) t", v -> v.customers().stream()
            .map(c -> row(c.id(), filter(v, o -> o.region().equals(c.region())).size()))
            .toList()));
    a.add(rows(CORRELATED, "SELECT t.x FROM (VALUES ({hid}), ({vid})) AS t(x) WHERE EXISTS"
        + " (SELECT 1 FROM {o} o WHERE o.id = t.x)", v -> column(probeIds(v).stream()
            .filter(i -> v.orderIds().contains(i)).toList())));
    a.add(missing(CORRELATED, "SELECT id FROM {o} o WHERE EXISTS (SELECT 1 FROM {s} x"
        + " WHERE x.order_id = o.id)", "secrets"));
  }

  private static void aggregates(List<Attack> a) {
    a.add(rows(AGGREGATE, "SELECT COUNT(*) FROM {o}", v -> one(v.orders().size())));
    a.add(rows(AGGREGATE, "SELECT COUNT(*), SUM(amount), MIN(id), MAX(id) FROM {o}",
        v -> one(v.orders().size(), sum(v.orders()), v.orders().isEmpty() ? null
            : v.orders().get(0).id(), v.orders().isEmpty() ? null : maxId(v))));
    a.add(rows(AGGREGATE, "SELECT AVG(tenant_id) FROM {o}", v -> one(v.orders().isEmpty()
        ? null : v.orders().get(0).tenantId())));
    a.add(rows(AGGREGATE, "SELECT AVG(CASE WHEN region = '{hr}' THEN 1000 ELSE 0 END)"
        + " FROM {o}", v -> one(v.orders().isEmpty() ? null : 0)));
    a.add(rows(AGGREGATE, "SELECT region, COUNT(*) FROM {o} GROUP BY region",
        v -> counts(v, Order::region)));
    a.add(rows(AGGREGATE, "SELECT tenant_id, COUNT(*), SUM(amount) FROM {o} GROUP BY tenant_id"
        + " HAVING COUNT(*) > 0", v -> groups(v, Order::tenantId).keySet().stream()
            .map(t -> row(t, filter(v, o -> o.tenantId() == t).size(),
                sum(filter(v, o -> o.tenantId() == t)))).toList()));
    a.add(rows(AGGREGATE, "SELECT region FROM {o} GROUP BY region HAVING SUM(CASE WHEN"
        + " region = '{hr}' THEN 1 ELSE 0 END) > 0", v -> List.of()));
    a.add(rows(AGGREGATE, "SELECT COUNT(DISTINCT region), COUNT(DISTINCT tenant_id) FROM {o}",
        v -> one(regions(v).size(), groups(v, Order::tenantId).size())));
    a.add(rows(AGGREGATE, "SELECT region, tenant_id, COUNT(*) FROM {o}"
        + " GROUP BY GROUPING SETS ((region, tenant_id), (region))", v -> {
          List<List<Object>> out = new ArrayList<>();
          groups(v, o -> o.region() + "/" + o.tenantId()).forEach((k, n) -> out.add(row(
              k.split("/")[0], Integer.valueOf(k.split("/")[1]), n)));
          groups(v, Order::region).forEach((r, n) -> out.add(row(r, null, n)));
          return out;
        }));
    a.add(rows(AGGREGATE, "SELECT MIN(card_number), MAX(card_number),"
        + " COUNT(DISTINCT card_number) FROM {o}", v -> {
          TreeSet<String> cards = v.orders().stream().map(Order::card)
              .collect(Collectors.toCollection(TreeSet::new));
          return one(cards.isEmpty() ? null : cards.first(),
              cards.isEmpty() ? null : cards.last(), cards.size());
        }));
    a.add(rows(AGGREGATE, "SELECT SUM(CASE WHEN tenant_id = 7 THEN 1 ELSE 0 END),"
        + " SUM(CASE WHEN tenant_id = 9 THEN 1 ELSE 0 END), SUM(CASE WHEN tenant_id = 42"
        + " THEN 1 ELSE 0 END) FROM {o}", v -> v.orders().isEmpty() ? one(null, null, null)
            : one(filter(v, o -> o.tenantId() == 7).size(),
                filter(v, o -> o.tenantId() == 9).size(),
                filter(v, o -> o.tenantId() == 42).size())));
    a.add(rows(AGGREGATE, "SELECT COUNT(*) FILTER (WHERE region = '{hr}') FROM {o}",
        v -> one(0)));
    a.add(rows(AGGREGATE, "SELECT STDDEV_POP(tenant_id) FROM {o}",
        v -> one(v.orders().isEmpty() ? null : 0)));
    a.add(rows(AGGREGATE, "SELECT card_number, COUNT(*) FROM {o} GROUP BY card_number"
        + " HAVING COUNT(*) > 1", v -> groups(v, Order::card).entrySet().stream()
            .filter(e -> e.getValue() > 1).map(e -> row(e.getKey(), e.getValue())).toList()));
  }

  private static void windows(List<Attack> a) {
    a.add(rows(WINDOW, "SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM {o}",
        v -> indexed(v, (i, o) -> row(o.id(), i + 1))));
    a.add(rows(WINDOW, "SELECT id, COUNT(*) OVER () FROM {o}",
        v -> map(v.orders(), o -> row(o.id(), v.orders().size()))));
    a.add(rows(WINDOW, "SELECT id, LAG(id) OVER (ORDER BY id) FROM {o}",
        v -> indexed(v, (i, o) -> row(o.id(), i == 0 ? null : v.orders().get(i - 1).id()))));
    a.add(rows(WINDOW, "SELECT id, LEAD(card_number) OVER (ORDER BY id) FROM {o}",
        v -> indexed(v, (i, o) -> row(o.id(), i + 1 == v.orders().size() ? null
            : v.orders().get(i + 1).card()))));
    a.add(rows(WINDOW, "SELECT id, SUM(amount) OVER (PARTITION BY tenant_id) FROM {o}",
        v -> map(v.orders(), o -> row(o.id(), sum(filter(v,
            p -> p.tenantId() == o.tenantId()))))));
    a.add(rows(WINDOW, "SELECT MAX(rn) FROM (SELECT ROW_NUMBER() OVER (ORDER BY id) AS rn"
        + " FROM {o}) t", v -> one(v.orders().isEmpty() ? null : v.orders().size())));
    a.add(rows(WINDOW, "SELECT id, FIRST_VALUE(id) OVER (ORDER BY id) FROM {o}",
        v -> map(v.orders(), o -> row(o.id(), v.orders().get(0).id()))));
    a.add(rows(WINDOW, "SELECT id, COUNT(*) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING"
        + " AND 2 FOLLOWING) FROM {o}", v -> indexed(v, (i, o) -> row(o.id(),
            Math.min(i + 2, v.orders().size() - 1) - Math.max(i - 2, 0) + 1))));
    a.add(rows(WINDOW, "SELECT id, RANK() OVER (ORDER BY card_number) FROM {o}",
        v -> map(v.orders(), o -> row(o.id(), 1 + filter(v,
            p -> p.card().compareTo(o.card()) < 0).size()))));
    a.add(rows(WINDOW, "SELECT id, id - LAG(id, 1, 0) OVER (ORDER BY id) FROM {o}",
        v -> indexed(v, (i, o) -> row(o.id(), o.id()
            - (i == 0 ? 0 : v.orders().get(i - 1).id())))));
  }

  private static void orderLimitOffset(List<Attack> a) {
    a.add(ordered(ORDER, "SELECT id FROM {o} ORDER BY id LIMIT 5",
        v -> column(ids(v.orders()).stream().limit(5).toList())));
    a.add(ordered(ORDER, "SELECT id FROM {o} ORDER BY id DESC LIMIT 3",
        v -> column(ids(v.orders()).stream().sorted(Comparator.reverseOrder()).limit(3)
            .toList())));
    a.add(ordered(ORDER, "SELECT id FROM {o} ORDER BY id OFFSET 330 ROWS FETCH NEXT 10 ROWS"
        + " ONLY", v -> column(ids(v.orders()).stream().skip(330).limit(10).toList())));
    a.add(ordered(ORDER, "SELECT id, card_number FROM {o} ORDER BY card_number, id LIMIT 4",
        v -> v.orders().stream().sorted(Comparator.comparing(Order::card)
            .thenComparing(Order::id)).limit(4).map(o -> row(o.id(), o.card())).toList()));
    a.add(ordered(ORDER, "SELECT id FROM {o} ORDER BY CASE WHEN region = '{hr}' THEN 0"
        + " ELSE 1 END, id LIMIT 1", v -> column(ids(v.orders()).stream().limit(1).toList())));
    a.add(ordered(ORDER, "SELECT id FROM {o} ORDER BY amount DESC, id LIMIT 1 OFFSET 1",
        v -> column(v.orders().stream().sorted(Comparator.comparing(Order::amount)
            .reversed().thenComparing(Order::id)).skip(1).limit(1).map(Order::id).toList())));
    a.add(ordered(ORDER, "SELECT region FROM {o} ORDER BY region DESC LIMIT 1",
        v -> column(regions(v).stream().sorted(Comparator.reverseOrder()).limit(1).toList())));
    a.add(ordered(ORDER, "SELECT id FROM {o} WHERE id > {hid} ORDER BY id FETCH FIRST 1 ROW"
        + " ONLY", v -> column(ids(v.orders()).stream().filter(i -> i > v.hiddenRow().id())
            .limit(1).toList())));
    a.add(ordered(ORDER, "SELECT id FROM {o} ORDER BY id LIMIT 1 OFFSET 100000",
        v -> List.of()));
    a.add(missing(ORDER, "SELECT id FROM {o} ORDER BY ssn DESC LIMIT 1", "ssn"));
  }

  private static void maskOracles(List<Attack> a) {
    a.add(rows(MASK, "SELECT id FROM {o} WHERE card_number = '{hcard}'", v -> List.of()));
    a.add(rows(MASK, "SELECT id FROM {o} WHERE card_number = '{ocard}'", v -> List.of()));
    a.add(rows(MASK, "SELECT COUNT(*) FROM {o} WHERE card_number > '4000'",
        v -> one(filter(v, o -> o.card().compareTo("4000") > 0).size())));
    a.add(rows(MASK, "SELECT COUNT(*) FROM {o} WHERE card_number < '6'",
        v -> one(filter(v, o -> o.card().compareTo("6") < 0).size())));
    a.add(rows(MASK, "SELECT id FROM {o} WHERE SUBSTRING(card_number FROM 1 FOR 4)"
        + " = '{hcard4}'", v -> List.of()));
    a.add(rows(MASK, "SELECT id FROM {o} WHERE card_number LIKE '{hcard4}%'", v -> List.of()));
    a.add(rows(MASK, "SELECT COUNT(*) FROM {o} WHERE card_number LIKE 'XXXX-XXXX-XXXX-%'",
        v -> one(v.orders().size())));
    a.add(rows(MASK, "SELECT id FROM {o} WHERE card_number LIKE '%{ol4}'",
        v -> ids(v, o -> o.card().endsWith(v.ownRow().card().substring(12)))));
    a.add(rows(MASK, "SELECT COUNT(*) FROM {o} WHERE card_number BETWEEN '5100000000000000'"
        + " AND '5199999999999999'", v -> one(0)));
    a.add(rows(MASK, "SELECT id FROM {o} WHERE CHAR_LENGTH(card_number) <> 19",
        v -> List.of()));
    a.add(rows(MASK, "SELECT COUNT(*) FROM {o} WHERE POSITION('5100' IN card_number) > 0",
        v -> one(filter(v, o -> o.card().contains("5100")).size())));
    a.add(rows(MASK, "SELECT id, UPPER(card_number) FROM {o} WHERE id = {vid}",
        v -> map(filter(v, o -> o.id() == v.ownRow().id()), o -> row(o.id(), o.card()))));
    a.add(rows(MASK, "SELECT id FROM {o} WHERE card_number IN ('{hcard}', '{ocard}')",
        v -> List.of()));
    a.add(rows(MASK, "SELECT COUNT(*) FROM {o} WHERE card_number LIKE '4%'"
        + " OR card_number LIKE '5%' OR card_number LIKE '3%'", v -> one(0)));
    a.add(rows(MASK, "SELECT DISTINCT card_number FROM {o}", v -> column(v.orders().stream()
        .map(Order::card).distinct().toList())));
    a.add(rows(MASK, "SELECT COUNT(*) FILTER (WHERE card_number LIKE '{hcard4}%'),"
        + " COUNT(*) FILTER (WHERE card_number IS NULL) FROM {o}", v -> one(0, 0)));
    a.add(rows(MASK, "SELECT region FROM {o} GROUP BY region HAVING MAX(card_number) LIKE"
        + " '{hcard4}%' OR MIN(card_number) LIKE '{hcard4}%'", v -> List.of()));
    a.add(rows(MASK, "SELECT COUNT(*) FROM {o} WHERE SUBSTRING(card_number FROM 5 FOR 8)"
        + " = SUBSTRING('{ocard}' FROM 5 FOR 8)", v -> one(0)));
  }

  private static void errorOracles(List<Attack> a) {
    a.add(rows(ERROR, "SELECT id FROM {o} WHERE " + DIV_BY_HIDDEN_REGION + " = 1",
        PolicyAttacks::ids));
    a.add(rows(ERROR, "SELECT id FROM {o} WHERE CAST(CASE WHEN region = '{hr}' THEN 'x'"
        + " ELSE '1' END AS INTEGER) * 2 = 2", PolicyAttacks::ids));
    a.add(rows(ERROR, "SELECT id, " + DIV_BY_HIDDEN_REGION + " FROM {o}",
        v -> map(v.orders(), o -> row(o.id(), 1))));
    a.add(ordered(ERROR, "SELECT id FROM {o} ORDER BY " + DIV_BY_HIDDEN_REGION + ", id",
        PolicyAttacks::ids));
    a.add(rows(ERROR, "SELECT COUNT(*) FROM {o} o JOIN {c} c ON c.id = 1 AND 1/(CASE WHEN"
        + " o.region = '{hr}' THEN 0 ELSE 1 END) = 1", v -> one(v.orders().size())));
    a.add(rows(ERROR, "SELECT c.id FROM {c} c WHERE EXISTS (SELECT 1 FROM {o} o WHERE"
        + " o.region = c.region AND 1/(CASE WHEN o.tenant_id = {ht} THEN 0 ELSE 1 END) = 1)",
        v -> customerIds(v, c -> regions(v).contains(c.region()))));
    a.add(rows(ERROR, "SELECT id FROM {o} WHERE (1 / (id - {hid})) * 0 = 0",
        PolicyAttacks::ids));
    a.add(rows(ERROR, "SELECT SUM(" + DIV_BY_HIDDEN_REGION + ") FROM {o}",
        v -> one(v.orders().isEmpty() ? null : v.orders().size())));
    a.add(rows(ERROR, "SELECT region FROM {o} GROUP BY region HAVING MIN("
        + DIV_BY_HIDDEN_REGION + ") = 1", v -> column(List.copyOf(regions(v)))));
    a.add(rows(ERROR, "SELECT id, SUM(" + DIV_BY_HIDDEN_REGION + ") OVER () FROM {o}",
        v -> map(v.orders(), o -> row(o.id(), v.orders().size()))));
    a.add(rows(ERROR, "SELECT SUM(x) FROM (SELECT 1/(CASE WHEN tenant_id = {ht} THEN 0"
        + " ELSE 1 END) AS x FROM {o}) t",
        v -> one(v.orders().isEmpty() ? null : v.orders().size())));
    a.add(rows(ERROR, "SELECT id FROM {o} WHERE CAST(CASE WHEN card_number LIKE '{hcard4}%'"
        + " THEN 'x' ELSE '1' END AS INTEGER) * 2 = 2", PolicyAttacks::ids));
    a.add(rows(ERROR, "SELECT id FROM {o} WHERE 1/(CASE WHEN card_number = '{ocard}' THEN 0"
        + " ELSE 1 END) = 1", PolicyAttacks::ids));
    a.add(rows(ERROR, "SELECT id FROM {o} WHERE id IN (SELECT id FROM {o} WHERE "
        + DIV_BY_HIDDEN_REGION + " = 1)", PolicyAttacks::ids));
    a.add(rows(ERROR, "SELECT id FROM {o} WHERE CAST(CASE WHEN id = {hid} THEN 'oops'"
        + " ELSE '7' END AS INTEGER) * 2 = 14", PolicyAttacks::ids));
    // 1/(id - id), not 1/0, which PostgreSQL folds and fails on before reading any row.
    a.add(rows(ERROR, "SELECT id, CASE WHEN card_number LIKE '{hcard4}%' THEN 1/(id - id)"
        + " ELSE 1 END FROM {o}", v -> map(v.orders(), o -> row(o.id(), 1))));
    a.add(ordered(ERROR, "SELECT id FROM {o} ORDER BY 1/(CASE WHEN SUBSTRING(card_number"
        + " FROM 1 FOR 4) = '{hcard4}' THEN 0 ELSE 1 END), id", PolicyAttacks::ids));
    a.add(rows(ERROR, "SELECT id, SUM(1/(CASE WHEN card_number LIKE '{hcard4}%' THEN 0 ELSE 1"
        + " END)) OVER (PARTITION BY region) FROM {o}", v -> map(v.orders(), o -> row(o.id(),
            filter(v, p -> p.region().equals(o.region())).size()))));
    a.add(rows(ERROR, "SELECT id FROM {o} WHERE MOD(10, CASE WHEN region = '{hr}' THEN 0"
        + " ELSE 3 END) = 1", PolicyAttacks::ids));
  }

  private static void literals(List<Attack> a) {
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region = '{hr}'' OR ''1''=''1'",
        v -> List.of()));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region = '{hr}\\' OR 1=1 --'",
        PolicyAttacks::ids));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE note = '\\'' OR region = ''{hr}'' -- '",
        v -> List.of()));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region = '{hr}\0'", v -> List.of()));
    a.add(unsupported(LITERAL, "SELECT id FROM {o} WHERE region = U&'\\0055\\0053'",
        v -> ids(v, o -> o.region().equals("US"))));
    a.add(unsupported(LITERAL, "SELECT id FROM {o} WHERE region = '{hrw}'", v -> List.of()));
    a.add(unsupported(LITERAL, "SELECT id FROM {o} WHERE region = '{hr}' || U&'\\0301'",
        v -> List.of()));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region = 'EU' OR 1=1", PolicyAttacks::ids));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region IN ('EU', 'US', 'APAC')",
        PolicyAttacks::ids));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region LIKE '%' OR region = '{hr}'",
        PolicyAttacks::ids));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE note LIKE '%O''Brien \\%'",
        v -> ids(v, o -> o.id() % 7 == 0)));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region = '{hr}\u00a0'", v -> List.of()));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region = '{hr} '", v -> List.of()));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE region = '{hr}\\'", v -> List.of()));
    a.add(rows(LITERAL, "SELECT id FROM {o} WHERE tenant_id = {ht} OR '1' = '1'",
        PolicyAttacks::ids));
    a.add(rows(LITERAL, "SELECT id, 'x'' OR region = ''{hr}' FROM {o} WHERE id = {vid}",
        v -> map(filter(v, o -> o.id() == v.ownRow().id()),
            o -> row(o.id(), "x' OR region = '" + v.hiddenRegion()))));
  }

  private static void prepared(List<Attack> a) {
    a.add(prepared("SELECT id FROM {o} WHERE card_number = ?",
        v -> List.of(v.hiddenRow().card()), v -> List.of()));
    a.add(prepared("SELECT id FROM {o} WHERE card_number = ?",
        v -> List.of(v.ownRow().card()), v -> List.of()));
    a.add(prepared("SELECT COUNT(*) FROM {o} WHERE region = ? OR tenant_id = ?",
        v -> List.of(v.hiddenRegion(), v.hiddenTenant()), v -> one(0)));
    // Calcite cannot type a bare ? compared inside CASE (an internal error), so it is cast.
    a.add(prepared("SELECT id FROM {o} WHERE 1/(CASE WHEN region = CAST(? AS VARCHAR(8))"
        + " THEN 0 ELSE 1 END) = 1", v -> List.of(v.hiddenRegion()), PolicyAttacks::ids));
    a.add(prepared("SELECT id FROM {o} WHERE card_number LIKE ?",
        v -> List.of(v.hiddenRow().card().substring(0, 4) + "%"), v -> List.of()));
    a.add(prepared("SELECT id FROM {o} WHERE id = ?", v -> List.of(v.hiddenRow().id()),
        v -> List.of()));
    a.add(new Attack(PREPARED, "prepareStatement(SELECT * FROM {o}).getMetaData() labels",
        (c, v) -> {
          try (PreparedStatement ps = c.prepareStatement(v.resolve("SELECT * FROM {o}"))) {
            ResultSetMetaData md = ps.getMetaData();
            List<List<Object>> out = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              out.add(row(md.getColumnLabel(i).toLowerCase(Locale.ROOT)));
            }
            return out;
          }
        }, new Rows(v -> column(STAR), true, null)));
    a.add(missing(PREPARED, "SELECT id FROM {o} WHERE ssn = ? OR id = 1", "ssn"));
  }

  private static void localEvaluation(List<Attack> a) {
    a.add(rows(LOCAL, "SELECT COUNT(*) FROM {o} o JOIN {xc} c ON c.id = MOD(o.id, 60) + 1",
        v -> one(v.orders().size())));
    a.add(rows(LOCAL, "SELECT COUNT(*) FROM {o} o JOIN {xc} c ON c.region = o.region AND"
        + " 1/(CASE WHEN o.region = '{hr}' THEN 0 ELSE 1 END) = 1",
        v -> one(v.orders().stream().mapToLong(o -> PolicyFixture.CUSTOMERS.stream()
            .filter(c -> c.region().equals(o.region())).count()).sum())));
    a.add(rows(LOCAL, "SELECT o.id FROM {o} o WHERE o.region IN (SELECT region FROM {xc})"
        + " AND " + DIV_BY_HIDDEN_REGION + " = 1", PolicyAttacks::ids));
    a.add(rows(LOCAL, "SELECT c.id, (SELECT COUNT(*) FROM {o} o WHERE o.region = c.region)"
        + " FROM {xc} c", v -> PolicyFixture.CUSTOMERS.stream().map(c -> row(c.id(),
            filter(v, o -> o.region().equals(c.region())).size())).toList()));
    a.add(rows(LOCAL, "SELECT o.card_number, c.name FROM {o} o JOIN {xc} c ON c.id = o.id"
        + " WHERE o.card_number LIKE '{hcard4}%'", v -> List.of()));
    a.add(rows(LOCAL, "SELECT id, COUNT(*) OVER () FROM {o} o WHERE o.region IN"
        + " (SELECT region FROM {xc})", v -> map(v.orders(),
            o -> row(o.id(), v.orders().size()))));
    a.add(rows(LOCAL, "SELECT o.id FROM {o} o JOIN {xc} c ON c.id = o.id",
        v -> ids(v, o -> o.id() <= 60)));
    a.add(rows(LOCAL, "SELECT c.id FROM {xc} c WHERE c.id IN (SELECT id FROM {o})",
        v -> column(PolicyFixture.CUSTOMERS.stream().map(Customer::id)
            .filter(i -> v.orderIds().contains(i)).toList())));
    a.add(rows(LOCAL, "SELECT o.id FROM {o} o JOIN {xc} c ON c.id = o.id AND 1/(CASE WHEN"
        + " o.region = '{hr}' THEN 0 ELSE 1 END) = 1", v -> ids(v, o -> o.id() <= 60)));
    a.add(rows(LOCAL, "SELECT id FROM {o} WHERE note <> '\0' AND " + DIV_BY_HIDDEN_REGION
        + " = 1", PolicyAttacks::ids));
    a.add(rows(LOCAL, "SELECT id FROM {o} WHERE region <> '{hr}\0' AND CAST(CASE WHEN"
        + " region = '{hr}' THEN 'x' ELSE '1' END AS INTEGER) * 2 = 2", PolicyAttacks::ids));
    a.add(rows(LOCAL, "SELECT COUNT(*) FROM {o} WHERE note <> '\0' AND card_number LIKE"
        + " '{hcard4}%'", v -> one(0)));
    a.add(rows(LOCAL, "SELECT COUNT(*) FROM {o} WHERE note <> '\0' AND id = {hid}",
        v -> one(0)));
    a.add(rows(LOCAL, "SELECT COUNT(*) FROM {o} WHERE id > 0 AND region <> '{hr}\0'",
        v -> one(v.orders().size())));
    a.add(rows(LOCAL, "SELECT id, CASE WHEN note = '\0' THEN 0 ELSE "
        + DIV_BY_HIDDEN_REGION + " END FROM {o}", v -> map(v.orders(),
            o -> row(o.id(), 1))));
  }

  private static void comments(List<Attack> a) {
    a.add(rows(COMMENT, "SELECT id FROM {o} /* WHERE region = '{hr}' */", PolicyAttacks::ids));
    a.add(rows(COMMENT, "SELECT id FROM {o} WHERE region = '{hr}' -- ' OR 1=1\n OR id < 0",
        v -> List.of()));
    a.add(rows(COMMENT, "SELECT /* ssn, */ id FROM {o}", PolicyAttacks::ids));
    a.add(missing(COMMENT, "SELECT id, \"ssn\"/**/FROM {o}", "ssn"));
    a.add(rows(COMMENT, "SELECT COUNT(*) FROM {src}/**/./**/{schema}./**/orders",
        v -> one(v.orders().size())));
    a.add(missing(COMMENT, "SELECT COUNT(*) FROM {c} -- ignore\n, {s}", "secrets"));
    a.add(rows(COMMENT, "SELECT /*+ NO_FILTER */ id FROM {o}", PolicyAttacks::ids));
    a.add(rows(COMMENT, "SELECT id FROM {o} /*+ OPTIONS('policy'='off') */",
        PolicyAttacks::ids));
    a.add(rows(COMMENT, "SELECT id FROM {o} WHERE 1=1 -- AND region = 'nothing'",
        PolicyAttacks::ids));
    a.add(rows(COMMENT, "SELECT id FROM {o} WHERE region = '{hr}' /* */ OR /* '' */"
        + " id = {hid}", v -> List.of()));
    a.add(rows(COMMENT, "SELECT id FROM {o} WHERE note LIKE '%/*%' -- */ OR 1=1",
        v -> ids(v, o -> o.note().contains("/*"))));
  }

  private static void denied(List<Attack> a) {
    a.add(missing(DENIED, "SELECT * FROM {s}", "secrets"));
    a.add(missing(DENIED, "SELECT COUNT(*) FROM {s}", "secrets"));
    a.add(missing(DENIED, "SELECT id FROM {o} WHERE id IN (SELECT order_id FROM {s})",
        "secrets"));
    a.add(missing(DENIED, "SELECT id FROM {o} WHERE EXISTS (SELECT 1 FROM {s} WHERE 1 = 0)",
        "secrets"));
    a.add(missing(DENIED, "SELECT COUNT(*) FROM {src}.{schema}.secrets AS orders", "secrets"));
    a.add(missing(DENIED, "SELECT * FROM {src}.information_schema.tables",
        "information_schema"));
    a.add(missing(DENIED, "SELECT * FROM {src}.pg_catalog.pg_tables", "pg_catalog"));
    a.add(missing(DENIED, "SELECT * FROM {src}.mysql.\"user\"", "mysql"));
    a.add(missing(DENIED, "SELECT * FROM {src}.{schema}.sqlite_master", "sqlite_master"));
    // Calcite's "metadata" schema lists its own two tables only; none of a source's. The
    // junction system schema is listed where it is mounted: without a policy (the
    // baseline), or when granted; the analysts are not granted it (checked below).
    a.add(either(DENIED, "SELECT \"tableSchem\", \"tableName\" FROM \"metadata\".\"TABLES\""
        + " WHERE \"tableSchem\" <> 'junction'", "metadata",
        v -> List.of(row("metadata", "COLUMNS"), row("metadata", "TABLES"))));
    a.add(new Attack(METADATA, "junction system schema in metadata.TABLES", (c, v) -> {
      try (Statement st = c.createStatement()) {
        return read(st.executeQuery("SELECT \"tableName\" FROM \"metadata\".\"TABLES\""
            + " WHERE \"tableSchem\" = 'junction'"), "tableName");
      }
    }, new Rows(v -> List.of(), false, null)));
    a.add(either(DENIED, "SELECT COUNT(*) FROM \"metadata\".\"COLUMNS\""
        + " WHERE LOWER(\"columnName\") IN ('ssn', 'secret')", "metadata", v -> one(0)));
  }

  private static void explain(List<Attack> a) {
    a.add(explain("EXPLAIN PLAN FOR SELECT * FROM {o}", true, true));
    a.add(explain("EXPLAIN PLAN FOR SELECT id, card_number FROM {o} WHERE amount > 10", true,
        true));
    a.add(explain("EXPLAIN PLAN FOR SELECT region, COUNT(*) FROM {o} GROUP BY region", true,
        false));
    a.add(explain("EXPLAIN PLAN WITH IMPLEMENTATION FOR SELECT COUNT(*) FROM {o} a JOIN {c} c"
        + " ON a.region = c.region", true, false));
    a.add(explain("EXPLAIN PLAN WITHOUT IMPLEMENTATION FOR SELECT * FROM {o}", true, true));
    a.add(explain("EXPLAIN PLAN AS JSON FOR SELECT card_number FROM {o}", true, true));
    a.add(explain("EXPLAIN PLAN AS XML FOR SELECT * FROM {o}", true, true));
    a.add(explain("EXPLAIN PLAN WITH TYPE FOR SELECT * FROM {o}", false, false));
    a.add(explain("EXPLAIN PLAN INCLUDING ALL ATTRIBUTES FOR SELECT * FROM {o}", true, true));
    a.add(explain("EXPLAIN PLAN FOR SELECT id FROM {o} WHERE card_number LIKE '4%'", true,
        true));
    a.add(missing(EXPLAIN, "EXPLAIN PLAN FOR SELECT ssn FROM {o}", "ssn"));
    a.add(missing(EXPLAIN, "EXPLAIN PLAN FOR SELECT * FROM {s}", "secrets"));
  }

  private static void metadata(List<Attack> a) {
    a.add(meta("getCatalogs()", (c, v) -> read(c.getMetaData().getCatalogs(), "TABLE_CAT")
        .stream().filter(r -> SOURCES.contains(r.get(0))).toList(),
        v -> column(SOURCES.stream().sorted().toList())));
    a.add(meta("getSchemas(src, null)", (c, v) -> read(c.getMetaData()
        .getSchemas(v.target().source(), null), "TABLE_SCHEM"),
        v -> one(v.target().schema())));
    a.add(meta("getSchemas() of src", (c, v) -> read(c.getMetaData().getSchemas(),
        "TABLE_CATALOG", "TABLE_SCHEM").stream()
        .filter(r -> v.target().source().equals(r.get(0))).toList(),
        v -> one(v.target().source(), v.target().schema())));
    a.add(meta("getTables(src, null, %, null)", (c, v) -> read(c.getMetaData()
        .getTables(v.target().source(), null, "%", null), "TABLE_SCHEM", "TABLE_NAME"),
        v -> List.of(row(v.target().schema(), "customers"),
            row(v.target().schema(), "orders"))));
    a.add(meta("getTables(src, schema, %, TABLE/VIEW)", (c, v) -> read(c.getMetaData()
        .getTables(v.target().source(), v.target().schema(), "%",
            new String[] {"TABLE", "VIEW"}), "TABLE_NAME"),
        v -> column(List.of("customers", "orders"))));
    a.add(meta("getTables(src, null, secrets, null)", (c, v) -> read(c.getMetaData()
        .getTables(v.target().source(), null, "secrets", null), "TABLE_NAME"),
        v -> List.of()));
    a.add(meta("getTables(null, null, %ecret%, null)", (c, v) -> read(c.getMetaData()
        .getTables(null, null, "%ecret%", null), "TABLE_NAME"), v -> List.of()));
    a.add(meta("getColumns(src, schema, orders, %)", (c, v) -> read(c.getMetaData()
        .getColumns(v.target().source(), v.target().schema(), "orders", "%"),
        "COLUMN_NAME"), v -> column(STAR)));
    a.add(meta("getColumns(src, null, %, %)", (c, v) -> read(c.getMetaData()
        .getColumns(v.target().source(), null, "%", "%"), "TABLE_NAME", "COLUMN_NAME"),
        v -> {
          List<List<Object>> out = new ArrayList<>();
          List.of("id", "name", "region").forEach(col -> out.add(row("customers", col)));
          STAR.forEach(col -> out.add(row("orders", col)));
          return out;
        }));
    a.add(meta("getColumns(src, null, %, ssn)", (c, v) -> read(c.getMetaData()
        .getColumns(v.target().source(), null, "%", "ssn"), "COLUMN_NAME"), v -> List.of()));
    a.add(meta("getColumns(src, null, orders, s_n)", (c, v) -> read(c.getMetaData()
        .getColumns(v.target().source(), null, "orders", "s_n"), "COLUMN_NAME"),
        v -> List.of()));
    a.add(meta("getColumns(null, null, %, ssn)", (c, v) -> read(c.getMetaData()
        .getColumns(null, null, "%", "ssn"), "COLUMN_NAME"), v -> List.of()));
    a.add(meta("getColumns(src, schema, secrets, %)", (c, v) -> read(c.getMetaData()
        .getColumns(v.target().source(), v.target().schema(), "secrets", "%"),
        "COLUMN_NAME"), v -> List.of()));
    a.add(meta("getPrimaryKeys(src, schema, secrets)", (c, v) -> read(c.getMetaData()
        .getPrimaryKeys(v.target().source(), v.target().schema(), "secrets"),
        "COLUMN_NAME"), v -> List.of()));
    a.add(meta("getPrimaryKeys(src, schema, orders)", (c, v) -> read(c.getMetaData()
        .getPrimaryKeys(v.target().source(), v.target().schema(), "orders"),
        "COLUMN_NAME"), v -> one("id")));
    a.add(meta("getIndexInfo(src, schema, orders) names no hidden column", (c, v) ->
        read(c.getMetaData().getIndexInfo(v.target().source(), v.target().schema(), "orders",
            false, false), "COLUMN_NAME").stream()
            .filter(r -> "ssn".equalsIgnoreCase(String.valueOf(r.get(0)))).toList(),
        v -> List.of()));
    a.add(meta("getIndexInfo(src, schema, secrets)", (c, v) -> read(c.getMetaData()
        .getIndexInfo(v.target().source(), v.target().schema(), "secrets", false, false),
        "INDEX_NAME", "COLUMN_NAME"), v -> List.of()));
    a.add(meta("getImportedKeys(src, schema, secrets)", (c, v) -> read(c.getMetaData()
        .getImportedKeys(v.target().source(), v.target().schema(), "secrets"),
        "FKTABLE_NAME", "PKTABLE_NAME"), v -> List.of()));
    a.add(meta("getExportedKeys(src, schema, orders)", (c, v) -> read(c.getMetaData()
        .getExportedKeys(v.target().source(), v.target().schema(), "orders"),
        "FKTABLE_NAME", "FKCOLUMN_NAME"), v -> List.of()));
  }

  private static void writes(List<Attack> a) {
    a.add(refused("INSERT INTO {o} (id, region, tenant_id, amount, card_number, ssn, note)"
        + " VALUES (9001, 'EU', 42, 1.00, '1', '1', 'x')", null));
    a.add(refused("INSERT INTO {o} SELECT * FROM {o}", null));
    a.add(refused("UPDATE {o} SET region = 'EU' WHERE region = '{hr}'", null));
    a.add(refused("UPDATE {o} SET note = 'x' WHERE id = {vid}", null));
    a.add(refused("DELETE FROM {o} WHERE region = '{hr}'", null));
    a.add(refused("DELETE FROM {o}", null));
    a.add(refused("MERGE INTO {o} t USING {c} s ON t.id = s.id WHEN MATCHED THEN UPDATE SET"
        + " note = 'x'", null));
    a.add(refused("UPSERT INTO {o} (id, region, tenant_id, amount, card_number, ssn, note)"
        + " VALUES (9002, 'EU', 42, 1.00, '1', '1', 'x')", null));
    a.add(refused("CREATE TABLE {src}.{schema}.stolen AS SELECT * FROM {o}", null));
    a.add(refused("CREATE TABLE {src}.{schema}.stolen (x INTEGER)", null));
    a.add(refused("CREATE VIEW {src}.{schema}.v AS SELECT * FROM {o}", null));
    a.add(refused("CREATE INDEX stolen_idx ON {o} (ssn)", null));
    a.add(refused("DROP TABLE {o}", null));
    a.add(refused("ALTER TABLE {o} ADD COLUMN x INTEGER", null));
    a.add(refused("TRUNCATE TABLE {o}", null));
    a.add(refused("DROP SCHEMA {src}.{schema}", null));
    a.add(refused("GRANT SELECT ON {s} TO ana", null));
    a.add(refused("COMMENT ON TABLE {o} IS 'x'", null));
    a.add(refused("/* comment */ DELETE FROM {o}", null));
    a.add(refused("DELETE FROM {s}", "secrets"));
    a.add(refused("INSERT INTO {s} (id, order_id, secret) VALUES (99, 3, 'x')", "secrets"));
    a.add(new Attack(WRITE, "SELECT id FROM {o}; DELETE FROM {o}", null, new Fails()));
  }

  /** The attacks an admin runs: everything, unmasked; writes still refused. */
  public static List<Attack> admin() {
    List<Attack> a = new ArrayList<>();
    a.add(rows(AGGREGATE, "SELECT COUNT(*) FROM {o}", v -> one(PolicyFixture.ORDER_COUNT)));
    a.add(new Attack(COLUMNS, "SELECT * FROM {o} WHERE id <= 12", null, new Rows(
        v -> map(filter(v, o -> o.id() <= 12), o -> row(o.id(), o.region(), o.tenantId(),
            o.amount(), o.card(), o.ssn(), o.note())), false, ADMIN_STAR)));
    a.add(rows(COLUMNS, "SELECT id, card_number, ssn FROM {o} WHERE id IN (1, 2, 3, 9)",
        v -> map(filter(v, o -> Set.of(1, 2, 3, 9).contains(o.id())),
            o -> row(o.id(), o.card(), o.ssn()))));
    a.add(rows(AGGREGATE, "SELECT COUNT(*), SUM(amount) FROM {o}",
        v -> one(v.orders().size(), sum(v.orders()))));
    a.add(rows(AGGREGATE, "SELECT region, COUNT(*) FROM {o} GROUP BY region",
        v -> counts(v, Order::region)));
    a.add(rows(MASK, "SELECT MIN(card_number), MAX(card_number) FROM {o}",
        v -> one(v.orders().stream().map(Order::card).min(Comparator.naturalOrder())
            .orElseThrow(), v.orders().stream().map(Order::card).max(Comparator.naturalOrder())
            .orElseThrow())));
    a.add(rows(MASK, "SELECT COUNT(*) FROM {o} WHERE card_number LIKE '4111%'",
        v -> one(filter(v, o -> o.card().startsWith("4111")).size())));
    a.add(rows(DENIED, "SELECT id, order_id, secret FROM {s}", v -> PolicyFixture.SECRETS
        .stream().map(s -> row(s.id(), s.orderId(), s.secret())).toList()));
    a.add(rows(JOIN, "SELECT COUNT(*) FROM {o} o JOIN {s} s ON s.order_id = o.id",
        v -> one(PolicyFixture.SECRETS.size())));
    a.add(rows(COLUMNS, "SELECT ssn FROM {o} WHERE id = 1",
        v -> one(PolicyFixture.ORDERS.get(0).ssn())));
    a.add(meta("getTables(src, schema, %, null)", (c, v) -> read(c.getMetaData()
        .getTables(v.target().source(), v.target().schema(), "%", null), "TABLE_NAME"),
        v -> column(List.of("customers", "orders", "secrets"))));
    a.add(meta("getColumns(src, schema, orders, %)", (c, v) -> read(c.getMetaData()
        .getColumns(v.target().source(), v.target().schema(), "orders", "%"),
        "COLUMN_NAME"), v -> column(ADMIN_STAR)));
    a.add(meta("getPrimaryKeys(src, schema, secrets)", (c, v) -> read(c.getMetaData()
        .getPrimaryKeys(v.target().source(), v.target().schema(), "secrets"),
        "COLUMN_NAME"), v -> one("id")));
    a.addAll(analyst().stream().filter(x -> x.category().equals(WRITE)).toList());
    return List.copyOf(a);
  }

  /** The attacks a user the policy does not name runs: nothing exists for them. */
  public static List<Attack> outsider() {
    List<Attack> a = new ArrayList<>();
    a.add(missing(DENIED, "SELECT * FROM {o}", "orders"));
    a.add(missing(DENIED, "SELECT COUNT(*) FROM {o}", "orders"));
    a.add(missing(DENIED, "SELECT * FROM {c}", "customers"));
    a.add(missing(DENIED, "SELECT * FROM {s}", "secrets"));
    a.add(missing(DENIED, "SELECT COUNT(*) FROM {SRC}.{SCHEMA}.ORDERS", "ORDERS"));
    a.add(missing(EXPLAIN, "EXPLAIN PLAN FOR SELECT * FROM {o}", "orders"));
    a.add(meta("getCatalogs()", (c, v) -> read(c.getMetaData().getCatalogs(), "TABLE_CAT")
        .stream().filter(r -> SOURCES.contains(r.get(0))).toList(), v -> List.of()));
    a.add(meta("getSchemas(src, null)", (c, v) -> read(c.getMetaData()
        .getSchemas(v.target().source(), null), "TABLE_SCHEM"), v -> List.of()));
    a.add(meta("getTables(src, null, %, null)", (c, v) -> read(c.getMetaData()
        .getTables(v.target().source(), null, "%", null), "TABLE_NAME"), v -> List.of()));
    a.add(meta("getColumns(src, null, %, %)", (c, v) -> read(c.getMetaData()
        .getColumns(v.target().source(), null, "%", "%"), "COLUMN_NAME"), v -> List.of()));
    a.add(meta("getPrimaryKeys(src, schema, orders)", (c, v) -> read(c.getMetaData()
        .getPrimaryKeys(v.target().source(), v.target().schema(), "orders"),
        "COLUMN_NAME"), v -> List.of()));
    a.addAll(analyst().stream().filter(x -> x.category().equals(WRITE)).toList());
    return List.copyOf(a);
  }

  /** Attack counts by class, in report order. */
  public static Map<String, Integer> countByCategory(List<Attack> attacks) {
    Map<String, Integer> out = new LinkedHashMap<>();
    attacks.forEach(x -> out.merge(x.category(), 1, Integer::sum));
    return out;
  }

  // ---- building attacks

  private static final Set<String> SOURCES = Set.of(Adapter.values()).stream()
      .map(x -> x.source).collect(Collectors.toUnmodifiableSet());

  private static Attack rows(String category, String sql,
      Function<View, List<List<Object>>> expected) {
    return new Attack(category, sql, null, new Rows(expected, false, null));
  }

  private static Attack ordered(String category, String sql,
      Function<View, List<List<Object>>> expected) {
    return new Attack(category, sql, null, new Rows(expected, true, null));
  }

  private static Attack star(String category, String sql,
      Function<View, List<List<Object>>> expected) {
    return new Attack(category, sql, null, new Rows(expected, false, STAR));
  }

  private static Attack missing(String category, String sql, String name) {
    return new Attack(category, sql, null, new Missing(name));
  }

  private static Attack either(String category, String sql, String name,
      Function<View, List<List<Object>>> expected) {
    return new Attack(category, sql, null, new RowsOrMissing(name, expected));
  }

  /** A prepared query run with parameters; the text shows the template. */
  private static Attack prepared(String sql, Function<View, List<Object>> parameters,
      Function<View, List<List<Object>>> expected) {
    return new Attack(PREPARED, sql + " with parameters", (c, v) -> {
      try (PreparedStatement ps = c.prepareStatement(v.resolve(sql))) {
        ps.setQueryTimeout(AttackRunner.QUERY_TIMEOUT_SECONDS);
        List<Object> values = parameters.apply(v);
        for (int i = 0; i < values.size(); i++) {
          ps.setObject(i + 1, values.get(i));
        }
        List<List<Object>> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            List<Object> r = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
              r.add(AttackRunner.norm(rs.getObject(i)));
            }
            out.add(r);
          }
        }
        return out;
      }
    }, new Rows(expected, false, null));
  }

  private static Attack unsupported(String category, String sql,
      Function<View, List<List<Object>>> expected) {
    return new Attack(category, sql, null, new RowsOrRejected(expected));
  }

  private static Attack refused(String sql, String name) {
    return new Attack(WRITE, sql, null, new Refused(name));
  }

  private static Attack explain(String sql, boolean filter, boolean mask) {
    return new Attack(EXPLAIN, sql, null, new Explain(filter, mask));
  }

  private static Attack meta(String what, Probe probe,
      Function<View, List<List<Object>>> expected) {
    return new Attack(METADATA, what, probe, new Rows(expected, false, null));
  }

  /** Reads the named columns of every row, closing the result set. */
  static List<List<Object>> read(ResultSet rs, String... columns) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        List<Object> r = new ArrayList<>();
        for (String c : columns) {
          r.add(AttackRunner.norm(rs.getObject(c)));
        }
        out.add(r);
      }
    }
    return out;
  }

  // ---- computing answers

  private static List<Object> star(Order o) {
    return row(o.id(), o.region(), o.tenantId(), o.amount(), o.card(), o.note());
  }

  private static <T> List<List<Object>> map(List<T> items, Function<T, List<Object>> f) {
    return items.stream().map(f).toList();
  }

  private static List<Order> filter(View v, Predicate<Order> p) {
    return v.orders().stream().filter(p).toList();
  }

  private static List<List<Object>> ids(View v) {
    return ids(v, o -> true);
  }

  private static List<List<Object>> ids(View v, Predicate<Order> p) {
    return column(filter(v, p).stream().map(Order::id).toList());
  }

  private static List<Integer> ids(List<Order> orders) {
    return orders.stream().map(Order::id).toList();
  }

  private static List<List<Object>> customerIds(View v, Predicate<Customer> p) {
    return column(v.customers().stream().filter(p).map(Customer::id).toList());
  }

  private static int maxId(View v) {
    return v.orders().stream().mapToInt(Order::id).max().orElse(0);
  }

  private static Set<String> regions(View v) {
    return new TreeSet<>(v.orders().stream().map(Order::region).toList());
  }

  private static List<Integer> probeIds(View v) {
    return List.copyOf(new HashSet<>(List.of(v.hiddenRow().id(), v.ownRow().id())));
  }

  private static BigDecimal sum(List<Order> orders) {
    return orders.isEmpty() ? null : orders.stream().map(Order::amount)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static <K> Map<K, Long> groups(View v, Function<Order, K> key) {
    return v.orders().stream().collect(Collectors.groupingBy(key, TreeMap::new,
        Collectors.counting()));
  }

  private static List<List<Object>> counts(View v, Function<Order, ?> key) {
    return groups(v, key).entrySet().stream().map(e -> row(e.getKey(), e.getValue()))
        .toList();
  }

  /** A function of a row and its position in {@link View#orders()} (by id). */
  @FunctionalInterface
  private interface Indexed {
    List<Object> apply(int index, Order order);
  }

  private static List<List<Object>> indexed(View v, Indexed f) {
    List<Order> orders = v.orders();
    List<List<Object>> out = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      out.add(f.apply(i, orders.get(i)));
    }
    return out;
  }
}
