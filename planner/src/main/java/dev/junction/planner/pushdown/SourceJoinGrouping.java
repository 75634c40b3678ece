package dev.junction.planner.pushdown;

import dev.junction.spi.SourcePushdown;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.MultiJoin;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Joins the tables of one source first, in a query over several sources, so that each
 * source receives its part of the join as one statement.
 *
 * <p>Design: the pushdown phase pushes a join when both its inputs belong to one source,
 * so what it can push depends on the join order. In TPC-H Q9 part, partsupp and supplier
 * (one source) are each joined only to lineitem (another): in any order built from the
 * written conditions they are never adjacent. Their equalities go through lineitem's
 * columns, though ({@code p_partkey = l_partkey AND ps_partkey = l_partkey}), so
 * {@code p_partkey = ps_partkey} holds for every row of the inner join, and adding it
 * joins them inside their source. Here each inner multi-way join is split into groups of
 * same-source tables connected by their conditions or by equalities implied through
 * other tables, each group is joined and made one statement, and the groups and the
 * remaining tables are then joined in Junction, ordered later by the heuristic join
 * order. Outer joins are left to that heuristic order as they are.
 */
public final class SourceJoinGrouping {
  private final UnaryOperator<RelNode> closeGroup;

  private SourceJoinGrouping(UnaryOperator<RelNode> closeGroup) {
    this.closeGroup = closeGroup;
  }

  /**
   * Rewrites every inner multi-way join of {@code rel} that spans sources so each group of
   * connected same-source tables is one subtree, closed by {@code closeGroup}; other joins
   * are returned as multi-way joins for the heuristic join order to expand.
   */
  static RelNode group(RelNode rel, UnaryOperator<RelNode> closeGroup) {
    HepProgram toMultiJoins = new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleCollection(List.of(CoreRules.JOIN_TO_MULTI_JOIN,
            CoreRules.PROJECT_MULTI_JOIN_MERGE, CoreRules.FILTER_MULTI_JOIN_MERGE))
        .build();
    HepPlanner hep = new HepPlanner(toMultiJoins, rel.getCluster().getPlanner().getContext());
    hep.setRoot(rel);
    return new SourceJoinGrouping(closeGroup).visit(hep.findBestExp());
  }

  private RelNode visit(RelNode rel) {
    RelNode node = SourcePushdownPhase.withVisitedInputs(rel, this::visit);
    if (node instanceof MultiJoin join && innerOnly(join)) {
      RelNode grouped = regroup(join);
      return grouped == null ? node : grouped;
    }
    return node;
  }

  /**
   * Whether {@code join} is a plain inner multi-way join: no outer join, no full outer
   * join, no filter after the join.
   */
  public static boolean innerOnly(MultiJoin join) {
    return !join.isFullOuterJoin() && join.getPostJoinFilter() == null
        && join.getJoinTypes().stream().allMatch(t -> t == JoinRelType.INNER)
        && join.getOuterJoinConditions().stream().allMatch(c -> c == null);
  }

  /** The two fields of a condition {@code a = b} over plain columns, or null. */
  public static int[] columnPair(RexNode c) {
    if (c.getKind() == SqlKind.EQUALS && c instanceof RexCall call
        && call.getOperands().get(0) instanceof RexInputRef a
        && call.getOperands().get(1) instanceof RexInputRef b) {
      return new int[] {a.getIndex(), b.getIndex()};
    }
    return null;
  }

