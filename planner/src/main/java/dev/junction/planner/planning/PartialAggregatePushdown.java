package dev.junction.planner.planning;

import dev.junction.spi.RemoteStatement;
import dev.junction.spi.SourcePushdown;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pushes a partial aggregate into one source under a join across sources, and finishes it
 * in Junction: the aggregation half of issue 13 (the distinct-keys half is
 * {@link GroupKeyReduction} and the key-set joins).
 *
 * <p>Design: after the pushdown phase, a grouping that spans sources sits in Junction over
 * a tree of joins whose leaves are remote statements. When every argument of its
 * aggregates comes from one statement {@code S}, the rows of {@code S} that agree on every
 * column of {@code S} the rest of the query reads (the join conditions and filters on the
 * way up, and the group keys) meet the same rows of the other inputs, so they can be
 * summed, counted, or reduced to their minimum or maximum in {@code S}'s source first,
 * grouped by those columns; Junction then adds the sums and counts and takes the minimum
 * of the minimums (TPC-H Q3: DuckDB returns one row per order with its revenue, not every
 * line item). AVG and the statistics are sums and counts by then ({@link JunctionPrograms}).
 * The partial grouping is part of {@code S}'s statement, so a key-set join that keys
 * {@code S} still does: its key filter goes below the grouping (the join keys are among
 * the group keys).
 *
 * <p>Calcite's AggregateJoinTransposeRule is not used: it matches an aggregate directly on
 * a two-input join of logical nodes, where here the inputs are statements under a tree of
 * joins; its extended form also groups the other input, and in the cost-based phase its
 * choice would rest on row counts that price nothing for rows crossing a source boundary.
 * Here it is decided once, from the source's distinct counts: only when the grouping is
 * estimated to keep at most {@link #MAX_GROUP_SHARE} of {@code S}'s rows, and {@code S} at
 * least {@link #MIN_ROWS} rows. Grouping by a string, or its minimum or maximum, only in a
 * source that compares strings as Junction does
 * ({@link SourcePushdown#comparesStringsExactly}: MariaDB would merge {@code 'a'} and
 * {@code 'A'} into one group, which then meets only the other side's rows of one of them).
 * Not pushed: DISTINCT or filtered aggregates, functions other than SUM, COUNT, MIN and
 * MAX, arguments from two inputs or computed between the statement and the grouping, a
 * statement on the null-generating side of an outer join or under anything but joins,
 * filters and projections, and a grouping with no column of {@code S} to group by (a cross
 * join: an empty {@code S} would still answer one row).
 */
final class PartialAggregatePushdown {
  /** Largest share of the statement's estimated rows the partial grouping may keep. */
  static final double MAX_GROUP_SHARE = 0.5;

  /** Fewest estimated rows of a statement worth a partial grouping. */
  static final double MIN_ROWS = 1_000;

  private PartialAggregatePushdown() {
  }

  /** {@code rel} with a partial aggregate pushed under each eligible grouping. */
  static RelNode apply(RelNode rel, RelMetadataQuery mq) {
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (RelNode input : rel.getInputs()) {
      RelNode visited = apply(input, mq);
      changed |= visited != input;
      inputs.add(visited);
    }
    RelNode node = changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
    if (node instanceof Aggregate agg) {
      RelNode pushed = push(agg, mq);
      if (pushed != null) {
        return pushed;
      }
    }
    return node;
  }

  /** Where a field of a join tree comes from: a statement and its field. */
  private record Origin(RelNode statement, int field) {
  }

  /** A join tree rebuilt over the partial statement, and where its old fields went. */
  private record Rebuilt(RelNode rel, int[] fields, int[] partials) {
  }

  /** The grouping finished over a partial one, or null when it does not apply. */
  private static RelNode push(Aggregate agg, RelMetadataQuery mq) {
    if (agg.getGroupType() != Aggregate.Group.SIMPLE || agg.getAggCallList().isEmpty()) {
      return null;
    }
    for (AggregateCall call : agg.getAggCallList()) {
      if (call.isDistinct() || call.hasFilter() || !call.getCollation().getFieldCollations()
          .isEmpty() || finalFunction(call) == null) {
        return null;
      }
    }
    RelNode input = agg.getInput();
    RelNode tree = input instanceof Project project ? project.getInput() : input;
    if (RelOptUtil.countJoins(tree) == 0) {
      return null;
    }
    List<RexNode> exprs = input instanceof Project project ? project.getProjects()
        : agg.getCluster().getRexBuilder().identityProjects(tree.getRowType());

    // The statement every argument comes from.
    RelNode statement = null;
    for (AggregateCall call : agg.getAggCallList()) {
      for (int arg : call.getArgList()) {
        for (int field : RelOptUtil.InputFinder.bits(exprs.get(arg))) {
          Origin origin = origin(tree, field);
          if (origin == null || statement != null && origin.statement != statement) {
            return null;
          }
          statement = origin.statement;
        }
      }
    }
    if (statement == null || occurrences(tree, statement) != 1) {
      return null;
    }

    // The statement's columns the rest of the query reads: its group keys.
    Set<Integer> keys = new TreeSet<>();
    if (!readAbove(tree, statement, keys)) {
      return null;
    }
    for (int group : agg.getGroupSet()) {
      for (int field : RelOptUtil.InputFinder.bits(exprs.get(group))) {
        Origin origin = origin(tree, field);
        if (origin != null && origin.statement == statement) {
          keys.add(origin.field);
        }
      }
    }
    if (keys.isEmpty()) {
      return null;
    }

    RemoteStatement remote = (RemoteStatement) statement;
    if (!remote.pushdown().comparesStringsExactly() && comparesStrings(agg, exprs, statement,
        keys)) {
      return null;
    }
    Double rows = mq.getRowCount(statement);
    if (rows == null || rows < MIN_ROWS) {
      return null;
    }
    RelNode partial = partial(remote, agg, exprs, tree, List.copyOf(keys));
    if (partial == null) {
      return null;
    }
    Double groups = mq.getRowCount(partial);
    if (groups == null || groups > MAX_GROUP_SHARE * rows) {
      return null;
    }
    Rebuilt rebuilt = rebuild(tree, statement, partial, List.copyOf(keys));
    if (rebuilt == null) {
      return null;
    }
    return finish(agg, exprs, rebuilt);
  }

  /**
   * The aggregate Junction computes over the partial results: the group keys as the query
   * wrote them, over the rebuilt joins, and each aggregate of the partial ones; cast back
   * to the grouping's own row type where the types derived differ.
   */
  private static RelNode finish(Aggregate agg, List<RexNode> exprs, Rebuilt rebuilt) {
    RexBuilder rex = agg.getCluster().getRexBuilder();
    RelNode joins = rebuilt.rel;
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int g = 0;
    for (int group : agg.getGroupSet()) {
      RexNode expr = remap(exprs.get(group), rebuilt.fields,
          joins.getRowType().getFieldList());
      if (expr == null) {
        return null;
      }
      projects.add(expr);
      names.add(agg.getRowType().getFieldNames().get(g++));
    }
    List<AggregateCall> calls = new ArrayList<>();
    List<AggregateCall> original = agg.getAggCallList();
    for (int i = 0; i < original.size(); i++) {
      projects.add(rex.makeInputRef(joins, rebuilt.partials[i]));
      names.add("p" + i);
    }
    RelNode finalInput = LogicalProject.create(joins, List.of(), projects, names, Set.of());
    for (int i = 0; i < original.size(); i++) {
      AggregateCall call = original.get(i);
      calls.add(AggregateCall.create(SqlParserPos.ZERO, finalFunction(call), false, false,
          false, List.of(), List.of(g + i), -1, null, RelCollations.EMPTY, g, finalInput, null,
          call.getName()));
    }
    RelNode finished = LogicalAggregate.create(finalInput, agg.getHints(),
        ImmutableBitSet.range(g), null, calls);
    return RelOptUtil.areRowTypesEqual(finished.getRowType(), agg.getRowType(), true)
        ? finished : RelOptUtil.createCastRel(finished, agg.getRowType(), true);
  }

  /**
   * Whether the partial grouping would group by a string or take the minimum or maximum of
   * one: the source must then compare strings as Junction does.
   */
  private static boolean comparesStrings(Aggregate agg, List<RexNode> exprs,
      RelNode statement, Set<Integer> keys) {
    for (int key : keys) {
      if (SqlTypeUtil.inCharFamily(statement.getRowType().getFieldList().get(key).getType())) {
        return true;
      }
    }
    for (AggregateCall call : agg.getAggCallList()) {
      SqlKind kind = call.getAggregation().getKind();
      if ((kind == SqlKind.MIN || kind == SqlKind.MAX) && call.getArgList().stream()
          .anyMatch(arg -> SqlTypeUtil.inCharFamily(exprs.get(arg).getType()))) {
        return true;
      }
    }
    return false;
  }

  /** How Junction aggregates a call's partial results, or null if it cannot. */
  private static SqlAggFunction finalFunction(AggregateCall call) {
    return switch (call.getAggregation().getKind()) {
      case SUM -> SqlStdOperatorTable.SUM;
      case SUM0, COUNT -> SqlStdOperatorTable.SUM0;
      case MIN -> SqlStdOperatorTable.MIN;
      case MAX -> SqlStdOperatorTable.MAX;
      default -> null;
    };
  }

  /**
   * The statement grouped by {@code keys} (its fields), with each call computed over its
   * arguments; null when the source cannot take it. SUM0 is sent as SUM: a group is never
   * empty, and the final SUM0 reads a NULL sum as nothing.
   */
  private static RelNode partial(RemoteStatement remote, Aggregate agg, List<RexNode> exprs,
      RelNode tree, List<Integer> keys) {
    RelNode pushed = remote.pushed();
    SourcePushdown source = remote.pushdown();
    RexBuilder rex = agg.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int key : keys) {
      projects.add(rex.makeInputRef(pushed, key));
      names.add(pushed.getRowType().getFieldNames().get(key));
    }
    List<List<Integer>> args = new ArrayList<>();
    for (AggregateCall call : agg.getAggCallList()) {
      List<Integer> callArgs = new ArrayList<>();
      for (int arg : call.getArgList()) {
        RexNode expr = exprs.get(arg).accept(new RexShuttle() {
          @Override public RexNode visitInputRef(RexInputRef ref) {
            return rex.makeInputRef(pushed, origin(tree, ref.getIndex()).field);
          }
        });
        int at = projects.indexOf(expr);
        if (at < 0) {
          at = projects.size();
          projects.add(expr);
          names.add("a" + at);
        }
        callArgs.add(at);
      }
      args.add(callArgs);
    }
    RelNode projected = source.push(LogicalProject.create(pushed, List.of(), projects, names,
        Set.of()));
    if (projected == null) {
      return null;
    }
    List<AggregateCall> calls = new ArrayList<>();
    for (int i = 0; i < agg.getAggCallList().size(); i++) {
      AggregateCall call = agg.getAggCallList().get(i);
      SqlAggFunction function = call.getAggregation().getKind() == SqlKind.SUM0
          ? SqlStdOperatorTable.SUM : call.getAggregation();
      calls.add(AggregateCall.create(SqlParserPos.ZERO, function, false, false, false,
          List.of(), args.get(i), -1, null, RelCollations.EMPTY, keys.size(), projected, null,
          "p" + i));
    }
    RelNode grouped = source.push(LogicalAggregate.create(projected, List.of(),
        ImmutableBitSet.range(keys.size()), null, calls));
    return grouped == null ? null : source.statement(grouped);
  }

  /**
   * The statement and field that {@code field} of {@code rel} passes on unchanged, through
   * joins, filters and plain projections; null when it is computed or comes from anything
   * else.
   */
  private static Origin origin(RelNode rel, int field) {
    if (rel instanceof RemoteStatement) {
      return new Origin(rel, field);
    }
    if (rel instanceof Join join) {
      int leftCount = join.getLeft().getRowType().getFieldCount();
      return field < leftCount ? origin(join.getLeft(), field)
          : origin(join.getRight(), field - leftCount);
    }
    if (rel instanceof Filter filter) {
      return origin(filter.getInput(), field);
    }
    if (rel instanceof Project project && project.getProjects().get(field)
        instanceof RexInputRef ref) {
      return origin(project.getInput(), ref.getIndex());
    }
    return null;
  }

  /** How many times {@code statement} is a leaf of {@code rel}. */
  private static int occurrences(RelNode rel, RelNode statement) {
    if (rel == statement) {
      return 1;
    }
    int n = 0;
    for (RelNode input : rel.getInputs()) {
      n += occurrences(input, statement);
    }
    return n;
  }

  /**
   * Adds to {@code keys} the fields of {@code statement} that the conditions and computed
   * projections on the way from {@code rel} down to it read; false when the way passes
   * anything but inner joins, outer and semi joins that keep {@code statement}'s rows,
   * filters and projections.
   */
  private static boolean readAbove(RelNode rel, RelNode statement, Set<Integer> keys) {
    if (rel == statement) {
      return true;
    }
    if (rel instanceof Join join) {
      boolean left = occurrences(join.getLeft(), statement) > 0;
      JoinRelType type = join.getJoinType();
      boolean keeps = type == JoinRelType.INNER
          || left && (type == JoinRelType.LEFT || type == JoinRelType.SEMI
              || type == JoinRelType.ANTI)
          || !left && type == JoinRelType.RIGHT;
      if (!keeps || !join.getVariablesSet().isEmpty()) {
        return false;
      }
      int leftCount = join.getLeft().getRowType().getFieldCount();
      for (int field : RelOptUtil.InputFinder.bits(join.getCondition())) {
        if (left == field < leftCount) {
          addKey(origin(left ? join.getLeft() : join.getRight(),
              left ? field : field - leftCount), statement, keys);
        }
      }
      return readAbove(left ? join.getLeft() : join.getRight(), statement, keys);
    }
    if (rel instanceof Filter filter) {
      for (int field : RelOptUtil.InputFinder.bits(filter.getCondition())) {
        addKey(origin(filter.getInput(), field), statement, keys);
      }
      return readAbove(filter.getInput(), statement, keys);
    }
    if (rel instanceof Project project) {
      for (RexNode expr : project.getProjects()) {
        if (!(expr instanceof RexInputRef)) {
          for (int field : RelOptUtil.InputFinder.bits(expr)) {
            addKey(origin(project.getInput(), field), statement, keys);
          }
        }
      }
      return readAbove(project.getInput(), statement, keys);
    }
    return false;
  }

  /**
   * Adds {@code origin}'s field to {@code keys} if it is one of {@code statement}'s. A field
   * of no origin is computed on the way, from columns whose origins were added where it
   * was computed, further down.
   */
  private static void addKey(Origin origin, RelNode statement, Set<Integer> keys) {
    if (origin != null && origin.statement == statement) {
      keys.add(origin.field);
    }
  }

  /**
   * {@code rel} with {@code statement} replaced by {@code partial}, whose first fields are
   * {@code keys} and the rest the partial aggregates; each field of {@code rel} mapped to
   * its place in the result (-1 for a column of the statement no longer returned), and
   * each partial aggregate's place. Null when a condition reads a column not returned.
   */
  private static Rebuilt rebuild(RelNode rel, RelNode statement, RelNode partial,
      List<Integer> keys) {
    if (rel == statement) {
      int[] fields = new int[statement.getRowType().getFieldCount()];
      Arrays.fill(fields, -1);
      for (int i = 0; i < keys.size(); i++) {
        fields[keys.get(i)] = i;
      }
      int[] partials = new int[partial.getRowType().getFieldCount() - keys.size()];
      for (int i = 0; i < partials.length; i++) {
        partials[i] = keys.size() + i;
      }
      return new Rebuilt(partial, fields, partials);
    }
    if (occurrences(rel, statement) == 0) {
      return new Rebuilt(rel, identity(rel.getRowType().getFieldCount()), null);
    }
    if (rel instanceof Join join) {
      Rebuilt left = rebuild(join.getLeft(), statement, partial, keys);
      Rebuilt right = rebuild(join.getRight(), statement, partial, keys);
      if (left == null || right == null) {
        return null;
      }
      int leftWidth = left.rel.getRowType().getFieldCount();
      int[] both = new int[left.fields.length + right.fields.length];
      for (int i = 0; i < left.fields.length; i++) {
        both[i] = left.fields[i];
      }
      for (int i = 0; i < right.fields.length; i++) {
        both[left.fields.length + i] = right.fields[i] < 0 ? -1 : leftWidth + right.fields[i];
      }
      List<RelDataTypeField> types = new ArrayList<>(left.rel.getRowType().getFieldList());
      types.addAll(right.rel.getRowType().getFieldList());
      RexNode condition = remap(join.getCondition(), both, types);
      if (condition == null) {
        return null;
      }
      RelNode joined = join.copy(join.getTraitSet(), condition, left.rel, right.rel,
          join.getJoinType(), join.isSemiJoinDone());
      boolean semi = !join.getJoinType().projectsRight();
      int[] partials = left.partials != null ? left.partials : shift(right.partials, leftWidth);
      return new Rebuilt(joined, semi ? left.fields : both, partials);
    }
    if (rel instanceof Filter filter) {
      Rebuilt in = rebuild(filter.getInput(), statement, partial, keys);
      if (in == null) {
        return null;
      }
      RexNode condition = remap(filter.getCondition(), in.fields,
          in.rel.getRowType().getFieldList());
      return condition == null ? null
          : new Rebuilt(filter.copy(filter.getTraitSet(), in.rel, condition), in.fields,
              in.partials);
    }
    if (rel instanceof Project project) {
      Rebuilt in = rebuild(project.getInput(), statement, partial, keys);
      if (in == null) {
        return null;
      }
      RexBuilder rex = project.getCluster().getRexBuilder();
      List<RexNode> projects = new ArrayList<>();
      List<String> names = new ArrayList<>();
      int[] fields = new int[project.getProjects().size()];
      List<RelDataTypeField> types = in.rel.getRowType().getFieldList();
      for (int i = 0; i < fields.length; i++) {
        RexNode expr = project.getProjects().get(i);
        if (expr instanceof RexInputRef ref && in.fields[ref.getIndex()] < 0) {
          fields[i] = -1;
          continue;
        }
        RexNode moved = remap(expr, in.fields, types);
        if (moved == null) {
          return null;
        }
        fields[i] = projects.size();
        projects.add(moved);
        names.add(project.getRowType().getFieldNames().get(i));
      }
      int[] partials = new int[in.partials.length];
      for (int i = 0; i < partials.length; i++) {
        partials[i] = projects.size();
        projects.add(rex.makeInputRef(in.rel, in.partials[i]));
        names.add("p" + i);
      }
      return new Rebuilt(LogicalProject.create(in.rel, project.getHints(), projects, names,
          project.getVariablesSet()), fields, partials);
    }
    return null;
  }

  /**
   * {@code expr} with each field moved where {@code fields} says, typed as {@code types}
   * says; null when it reads a field no longer there.
   */
  private static RexNode remap(RexNode expr, int[] fields, List<RelDataTypeField> types) {
    boolean[] lost = {false};
    RexNode out = expr.accept(new RexShuttle() {
      @Override public RexNode visitInputRef(RexInputRef ref) {
        int to = fields[ref.getIndex()];
        if (to < 0) {
          lost[0] = true;
          return ref;
        }
        return new RexInputRef(to, types.get(to).getType());
      }
    });
    return lost[0] ? null : out;
  }

  private static int[] identity(int n) {
    int[] fields = new int[n];
    for (int i = 0; i < n; i++) {
      fields[i] = i;
    }
    return fields;
  }

  private static int[] shift(int[] fields, int by) {
    int[] out = new int[fields.length];
    for (int i = 0; i < fields.length; i++) {
      out[i] = fields[i] + by;
    }
    return out;
  }
}
