package dev.junction.planner.security;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Row filters and masks: SQL expressions over one table's own columns, written in the
 * policy file. They are parsed with the lexical rules users' SQL has (double-quoted
 * identifiers, unquoted names as written and matched ignoring case), the caller's
 * functions ({@code CURRENT_USER}, {@code ATTRIBUTE('name')}, {@code IS_MEMBER('group')})
 * are replaced by literals of the caller's values, and the result is converted to a
 * {@link RexNode} over the table's fields, so it can be pushed to the source like any
 * other expression. Values enter as literal nodes, never as SQL text, so no attribute value
 * can change what an expression means.
 */
public final class PolicyExpressions {
  /** How policy expressions are parsed: as users' SQL is. */
  public static final SqlParser.Config PARSER = SqlParser.config()
      .withQuoting(Quoting.DOUBLE_QUOTE)
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false)
      .withConformance(SqlConformanceEnum.LENIENT);

  /** The caller's functions, by upper-case name. */
  static final String ATTRIBUTE = "ATTRIBUTE";
  static final String IS_MEMBER = "IS_MEMBER";
  private static final Set<String> USER_FUNCTIONS = Set.of("CURRENT_USER", "USER",
      "SESSION_USER");

  private PolicyExpressions() {
  }

  /** A policy expression that cannot be used, with the reason. */
  public static final class InvalidExpressionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidExpressionException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Parses a filter or mask and checks the caller's functions are well formed: each takes
   * exactly one string literal. No subqueries, no qualified or star references.
   *
   * @throws InvalidExpressionException naming what is wrong and where (line:column in the
   *     expression)
   */
  public static SqlNode parse(String sql) {
    SqlNode node;
    try {
      node = SqlParser.create(sql, PARSER).parseExpression();
    } catch (SqlParseException e) {
      SqlParserPos pos = e.getPos();
      String near = pos == null ? "" : " at column " + pos.getColumnNum()
          + (pos.getLineNum() > 1 ? " of line " + pos.getLineNum() : "");
      if (e.getMessage() == null) {
        // The parser turns running out of stack into an exception without a message.
        throw new InvalidExpressionException("not a valid SQL expression: "
            + (e.getCause() instanceof StackOverflowError ? "it is too long or nests too deeply"
            : "syntax error"), null);
      }
      String first = e.getMessage().split("\n", 2)[0];
      if (first.length() > 160) {
        first = first.substring(0, 160) + "...";
      }
      throw new InvalidExpressionException("not a valid SQL expression" + near + ": "
          + first, null);
    }
    node.accept(new Checker());
    return node;
  }

  /** Checks the shape of a parsed expression, throwing on the first problem. */
  private static final class Checker extends SqlShuttle {
    @Override public SqlNode visit(SqlCall call) {
      if (call instanceof SqlSelect || call.getKind() == SqlKind.UNION
          || call.getKind() == SqlKind.INTERSECT || call.getKind() == SqlKind.EXCEPT
          || call.getKind() == SqlKind.WITH || call.getKind() == SqlKind.VALUES) {
        throw new InvalidExpressionException("subqueries are not allowed; a filter or mask"
            + " is an expression over the table's own columns", null);
      }
      String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
      if (name.equals(ATTRIBUTE) || name.equals(IS_MEMBER)) {
        if (call.operandCount() != 1
            || !(call.operand(0) instanceof SqlCharStringLiteral)) {
          throw new InvalidExpressionException(name + " takes one string literal, as in "
              + name + "('" + (name.equals(ATTRIBUTE) ? "region" : "admins") + "')", null);
        }
      }
      return super.visit(call);
    }

    @Override public SqlNode visit(SqlIdentifier id) {
      if (id.isStar()) {
        throw new InvalidExpressionException("'*' is not allowed; name the columns", null);
      }
      if (!id.isSimple()) {
        throw new InvalidExpressionException("qualified name '" + id
            + "' is not allowed; write the table's column names alone", null);
      }
      return id;
    }
  }

  /** The names of the columns an expression refers to, as written. */
  public static List<String> columns(SqlNode node) {
    List<String> out = new ArrayList<>();
    node.accept(new SqlShuttle() {
      @Override public SqlNode visit(SqlIdentifier id) {
        if (id.isSimple() && !USER_FUNCTIONS.contains(id.getSimple().toUpperCase(Locale.ROOT))) {
          out.add(id.getSimple());
        }
        return id;
      }
    });
    return out;
  }

  /** An expression with the caller's values in place; {@code missing} names an absent attribute. */
  record Bound(SqlNode node, String missing) {
  }

  /**
   * Replaces the caller's functions by literals and each column name by the exact name of
   * the field it means in {@code rowType}.
   *
   * @throws InvalidExpressionException when a column does not exist
   */
  static Bound bind(SqlNode expression, Principal principal, RelDataType rowType) {
    String[] missing = {null};
    SqlNode bound = expression.accept(new SqlShuttle() {
      @Override public SqlNode visit(SqlCall call) {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        SqlParserPos pos = call.getParserPosition();
        if (call.operandCount() == 0 && USER_FUNCTIONS.contains(name)) {
          return text(principal.user(), pos);
        }
        if (name.equals(ATTRIBUTE)) {
          String attribute = ((SqlCharStringLiteral) call.operand(0)).getValueAs(String.class);
          String value = principal.attributes().get(attribute);
          if (value == null) {
            missing[0] = attribute;
            return SqlLiteral.createNull(pos);
          }
          return text(value, pos);
        }
        if (name.equals(IS_MEMBER)) {
          String group = ((SqlCharStringLiteral) call.operand(0)).getValueAs(String.class);
          return SqlLiteral.createBoolean(principal.isMember(group), pos);
        }
        return super.visit(call);
      }

      @Override public SqlNode visit(SqlIdentifier id) {
        if (USER_FUNCTIONS.contains(id.getSimple().toUpperCase(Locale.ROOT))
            && field(rowType, id.getSimple()) == null) {
          return text(principal.user(), id.getParserPosition());
        }
        RelDataTypeField f = field(rowType, id.getSimple());
        if (f == null) {
          throw new InvalidExpressionException("column '" + id.getSimple()
              + "' does not exist", null);
        }
        return new SqlIdentifier(f.getName(), id.getParserPosition());
      }
    });
    return new Bound(bound, missing[0]);
  }

  /** The field named {@code name}: spelled exactly, or the one field matching ignoring case. */
  static RelDataTypeField field(RelDataType rowType, String name) {
    RelDataTypeField found = null;
    for (RelDataTypeField f : rowType.getFieldList()) {
      if (f.getName().equals(name)) {
        return f;
      }
      if (f.getName().equalsIgnoreCase(name)) {
        if (found != null) {
          return null;
        }
        found = f;
      }
    }
    return found;
  }

  /** A character literal; Latin-1 text as Calcite's default charset, other text as UTF-16. */
  private static SqlLiteral text(String value, SqlParserPos pos) {
    if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
      return SqlLiteral.createCharString(value, pos);
    }
    return SqlLiteral.createCharString(value, "UTF16", pos);
  }

  /**
   * Converts a bound expression to a {@link RexNode} over {@code fields}, the references to
   * the table's fields in the plan being built.
   *
   * @throws InvalidExpressionException when the expression does not validate
   */
  static RexNode toRex(SqlNode bound, RelDataType rowType, List<RexNode> fields,
      RelOptCluster cluster, RelOptTable.ViewExpander expander) {
    Map<String, RelDataType> types = new HashMap<>();
    Map<String, RexNode> nodes = new HashMap<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      types.put(f.getName(), f.getType());
      nodes.put(f.getName(), fields.get(f.getIndex()));
    }
    Properties props = new Properties();
    props.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    CalciteCatalogReader reader = new CalciteCatalogReader(
        CalciteSchema.createRootSchema(false, false), List.of(), cluster.getTypeFactory(),
        new org.apache.calcite.config.CalciteConnectionConfigImpl(props));
    SqlValidator validator = SqlValidatorUtil.newValidator(SqlStdOperatorTable.instance(),
        reader, cluster.getTypeFactory(), SqlValidator.Config.DEFAULT
            .withConformance(SqlConformanceEnum.LENIENT)
            .withIdentifierExpansion(true));
    SqlNode validated;
    try {
      validated = validator.validateParameterizedExpression(bound, types);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      int colon = message.indexOf(": ");
      throw new InvalidExpressionException(colon > 0 && message.startsWith("From line")
          ? message.substring(colon + 2) : message, e);
    }
    SqlToRelConverter converter = new SqlToRelConverter(expander, validator, reader, cluster,
        StandardConvertletTable.INSTANCE, SqlToRelConverter.config());
    try {
      return converter.convertExpression(validated, nodes);
    } catch (RuntimeException e) {
      throw new InvalidExpressionException("cannot be converted ("
          + String.valueOf(e.getMessage()).split("\n", 2)[0] + ")", e);
    }
  }

  /** Whether a type is a boolean, as a row filter's must be. */
  static boolean isBoolean(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.BOOLEAN;
  }
}
