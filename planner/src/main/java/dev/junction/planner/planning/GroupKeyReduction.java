package dev.junction.planner.planning;

import dev.junction.planner.pushdown.SourcePushdownPhase;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Restricts a grouping to the group keys a join will keep, before the grouping: a semi-join
 * reduction ("magic set") of the grouped table by the keys of the join's other side.
 *
 * <p>TPC-H Q2 compares each part's supply cost with the minimum over its European
 * suppliers; decorrelated, that minimum is grouped by part over every part's partsupp
 * rows (159,000 fetched from MariaDB at SF 1, 12 s) and then joined with the 3,000 parts
 * the query keeps. Since every row of one group has the group's key, keeping only the
 * rows whose key the other side holds leaves the surviving groups whole. The grouped
 * input's table with the key is joined, in its own subtree, with the distinct keys of
 * the other side's table that provides them (a superset of the keys the join keeps,
 * which is all a semi-join reduction needs), so the pushdown phase sends the pair to their
 * source as one statement.
 *
 * <p>Only where the key table is in the grouped table's source: across sources, the
 * restricted grouping could no longer be sent whole (TPC-H Q15's revenue per supplier,
 * one DuckDB statement returning one row, became 22,000 lineitem rows keyed by MariaDB's
 * suppliers).
 *
 * <p>Applied to inner joins that span sources (a source given the whole join plans it
 * itself), on a group key, where the other side's key table is estimated
 * at most {@link #MAX_KEY_ROWS} rows and the grouped input at least {@link #MIN_RATIO}
 * times as many.
 */
final class GroupKeyReduction {
  /** Largest estimated key table whose keys restrict a grouping. */
  static final double MAX_KEY_ROWS = 100_000;

  /** How many times the key table's rows the grouped input must be estimated at. */
  static final double MIN_RATIO = 10;

  private GroupKeyReduction() {
  }

  /** {@code rel} with each eligible grouping restricted to the keys its join keeps. */
  static RelNode apply(RelNode rel, RelMetadataQuery mq) {
    RelNode node = SourcePushdownPhase.withVisitedInputs(rel, input -> apply(input, mq));
    if (!(node instanceof Join join) || join.getJoinType() != JoinRelType.INNER
        || SourcePushdownPhase.sourceCount(join) < 2) {
      return node;
    }
    JoinInfo info = join.analyzeCondition();
    for (int side = 0; side < 2; side++) {
      RelNode grouped = join.getInput(side);
      RelNode other = join.getInput(1 - side);
      if (!(grouped instanceof Aggregate agg) || agg.getGroupType() != Aggregate.Group.SIMPLE) {
        continue;
      }
      List<Integer> groupedKeys = side == 0 ? info.leftKeys : info.rightKeys;
      List<Integer> otherKeys = side == 0 ? info.rightKeys : info.leftKeys;
      for (int k = 0; k < groupedKeys.size(); k++) {
        int groupField = groupedKeys.get(k);
        if (groupField >= agg.getGroupCount()) {
          continue;
        }
        Path keys = keyTable(other, otherKeys.get(k));
        Double keyRows = keys == null ? null : mq.getRowCount(keys.rel);
        Double groupedRows = mq.getRowCount(agg.getInput());
        if (keyRows == null || groupedRows == null || keyRows > MAX_KEY_ROWS
            || groupedRows < MIN_RATIO * keyRows) {
          continue;
        }
        int inputField = agg.getGroupSet().nth(groupField);
        RelNode reduced = restrict(agg.getInput(), inputField, keys);
        if (reduced == null) {
          continue;
        }
        List<RelNode> joinInputs = new ArrayList<>(join.getInputs());
        joinInputs.set(side, agg.copy(agg.getTraitSet(), List.of(reduced)));
        return join.copy(join.getTraitSet(), joinInputs);
      }
    }
    return node;
  }

  /** A subtree and one of its fields. */
  private record Path(RelNode rel, int field) {
  }

  /**
   * The table below {@code rel}'s inner joins and plain projections that provides
   * {@code field}, as a subtree that is not a join (a scan, perhaps filtered), or null.
   */
  private static Path keyTable(RelNode rel, int field) {
    RelNode node = rel;
    int f = field;
    while (true) {
      if (node instanceof Join join && join.getJoinType() == JoinRelType.INNER) {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        node = f < leftCount ? join.getLeft() : join.getRight();
        f = f < leftCount ? f : f - leftCount;
      } else if (node instanceof Project project
          && project.getProjects().get(f) instanceof RexInputRef ref
          && project.getInput() instanceof Join) {
        node = project.getInput();
        f = ref.getIndex();
      } else {
        return node instanceof Aggregate ? null : new Path(node, f);
      }
    }
  }

  /**
   * {@code rel} with the non-join subtree below its inner joins, filters and plain
   * projections that provides {@code field} joined with the distinct values of the key
   * table's key; null when {@code field} is computed on the way or reaches a grouping.
   */
  private static RelNode restrict(RelNode rel, int field, Path keys) {
    if (rel instanceof Join join && join.getJoinType() == JoinRelType.INNER) {
      int leftCount = join.getLeft().getRowType().getFieldCount();
      boolean left = field < leftCount;
      RelNode input = restrict(left ? join.getLeft() : join.getRight(),
          left ? field : field - leftCount, keys);
      if (input == null) {
        return null;
      }
      return join.copy(join.getTraitSet(),
          left ? List.of(input, join.getRight()) : List.of(join.getLeft(), input));
    }
    if (rel instanceof Filter filter) {
      RelNode input = restrict(filter.getInput(), field, keys);
      return input == null ? null : filter.copy(filter.getTraitSet(), List.of(input));
    }
    if (rel instanceof Project project && project.getInput() instanceof Join) {
      if (!(project.getProjects().get(field) instanceof RexInputRef ref)) {
        return null;
      }
      RelNode input = restrict(project.getInput(), ref.getIndex(), keys);
      return input == null ? null : project.copy(project.getTraitSet(), List.of(input));
    }
    if (rel instanceof Aggregate || !rel.getRowType().getFieldList().get(field).getType()
        .getSqlTypeName().equals(keys.rel.getRowType().getFieldList().get(keys.field)
            .getType().getSqlTypeName())) {
      return null;
    }
    RexBuilder rex = rel.getCluster().getRexBuilder();
    RelNode distinct = LogicalAggregate.create(
        LogicalProject.create(keys.rel, List.of(),
            List.of(rex.makeInputRef(keys.rel, keys.field)),
            List.of(keys.rel.getRowType().getFieldNames().get(keys.field)), Set.of()),
        List.of(), ImmutableBitSet.of(0), null, List.of());
    int width = rel.getRowType().getFieldCount();
    RexNode on = rex.makeCall(SqlStdOperatorTable.EQUALS, rex.makeInputRef(rel, field),
        new RexInputRef(width, distinct.getRowType().getFieldList().get(0).getType()));
    RelNode joined = LogicalJoin.create(rel, distinct, List.of(), on, Set.of(),
        JoinRelType.INNER);
    if (SourcePushdownPhase.sourceCount(joined) != 1) {
      return null;
    }
    List<RexNode> fields = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      fields.add(rex.makeInputRef(joined, i));
    }
    return LogicalProject.create(joined, List.of(), fields, rel.getRowType().getFieldNames(),
        Set.of());
  }
}
