package dev.junction.planner.planning;

import dev.junction.planner.pushdown.SourceJoinGrouping;
import dev.junction.planner.pushdown.SourcePushdownPhase;
import dev.junction.planner.pushdown.UnionFind;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.MultiJoin;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.ImmutableIntList;

import com.google.common.collect.ImmutableMap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds to each inner multi-way join the equalities its written ones imply between tables
 * they do not join directly, before the heuristic join order is chosen.
 *
 * <p>TPC-H Q5 joins customer to supplier on the nation key and supplier to nation:
 * {@code c_nationkey = s_nationkey AND s_nationkey = n_nationkey}. Customer and nation are
 * joined by neither condition, so the order could not start from the five nations of the
 * region and send their keys to the customers' source; it read every customer's orders of
 * the year (23,000 at SF 0.1) and their lineitems (92,000). With
 * {@code c_nationkey = n_nationkey} added, the nations key the customers first.
 *
 * <p>Only plain column equalities of the same type are followed, and one implied equality
 * is added per pair of tables and class of equal columns that no written equality of the
 * class already joins. Where the order joins the three tables, the redundant equality
 * is evaluated once more and selects nothing more: the join estimate counts a key once
 * ({@link JunctionMetadata}).
 */
final class ImpliedJoinKeys {
  private ImpliedJoinKeys() {
  }

  /** {@code rel} with implied equalities added to each inner multi-way join. */
  static RelNode apply(RelNode rel) {
    RelNode node = SourcePushdownPhase.withVisitedInputs(rel, ImpliedJoinKeys::apply);
    return node instanceof MultiJoin join && SourceJoinGrouping.innerOnly(join)
        ? withImplied(join) : node;
  }

  private static MultiJoin withImplied(MultiJoin join) {
    List<RelNode> factors = join.getInputs();
    int[] factorOfField = new int[join.getRowType().getFieldCount()];
    int[] offsets = new int[factors.size()];
    for (int i = 0, offset = 0; i < factors.size(); i++) {
      offsets[i] = offset;
      int count = factors.get(i).getRowType().getFieldCount();
      for (int f = 0; f < count; f++) {
        factorOfField[offset + f] = i;
      }
      offset += count;
    }
    List<RexNode> conjuncts = RelOptUtil.conjunctions(join.getJoinFilter());
    UnionFind classes = new UnionFind(factorOfField.length);
    Set<List<Integer>> joined = new HashSet<>();
    for (RexNode c : conjuncts) {
      int[] pair = SourceJoinGrouping.columnPair(c);
      if (pair != null && factorOfField[pair[0]] != factorOfField[pair[1]]) {
        classes.union(pair[0], pair[1]);
      }
    }
    for (RexNode c : conjuncts) {
      int[] pair = SourceJoinGrouping.columnPair(c);
      if (pair != null) {
        joined.add(List.of(classes.find(pair[0]), factorOfField[pair[0]],
            factorOfField[pair[1]]));
        joined.add(List.of(classes.find(pair[0]), factorOfField[pair[1]],
            factorOfField[pair[0]]));
      }
    }
    List<RelDataTypeField> fields = join.getRowType().getFieldList();
    RexBuilder rex = join.getCluster().getRexBuilder();
    List<RexNode> implied = new ArrayList<>();
    Map<Integer, int[]> refCounts = join.getCopyJoinFieldRefCountsMap();
    Map<Integer, List<Integer>> members = new LinkedHashMap<>();
    for (int f = 0; f < factorOfField.length; f++) {
      members.computeIfAbsent(classes.find(f), k -> new ArrayList<>()).add(f);
    }
    for (Map.Entry<Integer, List<Integer>> e : members.entrySet()) {
      List<Integer> fieldsOfClass = e.getValue();
      for (int x = 0; x < fieldsOfClass.size(); x++) {
        for (int y = x + 1; y < fieldsOfClass.size(); y++) {
          int a = fieldsOfClass.get(x);
          int b = fieldsOfClass.get(y);
          int fa = factorOfField[a];
          int fb = factorOfField[b];
          if (fa == fb || !fields.get(a).getType().equals(fields.get(b).getType())
              || !joined.add(List.of(e.getKey(), fa, fb))) {
            continue;
          }
          joined.add(List.of(e.getKey(), fb, fa));
          implied.add(rex.makeCall(SqlStdOperatorTable.EQUALS,
              rex.makeInputRef(fields.get(a).getType(), a),
              rex.makeInputRef(fields.get(b).getType(), b)));
          refCounts.get(fa)[a - offsets[fa]]++;
          refCounts.get(fb)[b - offsets[fb]]++;
        }
      }
    }
    if (implied.isEmpty()) {
      return join;
    }
    List<RexNode> filter = new ArrayList<>(conjuncts);
    filter.addAll(implied);
    ImmutableMap.Builder<Integer, ImmutableIntList> counts = ImmutableMap.builder();
    refCounts.forEach((factor, c) -> counts.put(factor, ImmutableIntList.of(c)));
    return new MultiJoin(join.getCluster(), factors, RexUtil.composeConjunction(rex, filter),
        join.getRowType(), false, join.getOuterJoinConditions(), join.getJoinTypes(),
        join.getProjFields(), counts.build(), null);
  }
}
