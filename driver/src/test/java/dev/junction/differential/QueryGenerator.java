package dev.junction.differential;

import dev.junction.differential.DifferentialData.Column;
import dev.junction.differential.DifferentialData.Table;
import dev.junction.differential.DifferentialData.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes random SELECT statements over {@link DifferentialData}'s tables, the same for a
 * given seed. Tables are written as placeholders ({@code {p}}, {@code {q}}, {@code {r}})
 * that the test replaces with each source's names.
 *
 * <p>Only SQL whose meaning is the same in standard SQL, in Junction and in each of
 * PostgreSQL, MariaDB, DuckDB and SQLite is written, so that a difference means a Junction
 * bug: no division or modulo (integer division differs), no implicit conversion between
 * strings and numbers, no casts that round, no string literals of different lengths as the
 * results of one CASE or set operation (Calcite types them blank-padded CHAR), no
 * {@code ||} (a logical OR in MariaDB), no LIKE, no upper- or lower-casing where strings
 * are compared or grouped (MariaDB compares case-insensitively), string comparisons only
 * between the tables' strings and literals whose first letter decides the order, and
 * {@code ORDER BY ... LIMIT} only over keys that never hold NULL and give a total order
 * (NULLs sort first in MariaDB and SQLite, last in PostgreSQL and DuckDB).
 */
final class QueryGenerator {

  /** A generated statement and how its answer is compared. */
  record Query(String shape, String sql, boolean ordered, boolean approximate) {
  }

  /** An expression: its SQL, type, whether it may be NULL. */
  private record Expr(String sql, Type type, boolean nullable) {
  }

  /** A table in a FROM clause under an alias; {@code nullable} on a LEFT JOIN's right. */
  private record Ref(String alias, Table table, boolean nullable) {
  }

  /** The tables a query level can name, and the enclosing level's for correlation. */
  private record Scope(List<Ref> refs, Scope outer) {
  }

  private static final List<Table> TABLES = DifferentialData.TABLES;
  private static final String[] COMPARISONS = {"=", "<>", "<", "<=", ">", ">="};
  private static final String[] DATES = {"2023-12-20", "2024-01-05", "2024-01-15",
      "2024-01-28", "2024-02-10"};
  /** Constants that a source could take for column ordinals among others. */
  private static final String[] CONSTANTS = {"1", "2", "3", "0", "-25", "- 25", "7", "'x'",
      "'Apple'", "NULL", "1.50", "-2.25", "CAST(NULL AS INTEGER)", "TRUE", "FALSE"};

  private final Random random;
  private int subqueries;
  private boolean approximate;
  /** False while writing aggregate arguments and grouping keys, which hold no subquery. */
  private boolean subqueriesAllowed = true;

  QueryGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** The next statement. */
  Query next() {
    subqueries = 0;
    approximate = false;
    int pick = random.nextInt(100);
    if (pick < 26) {
      return simple();
    } else if (pick < 48) {
      return grouped();
    } else if (pick < 56) {
      return globalAggregate();
    } else if (pick < 66) {
      return setOperation();
    } else if (pick < 74) {
      return derivedConstantGroup();
    } else if (pick < 84) {
      return distinctConstant();
    } else if (pick < 92) {
      return fromless();
    }
    return constantOrder();
  }

  // ---- query shapes -------------------------------------------------------------------