  /** The join with its same-source groups joined first, or null when there is no group. */
  private RelNode regroup(MultiJoin join) {
    List<RelNode> factors = join.getInputs();
    int n = factors.size();
    int[] offsets = new int[n + 1];
    for (int i = 0; i < n; i++) {
      offsets[i + 1] = offsets[i] + factors.get(i).getRowType().getFieldCount();
    }
    int fieldCount = offsets[n];
    int[] factorOfField = new int[fieldCount];
    for (int i = 0; i < n; i++) {
      for (int f = offsets[i]; f < offsets[i + 1]; f++) {
        factorOfField[f] = i;
      }
    }
    SourcePushdown[] sources = new SourcePushdown[n];
    for (int i = 0; i < n; i++) {
      sources[i] = sourceOf(factors.get(i));
    }
    List<RexNode> conjuncts = new ArrayList<>(RelOptUtil.conjunctions(join.getJoinFilter()));

    // Same-source factors joined by a written condition, or by an equality implied
    // through columns of other factors (equivalence classes of plain column equalities).
    UnionFind fieldClasses = new UnionFind(fieldCount);
    List<int[]> equalities = new ArrayList<>();
    for (RexNode c : conjuncts) {
      int[] pair = columnPair(c);
      if (pair != null) {
        equalities.add(pair);
        fieldClasses.union(pair[0], pair[1]);
      }
    }
    // Pairs of factors a written equality of a class already joins: {class, a, b}.
    Set<List<Integer>> equated = new HashSet<>();
    for (int[] pair : equalities) {
      int k = fieldClasses.find(pair[0]);
      equated.add(List.of(k, factorOfField[pair[0]], factorOfField[pair[1]]));
      equated.add(List.of(k, factorOfField[pair[1]], factorOfField[pair[0]]));
    }
    UnionFind groups = new UnionFind(n);
    for (RexNode c : conjuncts) {
      ImmutableBitSet used = factorsOf(c, factorOfField);
      if (used.cardinality() >= 2 && sameSource(used, sources)) {
        int first = used.nth(0);
        for (int f : used) {
          groups.union(first, f);
        }
      }
    }
    List<RexNode> implied = new ArrayList<>();
    RexBuilder rex = join.getCluster().getRexBuilder();
    Map<Integer, List<Integer>> classes = new LinkedHashMap<>();
    for (int f = 0; f < fieldCount; f++) {
      classes.computeIfAbsent(fieldClasses.find(f), k -> new ArrayList<>()).add(f);
    }
    // An equality implied between two factors of one source joins them in the source, and
    // goes with them even where another condition already groups them: TPC-H Q17 joins
    // lineitem to its per-part averages on a comparison only, each equal to part's key, and
    // without the implied l_partkey equality DuckDB paired every kept part's lineitems
    // with every kept part's average (121,970 rows at SF 1 for 204 parts).
    for (Map.Entry<Integer, List<Integer>> e : classes.entrySet()) {
      List<Integer> members = e.getValue();
      for (int x = 0; x < members.size(); x++) {
        for (int y = x + 1; y < members.size(); y++) {
          int fx = members.get(x);
          int fy = members.get(y);
          int a = factorOfField[fx];
          int b = factorOfField[fy];
          if (a == b || sources[a] == null || sources[a] != sources[b]) {
            continue;
          }
          if (groups.find(a) == groups.find(b)
              && !SqlTypeUtil.equalSansNullability(fieldType(factors, offsets, fx),
                  fieldType(factors, offsets, fy))
              || !equated.add(List.of(e.getKey(), a, b))) {
            continue;
          }
          equated.add(List.of(e.getKey(), b, a));
          groups.union(a, b);
          implied.add(rex.makeCall(SqlStdOperatorTable.EQUALS,
              rex.makeInputRef(fieldType(factors, offsets, fx), fx),
              rex.makeInputRef(fieldType(factors, offsets, fy), fy)));
        }
      }
    }
    Map<Integer, List<Integer>> members = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      members.computeIfAbsent(groups.find(i), k -> new ArrayList<>()).add(i);
    }
    if (members.values().stream().noneMatch(m -> m.size() > 1)) {
      return null;
    }

