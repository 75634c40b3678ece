package dev.junction.planner.planning;

import org.apache.calcite.adapter.jdbc.JdbcToEnumerableConverter;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.MetadataDef;
import org.apache.calcite.rel.metadata.MetadataHandler;
import org.apache.calcite.rel.metadata.ReflectiveRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

import java.util.List;

/**
 * Prices the hand-off from a source by the width of its rows as well as their number.
 * Calcite's JDBC convention charges a fixed amount per row, so reading every column of
 * a table costs the same as reading one, and a plan that fetched all 16 lineitem
 * columns for a semi join (TPC-H Q4) looked as cheap as one that fetched the key.
 */
public final class TransferCost implements MetadataHandler<BuiltInMetadata.NonCumulativeCost> {
  /** Junction's metadata: this handler first, then Calcite's defaults. */
  public static final RelMetadataProvider PROVIDER = ChainedRelMetadataProvider.of(List.of(
      ReflectiveRelMetadataProvider.reflectiveSource(new TransferCost(),
          BuiltInMetadata.NonCumulativeCost.Handler.class),
      DefaultRelMetadataProvider.INSTANCE));

  private TransferCost() {
  }

  @Override public MetadataDef<BuiltInMetadata.NonCumulativeCost> getDef() {
    return BuiltInMetadata.NonCumulativeCost.DEF;
  }

  /** Calcite's per-row cost times one plus the number of columns transferred. */
  public RelOptCost getNonCumulativeCost(JdbcToEnumerableConverter rel, RelMetadataQuery mq) {
    RelOptCost base = rel.computeSelfCost(rel.getCluster().getPlanner(), mq);
    if (base == null) {
      return null;
    }
    return base.multiplyBy(1 + rel.getRowType().getFieldCount());
  }

  /** Every other relational expression: its own cost, as Calcite computes it. */
  public RelOptCost getNonCumulativeCost(RelNode rel, RelMetadataQuery mq) {
    return rel.computeSelfCost(rel.getCluster().getPlanner(), mq);
  }
}