  private Query simple() {
    Scope scope = from();
    StringBuilder sql = new StringBuilder("SELECT ");
    boolean distinct = chance(25);
    if (distinct) {
      sql.append("DISTINCT ");
    }
    List<Expr> items = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      items.add(chance(20) ? constant() : expr(scope, anyType(), 2, !distinct));
    }
    sql.append(list(items)).append(" FROM ").append(fromSql(scope)).append(where(scope));
    boolean ordered = false;
    if (distinct) {
      if (items.stream().noneMatch(Expr::nullable) && chance(60)) {
        sql.append(" ORDER BY ").append(aliases(items.size()));
        ordered = true;
        if (chance(60)) {
          sql.append(" LIMIT ").append(1 + random.nextInt(6));
        }
      }
    } else if (chance(50)) {
      StringBuilder keys = new StringBuilder();
      if (chance(50)) {
        Expr lead = nonNullKey(scope);
        keys.append(lead.sql()).append(", ");
      }
      keys.append(idKeys(scope));
      sql.append(" ORDER BY ").append(keys);
      ordered = true;
      if (chance(60)) {
        sql.append(" LIMIT ").append(1 + random.nextInt(8));
      }
    }
    return new Query("simple", sql.toString(), ordered, approximate);
  }

  private Query grouped() {
    Scope scope = from();
    List<Expr> keys = new ArrayList<>();
    int n = 1 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      keys.add(groupKey(scope));
    }
    List<String> items = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      items.add(keys.get(i).sql() + " AS k" + (i + 1));
    }
    if (chance(25)) {
      items.add(constant().sql() + " AS c1");
    }
    int aggregates = 1 + random.nextInt(3);
    for (int i = 0; i < aggregates; i++) {
      items.add(aggregate(scope).sql() + " AS a" + (i + 1));
    }
    StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", items))
        .append(" FROM ").append(fromSql(scope)).append(where(scope)).append(" GROUP BY ");
    for (int i = 0; i < keys.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(keys.get(i).sql());
    }
    if (chance(40)) {
      sql.append(" HAVING ").append(aggregateCondition(scope));
    }
    boolean ordered = false;
    if (keys.stream().noneMatch(Expr::nullable) && chance(60)) {
      StringBuilder order = new StringBuilder();
      for (int i = 0; i < keys.size(); i++) {
        order.append(i == 0 ? "" : ", ").append("k").append(i + 1)
            .append(chance(30) ? " DESC" : "");
      }
      sql.append(" ORDER BY ").append(order);
      ordered = true;
      if (chance(50)) {
        sql.append(" LIMIT ").append(1 + random.nextInt(4));
      }
    }
    return new Query("group by", sql.toString(), ordered, approximate);
  }

  private Query globalAggregate() {
    Scope scope = from();
    List<String> items = new ArrayList<>();
    if (chance(30)) {
      items.add(constant().sql() + " AS c1");
    }
    int aggregates = 1 + random.nextInt(3);
    for (int i = 0; i < aggregates; i++) {
      items.add(aggregate(scope).sql() + " AS a" + (i + 1));
    }
    String sql = "SELECT " + String.join(", ", items) + " FROM " + fromSql(scope)
        + where(scope) + (chance(20) ? " HAVING " + aggregateCondition(scope) : "");
    return new Query("aggregate", sql, false, approximate);
  }

  private Query setOperation() {
    int width = 1 + random.nextInt(2);
    List<Type> types = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      types.add(pick(Type.INT, Type.INT, Type.DEC, Type.STR, Type.DATE));
    }
    String op = pick("UNION", "UNION ALL");
    String left = setBranch(types, true);
    String right = setBranch(types, false);
    return new Query("set operation", left + " " + op + " " + right, false, approximate);
  }

  private String setBranch(List<Type> types, boolean first) {
    Scope scope = from();
    List<String> items = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      Expr e = types.get(i) == Type.INT && chance(15) ? literal(Type.INT)
          : setItem(scope, types.get(i));
      items.add(e.sql() + (first ? " AS c" + (i + 1) : ""));
    }
    return "SELECT " + String.join(", ", items) + " FROM " + fromSql(scope) + where(scope);
  }

  /** An item of a set operation: a string is a column, never a literal (CHAR padding). */
  private Expr setItem(Scope scope, Type type) {
    Expr e = switch (type) {
      case STR -> column(scope, Type.STR);
      case DATE -> column(scope, Type.DATE);
      default -> expr(scope, type, 1, false);
    };
    // Every table has a string column; a date comes from a literal when none has one.
    return e != null ? e : literal(type);
  }

  private Query derivedConstantGroup() {
    Scope scope = from();
    String constant = pick(CONSTANTS);
    Expr key = groupKey(scope);
    StringBuilder sql = new StringBuilder("SELECT s0.c");
    boolean twoKeys = chance(50);
    if (twoKeys) {
      sql.append(", s0.k");
    }
    sql.append(", COUNT(*) AS n");
    if (key.type() == Type.INT && chance(50)) {
      sql.append(", SUM(s0.k) AS total");
    }
    sql.append(" FROM (SELECT ").append(constant).append(" AS c, ").append(key.sql())
        .append(" AS k FROM ").append(fromSql(scope)).append(where(scope)).append(") s0")
        .append(" GROUP BY s0.c").append(twoKeys ? ", s0.k" : "");
    return new Query("constant group key", sql.toString(), false, approximate);
  }

  private Query distinctConstant() {
    Scope scope = from();
    List<String> items = new ArrayList<>();
    items.add(pick(CONSTANTS) + " AS col1");
    if (chance(40)) {
      items.add(groupKey(scope).sql() + " AS col2");
    }
    if (chance(30)) {
      items.add(pick(CONSTANTS) + " AS col3");
    }
    String sql = "SELECT DISTINCT " + String.join(", ", items) + " FROM " + fromSql(scope)
        + where(scope);
    return new Query("distinct constant", sql, false, approximate);
  }

  private Query constantOrder() {
    Scope scope = from();
    String constant = pick("1", "2", "-25", "0", "'x'", "7");
    Expr other = expr(scope, anyType(), 1, true);
    String sql = "SELECT " + constant + " AS c1, " + other.sql() + " AS c2 FROM "
        + fromSql(scope) + where(scope) + " ORDER BY c1" + (chance(30) ? " DESC" : "")
        + ", " + idKeys(scope) + (chance(60) ? " LIMIT " + (1 + random.nextInt(6)) : "");
    return new Query("order by constant", sql, true, approximate);
  }

  private Query fromless() {
    Scope empty = new Scope(List.of(), null);
    String item = switch (random.nextInt(5)) {
      case 0 -> pick("NULL", "1", "-3", "CAST(NULL AS INTEGER)") + " IN ("
          + inSubquery(empty, Type.INT) + ")";
      case 1 -> pick("NULL", "'Apple'", "'Kiwi'") + " IN (" + inSubquery(empty, Type.STR) + ")";
      case 2 -> (chance(50) ? "NOT " : "") + "EXISTS (" + existsSubquery(empty) + ")";
      case 3 -> scalarSubquery(empty, anyType()).sql();
      default -> pick("NULL", "2") + " NOT IN (" + inSubquery(empty, Type.INT) + ")";
    };
    String sql = "SELECT " + item + " AS v" + (chance(30) ? ", " + constant().sql() + " AS c"
        : "");
    return new Query("no FROM", sql, false, approximate);
  }

  // ---- FROM -------------------------------------------------------------------------

  private Scope from() {
    int n = random.nextInt(100) < 55 ? 1 : random.nextInt(100) < 80 ? 2 : 3;
    List<Ref> refs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean left = i > 0 && chance(35);
      refs.add(new Ref("t" + (i + 1), TABLES.get(random.nextInt(TABLES.size())), left));
    }
    return new Scope(refs, null);
  }

  /** The FROM clause of a scope, joining its tables on generated conditions. */
  private String fromSql(Scope scope) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < scope.refs().size(); i++) {
      Ref ref = scope.refs().get(i);
      if (i == 0) {
        b.append(table(ref));
        continue;
      }
      b.append(ref.nullable() ? " LEFT JOIN " : " JOIN ").append(table(ref)).append(" ON ")
          .append(joinCondition(scope, i));
    }
    return b.toString();
  }

  private static String table(Ref ref) {
    return "{" + ref.table().name() + "} " + ref.alias();
  }

  private String joinCondition(Scope scope, int index) {
    Ref right = scope.refs().get(index);
    Scope visible = new Scope(scope.refs().subList(0, index), null);
    Scope rightOnly = new Scope(List.of(right), null);
    String condition;
    if (chance(20)) {
      Expr l = column(visible, Type.STR);
      Expr r = column(rightOnly, Type.STR);
      condition = l != null && r != null ? l.sql() + " = " + r.sql() : null;
    } else {
      condition = null;
    }
    if (condition == null) {
      Expr l = column(visible, Type.INT);
      Expr r = column(rightOnly, Type.INT);
      condition = switch (random.nextInt(4)) {
        case 0 -> l.sql() + " = " + r.sql() + " + " + (1 + random.nextInt(2));
        case 1 -> l.sql() + " + " + r.sql() + " = " + random.nextInt(3);
        default -> l.sql() + " = " + r.sql();
      };
    }
    if (chance(20)) {
      Scope both = new Scope(scope.refs().subList(0, index + 1), null);
      condition += " AND " + comparison(both, 0);
    }
    return condition;
  }

  private String where(Scope scope) {
    return chance(70) ? " WHERE " + condition(scope, 2) : "";
  }

  /** Keys that order a scope's rows totally: every table's id. */
  private static String idKeys(Scope scope) {
    StringBuilder b = new StringBuilder();
    for (Ref ref : scope.refs()) {
      b.append(b.length() == 0 ? "" : ", ").append(ref.alias()).append(".id");
    }
    return b.toString();
  }

  private Expr nonNullKey(Scope scope) {
    for (int tries = 0; tries < 10; tries++) {
      Expr e = expr(scope, Type.INT, 1, false);
      if (!e.nullable() && referencesColumn(e)) {
        return e;
      }
    }
    Ref ref = scope.refs().get(0);
    return new Expr(ref.alias() + ".g", Type.INT, false);
  }

  // ---- expressions ------------------------------------------------------------------

  private Type anyType() {
    return pick(Type.INT, Type.INT, Type.INT, Type.DEC, Type.STR, Type.STR, Type.DATE,
        Type.BOOL);
  }

  /**
   * An expression of {@code type}; {@code caseChanges} allows UPPER and LOWER, only where
   * the value is returned as it is, never compared, grouped or made distinct.
   */
  private Expr expr(Scope scope, Type type, int depth, boolean caseChanges) {
    return switch (type) {
      case INT -> intExpr(scope, depth);
      case DEC -> decExpr(scope, depth);
      case STR -> strExpr(scope, depth, caseChanges);
      case DATE -> orLiteral(column(scope, Type.DATE), Type.DATE);
      case BOOL -> chance(50) && column(scope, Type.BOOL) != null ? column(scope, Type.BOOL)
          : new Expr("(" + condition(scope, Math.min(depth, 1)) + ")", Type.BOOL, true);
    };
  }

  private Expr orLiteral(Expr e, Type type) {
    return e != null && chance(85) ? e : literal(type);
  }

  private Expr intExpr(Scope scope, int depth) {
    int pick = random.nextInt(depth > 0 ? 100 : 60);
    if (pick < 40) {
      return orLiteral(column(scope, Type.INT), Type.INT);
    } else if (pick < 60) {
      return literal(Type.INT);
    }
    int d = depth - 1;
    if (pick < 72) {
      Expr a = intExpr(scope, d);
      Expr b = intExpr(scope, d);
      return new Expr("(" + a.sql() + " " + pick("+", "-", "*") + " " + b.sql() + ")",
          Type.INT, a.nullable() || b.nullable());
    } else if (pick < 76) {
      Expr a = intExpr(scope, d);
      return new Expr("-(" + a.sql() + ")", Type.INT, a.nullable());
    } else if (pick < 80) {
      Expr a = intExpr(scope, d);
      return new Expr("ABS(" + a.sql() + ")", Type.INT, a.nullable());
    } else if (pick < 87) {
      return caseExpr(scope, Type.INT, d);
    } else if (pick < 94) {
      Expr a = intExpr(scope, d);
      return new Expr("COALESCE(" + a.sql() + ", " + literal(Type.INT).sql() + ")", Type.INT,
          false);
    } else if (pick < 97 && subqueriesAllowed) {
      return scalarSubquery(scope, Type.INT);
    }
    return new Expr("CAST(NULL AS INTEGER)", Type.INT, true);
  }

  private Expr decExpr(Scope scope, int depth) {
    int pick = random.nextInt(depth > 0 ? 100 : 60);
    if (pick < 40) {
      return orLiteral(column(scope, Type.DEC), Type.DEC);
    } else if (pick < 60) {
      return literal(Type.DEC);
    }
    int d = depth - 1;
    if (pick < 70) {
      Expr a = decExpr(scope, d);
      Expr b = chance(50) ? decExpr(scope, d) : intExpr(scope, d);
      return new Expr("(" + a.sql() + " " + pick("+", "-") + " " + b.sql() + ")", Type.DEC,
          a.nullable() || b.nullable());
    } else if (pick < 76) {
      Expr a = decExpr(scope, d);
      return new Expr("(" + a.sql() + " * " + pick("2", "-3", "10") + ")", Type.DEC,
          a.nullable());
    } else if (pick < 84) {
      Expr a = intExpr(scope, d);
      return new Expr("CAST(" + a.sql() + " AS DECIMAL(10,2))", Type.DEC, a.nullable());
    } else if (pick < 90) {
      Expr a = decExpr(scope, d);
      return new Expr("COALESCE(" + a.sql() + ", 0.00)", Type.DEC, false);
    } else if (pick < 94) {
      Expr a = decExpr(scope, d);
      return new Expr("ABS(" + a.sql() + ")", Type.DEC, a.nullable());
    }
    return caseExpr(scope, Type.DEC, d);
  }

  private Expr strExpr(Scope scope, int depth, boolean caseChanges) {
    Expr column = column(scope, Type.STR);
    if (column == null) {
      return literal(Type.STR);
    }
    int pick = random.nextInt(100);
    if (pick < 50 || depth <= 0) {
      return column;
    } else if (pick < 62) {
      return literal(Type.STR);
    } else if (pick < 75) {
      return new Expr("COALESCE(" + column.sql() + ", " + literal(Type.STR).sql() + ")",
          Type.STR, false);
    } else if (pick < 88 || !caseChanges) {
      String other = chance(50) ? "NULL" : column(scope, Type.STR).sql();
      boolean columnFirst = chance(50);
      return new Expr("CASE WHEN " + condition(scope, 0) + " THEN "
          + (columnFirst ? column.sql() : other) + " ELSE "
          + (columnFirst ? other : column.sql()) + " END", Type.STR, true);
    }
    return new Expr(pick("UPPER", "LOWER") + "(" + column.sql() + ")", Type.STR,
        column.nullable());
  }

  private Expr caseExpr(Scope scope, Type type, int depth) {
    Expr a = expr(scope, type, depth, false);
    Expr b = chance(20) ? new Expr("NULL", type, true) : expr(scope, type, depth, false);
    StringBuilder sql = new StringBuilder("CASE WHEN ").append(condition(scope, 0))
        .append(" THEN ").append(a.sql());
    boolean nullable = a.nullable() || b.nullable();
    if (chance(25)) {
      nullable = true;
    } else {
      sql.append(" ELSE ").append(b.sql());
    }
    return new Expr(sql.append(" END").toString(), type, nullable);
  }

  private Expr literal(Type type) {
    return switch (type) {
      case INT -> new Expr(Integer.toString(random.nextInt(31) - 15), Type.INT, false);
      case DEC -> new Expr(pick("0.00", "1.50", "-2.25", "12.75", "-40.00", "3.25"),
          Type.DEC, false);
      case STR -> new Expr(quote(chance(75)
          ? DifferentialData.STRINGS.get(random.nextInt(DifferentialData.STRINGS.size()))
          : DifferentialData.OTHER_STRINGS.get(
              random.nextInt(DifferentialData.OTHER_STRINGS.size()))), Type.STR, false);
      case DATE -> new Expr("DATE '" + pick(DATES) + "'", Type.DATE, false);
      case BOOL -> new Expr(pick("TRUE", "FALSE"), Type.BOOL, false);
    };
  }

  /** A constant for a select list: numbers, strings, NULL, booleans. */
  private Expr constant() {
    String c = pick(CONSTANTS);
    return new Expr(c, Type.INT, c.contains("NULL"));
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * A column of {@code type} from the scope, or with some chance from an enclosing one
   * (a correlated reference); null when none has the type.
   */
  private Expr column(Scope scope, Type type) {
    Scope s = scope;
    if (scope.outer() != null && chance(30)) {
      s = scope.outer();
    }
    Expr e = columnIn(s, type);
    if (e == null && s != scope) {
      e = columnIn(scope, type);
    }
    if (e == null && scope.outer() != null) {
      e = columnIn(scope.outer(), type);
    }
    return e;
  }

  private Expr columnIn(Scope scope, Type type) {
    List<Expr> candidates = new ArrayList<>();
    for (Ref ref : scope.refs()) {
      for (Column c : ref.table().columns()) {
        if (c.type() == type) {
          candidates.add(new Expr(ref.alias() + "." + c.name(), type,
              c.nullable() || ref.nullable()));
        }
      }
    }
    return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
  }

  /**
   * A grouping key: a column or an expression over columns, never a case change, never a
   * subquery, and never a bare literal (which the sources read as a column ordinal).
   */
  private Expr groupKey(Scope scope) {
    Type type = pick(Type.INT, Type.INT, Type.STR, Type.DATE, Type.BOOL, Type.DEC);
    Expr column = column(scope, type);
    if (column == null || chance(30)) {
      boolean allowed = subqueriesAllowed;
      subqueriesAllowed = false;
      try {
        for (int tries = 0; tries < 20; tries++) {
          Expr e = type == Type.STR && column != null ? strExpr(scope, 1, false)
              : intExpr(scope, 1);
          if (referencesColumn(e)) {
            return e;
          }
        }
      } finally {
        subqueriesAllowed = allowed;
      }
      return columnIn(scope, Type.INT);
    }
    return column;
  }

  /** Whether an expression names a column (every column is written alias.name). */
  private static boolean referencesColumn(Expr e) {
    return e.sql().matches("(?s).*\\b[ts][0-9]+\\.[a-z]+.*");
  }

  // ---- conditions -------------------------------------------------------------------

  private String condition(Scope scope, int depth) {
    int pick = random.nextInt(depth > 0 ? subqueriesAllowed ? 100 : 72 : 55);
    if (pick < 30) {
      return comparison(scope, depth);
    } else if (pick < 38) {
      Expr e = expr(scope, anyType(), 0, false);
      return e.sql() + pick(" IS NULL", " IS NOT NULL");
    } else if (pick < 46) {
      return inList(scope);
    } else if (pick < 50) {
      Expr e = intExpr(scope, 0);
      int lo = random.nextInt(21) - 10;
      return e.sql() + (chance(20) ? " NOT" : "") + " BETWEEN " + lo + " AND "
          + (lo + random.nextInt(10));
    } else if (pick < 55) {
      Expr f = column(scope, Type.BOOL);
      return f == null ? comparison(scope, depth)
          : pick(f.sql(), "NOT " + f.sql(), f.sql() + " IS TRUE", f.sql() + " IS NOT FALSE",
              f.sql() + " = TRUE");
    }
    int d = depth - 1;
    if (pick < 68) {
      return "(" + condition(scope, d) + pick(" AND ", " OR ") + condition(scope, d) + ")";
    } else if (pick < 72) {
      return "NOT (" + condition(scope, d) + ")";
    } else if (pick < 82) {
      return (chance(40) ? "NOT " : "") + "EXISTS (" + existsSubquery(scope) + ")";
    } else if (pick < 94) {
      Type type = chance(75) ? Type.INT : Type.STR;
      Expr e = type == Type.INT ? intExpr(scope, 0) : orLiteral(column(scope, type), type);
      return e.sql() + (chance(35) ? " NOT IN (" : " IN (") + inSubquery(scope, type) + ")";
    }
    Type type = pick(Type.INT, Type.DEC);
    Expr e = expr(scope, type, 0, false);
    return e.sql() + " " + pick(COMPARISONS) + " " + scalarSubquery(scope, type).sql();
  }

  private String comparison(Scope scope, int depth) {
    Type type = pick(Type.INT, Type.INT, Type.INT, Type.DEC, Type.STR, Type.DATE);
    Expr a = expr(scope, type, Math.min(depth, 1), false);
    Expr b = chance(60) ? literal(type) : expr(scope, type, 0, false);
    if (type == Type.DEC && chance(30)) {
      b = intExpr(scope, 0);
    }
    return a.sql() + " " + pick(COMPARISONS) + " " + b.sql();
  }

  private String inList(Scope scope) {
    Type type = chance(70) ? Type.INT : Type.STR;
    Expr e = type == Type.INT ? intExpr(scope, 1) : orLiteral(column(scope, Type.STR),
        Type.STR);
    List<String> values = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      values.add(chance(10) ? "NULL" : literal(type).sql());
    }
    return e.sql() + (chance(30) ? " NOT IN (" : " IN (") + String.join(", ", values) + ")";
  }

  // ---- subqueries -------------------------------------------------------------------

  private Scope subqueryScope(Scope outer) {
    subqueries++;
    Table t = TABLES.get(random.nextInt(TABLES.size()));
    return new Scope(List.of(new Ref("s" + subqueries, t, false)), outer);
  }

  /** WHERE of a subquery: often correlated with the enclosing query when there is one. */
  private String subqueryWhere(Scope inner) {
    List<String> conditions = new ArrayList<>();
    if (!inner.outer().refs().isEmpty() && chance(60)) {
      Expr in = columnIn(inner, Type.INT);
      Expr out = columnIn(inner.outer(), Type.INT);
      conditions.add(in.sql() + " " + pick("=", "=", "<", ">") + " " + out.sql()
          + (chance(25) ? " + 1" : ""));
    }
    if (chance(50)) {
      conditions.add(condition(new Scope(inner.refs(), chance(30) ? inner.outer() : null),
          0));
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  private String existsSubquery(Scope outer) {
    Scope inner = subqueryScope(outer);
    return "SELECT " + pick("1", "*", inner.refs().get(0).alias() + ".id") + " FROM "
        + fromSql(inner) + subqueryWhere(inner);
  }

  private String inSubquery(Scope outer, Type type) {
    Scope inner = subqueryScope(outer);
    Expr e = columnIn(inner, type);
    String item = e == null ? literal(type).sql() : e.sql();
    if (type == Type.INT && chance(20)) {
      item = item + " + 1";
    }
    return "SELECT " + (chance(15) ? "DISTINCT " : "") + item + " FROM " + fromSql(inner)
        + subqueryWhere(inner);
  }

  private Expr scalarSubquery(Scope outer, Type type) {
    Scope inner = subqueryScope(outer);
    String where = subqueryWhere(inner);
    Type t = type == Type.BOOL ? Type.INT : type;
    Expr e = columnIn(inner, t);
    if (e == null) {
      return new Expr("(SELECT COUNT(*) FROM " + fromSql(inner) + where + ")", Type.INT,
          false);
    }
    String aggregate = t == Type.INT ? pick("MAX", "MIN", "SUM", "COUNT") : pick("MAX", "MIN");
    return new Expr("(SELECT " + aggregate + "(" + e.sql() + ") FROM " + fromSql(inner) + where
        + ")", t, !aggregate.equals("COUNT"));
  }

  // ---- aggregates -------------------------------------------------------------------

  private Expr aggregate(Scope scope) {
    boolean allowed = subqueriesAllowed;
    subqueriesAllowed = false;
    try {
      return aggregateCall(scope);
    } finally {
      subqueriesAllowed = allowed;
    }
  }

  private Expr aggregateCall(Scope scope) {
    switch (random.nextInt(9)) {
      case 0:
        return new Expr("COUNT(*)", Type.INT, false);
      case 1: {
        Expr e = expr(scope, pick(Type.INT, Type.STR, Type.DATE), 0, false);
        return new Expr("COUNT(" + (chance(40) ? "DISTINCT " : "") + e.sql() + ")", Type.INT,
            false);
      }
      case 2:
      case 3:
        return new Expr("SUM(" + (chance(30) ? "DISTINCT " : "") + intExpr(scope, 1).sql()
            + ")", Type.INT, true);
      case 4:
        return new Expr("SUM(" + decExpr(scope, 1).sql() + ")", Type.DEC, true);
      case 5:
        return new Expr(average(intExpr(scope, 1)), Type.DEC, true);
      default: {
        Type type = pick(Type.INT, Type.INT, Type.DEC, Type.STR, Type.DATE);
        Expr e = type == Type.STR ? orLiteral(column(scope, Type.STR), Type.STR)
            : expr(scope, type, 1, false);
        return new Expr(pick("MIN", "MAX") + "(" + e.sql() + ")", type, true);
      }
    }
  }

  /** AVG, whose answers are compared with a tolerance (MariaDB keeps 4 more digits). */
  private String average(Expr e) {
    approximate = true;
    return "AVG(" + e.sql() + ")";
  }

  private String aggregateCondition(Scope scope) {
    boolean allowed = subqueriesAllowed;
    subqueriesAllowed = false;
    try {
      return aggregateConditionCall(scope);
    } finally {
      subqueriesAllowed = allowed;
    }
  }

  private String aggregateConditionCall(Scope scope) {
    String c = switch (random.nextInt(4)) {
      case 0 -> "COUNT(*) " + pick(COMPARISONS) + " " + random.nextInt(4);
      case 1 -> chance(30) ? average(intExpr(scope, 0)) + " > " + (random.nextInt(7) - 3)
          : "SUM(" + intExpr(scope, 0).sql() + ") " + pick(COMPARISONS) + " "
          + (random.nextInt(21) - 10);
      case 2 -> pick("MIN", "MAX") + "(" + intExpr(scope, 0).sql() + ") " + pick(COMPARISONS)
          + " " + (random.nextInt(11) - 5);
      default -> "COUNT(DISTINCT " + orLiteral(column(scope, Type.INT), Type.INT).sql()
          + ") > " + random.nextInt(3);
    };
    return chance(20) ? c + " AND COUNT(*) > 1" : c;
  }

  // ---- helpers ----------------------------------------------------------------------

  private static String list(List<Expr> items) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(items.get(i).sql()).append(" AS c").append(i + 1);
    }
    return b.toString();
  }

  private static String aliases(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      b.append(i == 1 ? "" : ", ").append('c').append(i);
    }
    return b.toString();
  }

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  @SafeVarargs
  private <T> T pick(T... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
