package dev.junction.planner.planning;

import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Common conjuncts leave ORs, so a join key written inside each branch becomes a key. */
class FactorOrConditionsRuleTest {
  private static RelNode optimize(RelNode rel) {
    HepPlanner hep = new HepPlanner(new HepProgramBuilder()
        .addRuleInstance(JunctionRules.FACTOR_OR_FILTER)
        .addRuleInstance(JunctionRules.FACTOR_OR_JOIN)
        .build());
    hep.setRoot(rel);
    return hep.findBestExp();
  }

  private static RelBuilder builder() {
    return RelBuilder.create(Frameworks.newConfigBuilder()
        .defaultSchema(Frameworks.createRootSchema(true)).build());
  }

  private static RelBuilder twoColumns(RelBuilder b, String alias) {
    RelDataTypeFactory f = b.getTypeFactory();
    return b.values(f.builder().add("k", SqlTypeName.INTEGER).add("v", SqlTypeName.INTEGER)
        .build()).as(alias);
  }

  @Test
  void joinKeyInsideEveryBranchIsPulledOut() {
    RelBuilder b = builder();
    twoColumns(b, "l");
    twoColumns(b, "r");
    RelNode join = b.join(JoinRelType.INNER, b.or(
        b.and(b.equals(b.field(2, "l", "k"), b.field(2, "r", "k")),
            b.equals(b.field(2, "l", "v"), b.literal(1))),
        b.and(b.equals(b.field(2, "l", "k"), b.field(2, "r", "k")),
            b.equals(b.field(2, "l", "v"), b.literal(2))))).build();
    String condition = optimize(join).explain();
    assertTrue(condition.contains("AND(=($0, $2), OR(") , condition);
  }

  @Test
  void filterWithoutCommonConjunctIsUnchanged() {
    RelBuilder b = builder();
    twoColumns(b, "t");
    RelNode filter = b.filter(b.or(b.equals(b.field("k"), b.literal(1)),
        b.equals(b.field("v"), b.literal(2)))).build();
    assertEquals(filter.explain(), optimize(filter).explain());
  }

  @Test
  void filterConjunctCommonToBranchesIsPulledOut() {
    RelBuilder b = builder();
    twoColumns(b, "t");
    RelNode filter = b.filter(b.or(
        b.and(b.equals(b.field("k"), b.literal(1)), b.equals(b.field("v"), b.literal(2))),
        b.and(b.equals(b.field("k"), b.literal(1)), b.equals(b.field("v"), b.literal(3)))))
        .build();
    String plan = optimize(filter).explain();
    assertTrue(plan.contains("AND(=($0, 1)"), plan);
    assertTrue(!plan.contains(SqlStdOperatorTable.OR.getName() + "(AND"), plan);
  }
}
