package dev.junction.adapters.mysql;

import dev.junction.adapters.jdbc.DecimalTypeSystem;
import dev.junction.adapters.jdbc.PushdownDialect;
import dev.junction.adapters.jdbc.SqlQuoting;
import dev.junction.spi.Decimals;

import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlPrefixOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.MysqlSqlDialect;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.EnumSet;
import java.util.Set;

/**
 * Calcite's MySQL dialect, used for MySQL and MariaDB, with the corrections the
 * conformance battery and issue 7 found:
 *
 * <ul>
 * <li>string literals escape {@code \} as well as {@code '} (and write NUL as
 * {@code \0}): MySQL and MariaDB read {@code \'} as an escaped quote, and Calcite 1.42
 * doubled only the quote, so a literal ending in a backslash let the text after it run as
 * SQL in the source (CALCITE-7667). This relies on {@code NO_BACKSLASH_ESCAPES} being off,
 * which {@link MySqlAdapter} pins at connect. No {@code _UTF-16LE} prefix: values are sent
 * as Unicode text in the connection's utf8mb4;</li>
 * <li>{@code LIKE} without {@code ESCAPE}: MySQL's default escape is {@code \} and
 * MariaDB reads {@code ESCAPE ''} as that default too, so the pattern's backslashes are
 * doubled (a literal pattern is rewritten, any other wrapped in {@code REPLACE}) and
 * {@code ESCAPE '\\'} is written: the source then matches a backslash as itself, as
 * Junction does. {@code SIMILAR TO}, which neither has, runs in Junction;</li>
 * <li>{@code a || b} is a logical OR in MySQL and MariaDB (unless the server runs with
 * {@code PIPES_AS_CONCAT}), so {@code 'x' || 'y'} returned {@code 0}: it is written as
 * {@code CONCAT(a, b)}, which is NULL when either side is, like {@code ||};</li>
 * <li>string comparisons follow the column's collation, case-insensitive by default, so
 * {@code name = 'alice'} also matched {@code 'Alice'} and {@code LIKE 'A%'} matched
 * {@code 'alice'}: a string literal compared with {@code =, <>, <, <=, >, >=, LIKE, IN} is
 * written {@code BINARY 'alice'}, which makes the comparison byte-wise, as in Junction;</li>
 * <li>{@code IS [NOT] DISTINCT FROM}, which Calcite writes for null-safe join keys of
 * decorrelated subqueries, is a syntax error in MariaDB: it is written with the null-safe
 * equality {@code <=>};</li>
 * <li>{@code CAST(NULL AS BOOLEAN)}, which Calcite writes for a boolean NULL and neither
 * source parses (no BOOLEAN cast target), is written {@code NULL};</li>
 * <li>no character-set clause in casts, DECIMAL casts up to
 * {@link Decimals#MAX_PRECISION} digits, 30 of them fractional (MySQL's widest scale);</li>
 * <li>functions MySQL and MariaDB lack ({@code INITCAP}) run in Junction.</li>
 * </ul>
 *
 * <p>{@code FULL JOIN} (none in MySQL or MariaDB) and aggregate {@code FILTER} clauses are
 * already kept out of the SQL by Calcite's dialect and run in Junction.
 */
final class MySqlDialect extends MysqlSqlDialect implements PushdownDialect {
  static final MySqlDialect INSTANCE = new MySqlDialect();

  private static final String SOURCE = "MySQL/MariaDB";
  private static final SqlPrefixOperator BINARY =
      new SqlPrefixOperator("BINARY", SqlKind.OTHER, 26, null, null, null);
  private static final Set<SqlKind> STRING_COMPARISONS = EnumSet.of(SqlKind.EQUALS,
      SqlKind.NOT_EQUALS, SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL, SqlKind.GREATER_THAN,
      SqlKind.GREATER_THAN_OR_EQUAL, SqlKind.LIKE, SqlKind.IN, SqlKind.NOT_IN);

  private MySqlDialect() {
    super(MysqlSqlDialect.DEFAULT_CONTEXT
        .withDataTypeSystem(DecimalTypeSystem.of(Decimals.MAX_PRECISION, 30)));
  }

  /**
   * An aggregate over another's result is written as a derived table: the source rejects
   * {@code MAX(SUM(x))} in one SELECT ("aggregate function calls cannot be nested").
   */
  @Override public boolean supportsNestedAggregations() {
    return false;
  }

  @Override public boolean supportsCharSet() {
    return false;
  }

  /**
   * No: {@code GROUP BY 0} and {@code ORDER BY 0} name a column by its ordinal in MySQL
   * and MariaDB, so a constant key Calcite keeps (from {@code SELECT DISTINCT 0 AS c ...},
   * or an ORDER BY over a constant alias) failed with "Unknown column '0' in 'GROUP BY'".
   * Saying so makes Calcite group by a constant through a joined one-row relation and
   * leave constant sort keys out.
   */
  @Override public boolean supportsGroupByLiteral() {
    return false;
  }

  /** No: see {@link #supportsGroupByLiteral}. */
  @Override public boolean supportsOrderByLiteral() {
    return false;
  }

  @Override public boolean supportsOperator(SqlOperator operator) {
    return operator != SqlStdOperatorTable.INITCAP && operator.getKind() != SqlKind.SIMILAR;
  }