    // Each unit: a group joined and closed, or a single factor; its fields in order.
    List<Unit> units = new ArrayList<>();
    Set<RexNode> consumed = new HashSet<>();
    List<RexNode> all = new ArrayList<>(conjuncts);
    all.addAll(implied);
    for (List<Integer> group : members.values()) {
      List<Unit> pending = new ArrayList<>();
      for (int factor : group) {
        pending.add(new Unit(factors.get(factor), range(offsets[factor], offsets[factor + 1]),
            ImmutableBitSet.of(factor)));
      }
      Unit unit = pending.remove(0);
      while (!pending.isEmpty()) {
        Unit next = pending.get(0);
        for (Unit candidate : pending) {
          if (connects(unit, candidate, all, consumed, factorOfField)) {
            next = candidate;
            break;
          }
        }
        pending.remove(next);
        unit = joinUnits(unit, next, all, consumed, factorOfField, rex);
      }
      if (group.size() > 1) {
        unit = new Unit(closeGroup.apply(unit.rel), unit.fields, unit.factors);
      }
      units.add(unit);
    }
    Unit tree = units.get(0);
    List<Unit> rest = new ArrayList<>(units.subList(1, units.size()));
    while (!rest.isEmpty()) {
      Unit next = rest.get(0);
      for (Unit candidate : rest) {
        if (connects(tree, candidate, conjuncts, consumed, factorOfField)) {
          next = candidate;
          break;
        }
      }
      rest.remove(next);
      tree = joinUnits(tree, next, conjuncts, consumed, factorOfField, rex);
    }
    List<RexNode> left = new ArrayList<>();
    for (RexNode c : conjuncts) {
      if (!consumed.contains(c)) {
        left.add(remap(c, tree.fields, rex));
      }
    }
    RelNode out = tree.rel;
    if (!left.isEmpty()) {
      out = LogicalFilter.create(out, RexUtil.composeConjunction(rex, left));
    }
    List<RexNode> projects = new ArrayList<>();
    for (int f = 0; f < fieldCount; f++) {
      projects.add(rex.makeInputRef(out, tree.fields.indexOf(f)));
    }
    return LogicalProject.create(out, List.of(), projects, join.getRowType().getFieldNames(),
        Set.of());
  }

  private static RelDataType fieldType(List<RelNode> factors,
      int[] offsets, int field) {
    for (int i = 0; i < factors.size(); i++) {
      if (field < offsets[i + 1]) {
        return factors.get(i).getRowType().getFieldList().get(field - offsets[i]).getType();
      }
    }
    throw new IllegalArgumentException("field " + field);
  }

  /** A subtree of the regrouped join: its plan, the original fields it outputs in order. */
  private record Unit(RelNode rel, List<Integer> fields, ImmutableBitSet factors) {
  }

  private static Unit joinUnits(Unit left, Unit right, List<RexNode> conditions,
      Set<RexNode> consumed, int[] factorOfField, RexBuilder rex) {
    ImmutableBitSet factors = left.factors.union(right.factors);
    List<Integer> fields = new ArrayList<>(left.fields);
    fields.addAll(right.fields);
    List<RexNode> on = new ArrayList<>();
    for (RexNode c : conditions) {
      if (!consumed.contains(c) && factors.contains(factorsOf(c, factorOfField))) {
        on.add(remap(c, fields, rex));
        consumed.add(c);
      }
    }
    RelNode joined = LogicalJoin.create(left.rel, right.rel, List.of(),
        RexUtil.composeConjunction(rex, on), Set.of(), JoinRelType.INNER);
    return new Unit(joined, fields, factors);
  }

  private static boolean connects(Unit tree, Unit candidate, List<RexNode> conjuncts,
      Set<RexNode> consumed, int[] factorOfField) {
    for (RexNode c : conjuncts) {
      ImmutableBitSet used = factorsOf(c, factorOfField);
      if (!consumed.contains(c) && used.intersects(tree.factors)
          && used.intersects(candidate.factors)) {
        return true;
      }
    }
    return false;
  }

  /** {@code c} over the fields {@code fields} lists, in that order. */
  private static RexNode remap(RexNode c, List<Integer> fields, RexBuilder rex) {
    return c.accept(new RexShuttle() {
      @Override public RexNode visitInputRef(RexInputRef ref) {
        return rex.makeInputRef(ref.getType(), fields.indexOf(ref.getIndex()));
      }
    });
  }

  private static ImmutableBitSet factorsOf(RexNode c, int[] factorOfField) {
    ImmutableBitSet.Builder b = ImmutableBitSet.builder();
    for (int f : RelOptUtil.InputFinder.bits(c)) {
      b.set(factorOfField[f]);
    }
    return b.build();
  }

  private static boolean sameSource(ImmutableBitSet factors, SourcePushdown[] sources) {
    SourcePushdown s = sources[factors.nth(0)];
    if (s == null) {
      return false;
    }
    for (int f : factors) {
      if (sources[f] != s) {
        return false;
      }
    }
    return true;
  }

  private static SourcePushdown sourceOf(RelNode factor) {
    Set<SourcePushdown> sources = new HashSet<>();
    boolean[] other = {false};
    SourcePushdownPhase.collectSources(factor, sources, other);
    return !other[0] && sources.size() == 1 ? sources.iterator().next() : null;
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }
}