  /**
   * Casts from text stay in Junction ({@link PushdownDialect#isCastFromText}); MariaDB has
   * no BOOLEAN cast target, so only a cast of a boolean to BOOLEAN (a nullability change,
   * written as its operand by {@link #rewriteCall}) is sent.
   */
  @Override public boolean supportsCall(RexCall call) {
    if (call.getKind() == SqlKind.CAST) {
      if (PushdownDialect.isCastFromText(call)) {
        return false;
      }
      if (call.getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
        return call.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.BOOLEAN;
      }
    }
    return supportsOperator(call.getOperator());
  }

  /** A cast of a boolean to BOOLEAN is written as the boolean itself. */
  @Override public RexNode rewriteCall(RexBuilder rexBuilder, RexCall call) {
    if (call.getKind() == SqlKind.CAST
        && call.getType().getSqlTypeName() == SqlTypeName.BOOLEAN
        && call.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
      return call.getOperands().get(0);
    }
    return call;
  }

  /** Any string but one with an unpaired surrogate: NUL is written {@code \0}. */
  @Override public boolean supportsLiteral(RexLiteral literal) {
    return PushdownDialect.textsWritable(literal, true);
  }

  @Override public void quoteStringLiteral(StringBuilder buf, String charsetName,
      String val) {
    SqlQuoting.appendBackslashLiteral(buf, val, SOURCE);
  }

  @Override public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
    SqlQuoting.appendIdentifier(buf, val, '`', SOURCE);
    return buf;
  }

  @Override public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec,
      int rightPrec) {
    if (call.getOperator() == SqlStdOperatorTable.CONCAT) {
      writer.print("CONCAT");
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode operand : call.getOperandList()) {
        writer.sep(",");
        operand.unparse(writer, 0, 0);
      }
      writer.endList(frame);
      return;
    }
    if (call.getKind() == SqlKind.IS_NOT_DISTINCT_FROM
        || call.getKind() == SqlKind.IS_DISTINCT_FROM) {
      boolean distinct = call.getKind() == SqlKind.IS_DISTINCT_FROM;
      SqlWriter.Frame frame = writer.startList("(", ")");
      if (distinct) {
        writer.keyword("NOT");
        writer.print("(");
      }
      call.operand(0).unparse(writer, 0, 0);
      writer.print(" <=> ");
      call.operand(1).unparse(writer, 0, 0);
      if (distinct) {
        writer.print(")");
      }
      writer.endList(frame);
      return;
    }
    if (call.getOperator() instanceof SqlLikeOperator && call.getKind() == SqlKind.LIKE) {
      SqlNode escape = call.operandCount() == 3 ? call.operand(2)
          : SqlLiteral.createCharString("\\", SqlParserPos.ZERO);
      SqlNode pattern = call.operandCount() == 3 ? call.operand(1)
          : backslashesEscaped(call.operand(1));
      super.unparseCall(writer, call.getOperator().createCall(call.getFunctionQuantifier(),
          call.getParserPosition(), binary(call.operand(0)), binary(pattern), escape),
          leftPrec, rightPrec);
      return;
    }
    if (call.getKind() == SqlKind.CAST && call.operand(0) instanceof SqlLiteral literal
        && literal.getTypeName() == SqlTypeName.NULL
        && call.operand(1) instanceof SqlDataTypeSpec spec && spec.getTypeName().isSimple()
        && spec.getTypeName().getSimple().equalsIgnoreCase("BOOLEAN")) {
      // MySQL and MariaDB have no BOOLEAN cast target (a syntax error); their booleans are
      // integers, so a typed NULL is just NULL.
      writer.keyword("NULL");
      return;
    }
    if (STRING_COMPARISONS.contains(call.getKind())) {
      SqlNode[] operands = call.getOperandList().stream().map(MySqlDialect::binary)
          .toArray(SqlNode[]::new);
      super.unparseCall(writer, call.getOperator().createCall(call.getFunctionQuantifier(),
          call.getParserPosition(), operands), leftPrec, rightPrec);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /**
   * A LIKE pattern without an escape character, rewritten for {@code ESCAPE '\\'}: each
   * backslash doubled, in the literal itself or with {@code REPLACE} around an expression.
   */
  private static SqlNode backslashesEscaped(SqlNode pattern) {
    if (pattern instanceof SqlCharStringLiteral literal) {
      String value = literal.getValueAs(String.class);
      return SqlLiteral.createCharString(value.replace("\\", "\\\\"), SqlParserPos.ZERO);
    }
    return SqlStdOperatorTable.REPLACE.createCall(SqlParserPos.ZERO, pattern,
        SqlLiteral.createCharString("\\", SqlParserPos.ZERO),
        SqlLiteral.createCharString("\\\\", SqlParserPos.ZERO));
  }

  private static SqlNode binary(SqlNode node) {
    if (node instanceof SqlCharStringLiteral) {
      return BINARY.createCall(SqlParserPos.ZERO, node);
    }
    if (node instanceof SqlNodeList list) {
      SqlNodeList copy = new SqlNodeList(list.getParserPosition());
      for (SqlNode n : list) {
        copy.add(binary(n));
      }
      return copy;
    }
    return node;
  }
}
