package dev.junction.adapters.snowflake;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQL {@link SnowflakeDialect} writes: user text read back with Snowflake's lexical
 * rules (an independent reader here, from Snowflake's manual), the rewrites of forms
 * Snowflake does not parse or reads differently, and what stays in Junction.
 */
class SnowflakeDialectTest {
  private static final SnowflakeDialect DIALECT = SnowflakeDialect.INSTANCE;
  private static final RelDataTypeFactory TYPES = new JavaTypeFactoryImpl();
  private static final RexBuilder REX = new RexBuilder(TYPES);

  private static String sf(String sql) throws Exception {
    SqlNode node = SqlParser.create(sql).parseQuery();
    return node.toSqlString(DIALECT).getSql().replaceAll("\\s+", " ");
  }

  private static String literal(String value) {
    return SqlLiteral.createCharString(value, SqlParserPos.ZERO).toSqlString(DIALECT).getSql();
  }

  /**
   * Reads one Snowflake single-quoted string literal that must span all of {@code text}:
   * {@code ''} is a quote, a backslash escapes the next character ({@code \n}, {@code \t},
   * {@code \r}, {@code \b}, {@code \f}, {@code \0} name controls; octal, {@code \x} and
   * {@code \\u} forms are not written by the dialect and fail here), anything else means
   * itself. Fails if the literal ends before the text does.
   */
  private static String read(String text) {
    assertTrue(text.startsWith("'"), text);
    StringBuilder v = new StringBuilder();
    int i = 1;
    while (true) {
      assertTrue(i < text.length(), "unterminated: " + text);
      char c = text.charAt(i);
      if (c == '\'') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
          v.append('\'');
          i += 2;
          continue;
        }
        assertEquals(text.length() - 1, i, "the literal ends early: " + text);
        return v.toString();
      }
      if (c == '\\') {
        char e = text.charAt(i + 1);
        assertFalse("nrtbf0xu01234567".indexOf(e) >= 0, "an escape Snowflake reads as"
            + " another character: \\" + e + " in " + text);
        v.append(e);
        i += 2;
        continue;
      }
      v.append(c);
      i++;
    }
  }

  @Test
  void stringLiteralsReadBackAsTheUsersText() {
    List<String> values = new ArrayList<>(List.of("a\\", "a\\'", "\\'; DROP TABLE t; --",
        "') OR 1=1 --", "\\", "\\\\", "'", "''", "\"", "a\\b", "/* c", "*/", "--", "\\0",
        "\\x41", "\\u0041", "\\n", "\n", "\t", "\r\n", "é\\", "日本\\'", "😀\\", "$$", "a$$b",
        "\\%", "\\_", ""));
    String[] alphabet = {"\\", "'", "\"", "-", "/*", ";", "$$", "a", "é", "日", "😀", "\n",
        "\\'", "''", "\\\\"};
    Random random = new Random(20_261_203L);
    for (int n = 0; n < 500; n++) {
      StringBuilder b = new StringBuilder();
      for (int k = random.nextInt(10); k > 0; k--) {
        b.append(alphabet[random.nextInt(alphabet.length)]);
      }
      values.add(b.toString());
    }
    for (String v : values) {
      String text = literal(v);
      assertEquals(v, read(text), text);
      assertFalse(text.startsWith("_") || text.startsWith("u&"), text);
    }
  }

  @Test
  void backslashAndQuoteAreEscaped() {
    assertEquals("'a\\\\'", literal("a\\"));
    assertEquals("'it''s'", literal("it's"));
    assertEquals("'\\\\'''", literal("\\'"));
    assertEquals("'日本'", literal("日本"));
  }

  @Test
  void nulAndUnpairedSurrogatesAreRefusedAndKeptInJunction() {
    JunctionException nul = assertThrows(JunctionException.class, () -> literal("a\0b"));
    assertEquals(ErrorCode.INVALID_CHARACTER, nul.code());
    assertThrows(JunctionException.class, () -> literal("a\uD800b"));
    RexLiteral withNul = REX.makeLiteral("a\0b");
    assertFalse(DIALECT.supportsLiteral(withNul));
    assertTrue(DIALECT.supportsLiteral(REX.makeLiteral("a\\b")));
  }

  @Test
  void identifiersAreAlwaysQuotedWithTheirQuotesDoubled() throws Exception {
    String sql = sf("SELECT a AS \"x\"\"y'z\\\", b FROM s.t");
    assertTrue(sql.contains("\"A\" AS \"x\"\"y'z\\\""), sql);
    assertTrue(sql.contains("FROM \"S\".\"T\""), sql);
    assertThrows(JunctionException.class,
        () -> DIALECT.quoteIdentifier(new StringBuilder(), "a\0b"));
  }

  @Test
  void likeWithoutEscapeGetsAnEscapeThatNoPatternCharacterMeans() throws Exception {
    String sql = sf("SELECT * FROM t WHERE a LIKE 'a\\_b!%' AND b NOT LIKE c"
        + " AND d LIKE 'y!%' ESCAPE '!'");
    assertTrue(sql.contains("\"A\" LIKE 'a\\\\_b!!%' ESCAPE '!'"), sql);
    assertTrue(sql.contains("\"B\" NOT LIKE REPLACE(\"C\", '!', '!!') ESCAPE '!'"), sql);
    assertTrue(sql.contains("\"D\" LIKE 'y!%' ESCAPE '!'"), sql);
  }

  @Test
  void formsSnowflakeDoesNotParseAreRewritten() throws Exception {
    assertTrue(sf("SELECT TRIM(a), TRIM(LEADING 'x' FROM b), TRIM(TRAILING FROM c) FROM t")
        .contains("TRIM(\"A\", ' '), LTRIM(\"B\", 'x'), RTRIM(\"C\", ' ')"));
    assertTrue(sf("SELECT FLOOR(d TO MONTH) FROM t").contains("DATE_TRUNC('MONTH', \"D\")"));
    String truth = sf("SELECT a IS TRUE, b IS NOT TRUE, c IS FALSE, d IS NOT FALSE FROM t");
    assertTrue(truth.contains("COALESCE(\"A\", FALSE), COALESCE(NOT \"B\", TRUE),"
        + " COALESCE(NOT \"C\", FALSE), COALESCE(\"D\", TRUE)"), truth);
  }

  @Test
  void limitAndOffset() throws Exception {
    assertTrue(sf("SELECT a FROM t ORDER BY a LIMIT 5 OFFSET 10")
        .endsWith("LIMIT 5 OFFSET 10"));
    assertTrue(sf("SELECT a FROM t ORDER BY a OFFSET 10 ROWS").endsWith("LIMIT NULL OFFSET 10"),
        sf("SELECT a FROM t ORDER BY a OFFSET 10 ROWS"));
    assertTrue(sf("SELECT a FROM t FETCH FIRST 3 ROWS ONLY").endsWith("LIMIT 3"));
  }

  @Test
  void castsOfFractionsToIntegersTruncateAsInJunction() {
    RelDataType integer = TYPES.createSqlType(SqlTypeName.INTEGER);
    RexNode fraction = REX.makeExactLiteral(new BigDecimal("2.7"));
    RexCall cast = (RexCall) REX.makeAbstractCast(integer, fraction, false);
    assertEquals("CAST(TRUNCATE(2.7:DECIMAL(2, 1))):INTEGER NOT NULL",
        DIALECT.rewriteCall(REX, cast).toString());
    RexCall fromInteger = (RexCall) REX.makeAbstractCast(
        TYPES.createSqlType(SqlTypeName.BIGINT), REX.makeInputRef(integer, 0), false);
    assertSame(fromInteger, DIALECT.rewriteCall(REX, fromInteger));
  }

  @Test
  void integerDivisionDividesExactly() {
    RelDataType integer = TYPES.createSqlType(SqlTypeName.INTEGER);
    RexNode a = REX.makeInputRef(integer, 0);
    RexNode b = REX.makeInputRef(integer, 1);
    RexCall divide = (RexCall) REX.makeCall(SqlStdOperatorTable.DIVIDE, a, b);
    assertEquals("CAST(/(-($0, MOD($0, $1)), $1)):INTEGER NOT NULL",
        DIALECT.rewriteCall(REX, divide).toString());
    RexCall decimal = (RexCall) REX.makeCall(SqlStdOperatorTable.DIVIDE,
        REX.makeInputRef(TYPES.createSqlType(SqlTypeName.DECIMAL, 10, 2), 0), b);
    assertSame(decimal, DIALECT.rewriteCall(REX, decimal));
  }

  @Test
  void whatSnowflakeComputesDifferentlyStaysInJunction() {
    RelDataType date = TYPES.createSqlType(SqlTypeName.DATE);
    RexNode d = REX.makeInputRef(date, 0);
    assertFalse(DIALECT.supportsCall((RexCall) REX.makeAbstractCast(
        TYPES.createSqlType(SqlTypeName.VARCHAR, 20), d, false)));
    assertFalse(DIALECT.supportsCall((RexCall) REX.makeAbstractCast(
        TYPES.createSqlType(SqlTypeName.CHAR, 5), REX.makeLiteral("a"), false)));
    RexNode text40 = REX.makeInputRef(TYPES.createSqlType(SqlTypeName.VARCHAR, 40), 2);
    assertFalse(DIALECT.supportsCall((RexCall) REX.makeAbstractCast(
        TYPES.createSqlType(SqlTypeName.VARCHAR, 10), text40, false)));
    assertTrue(DIALECT.supportsCall((RexCall) REX.makeAbstractCast(
        TYPES.createSqlType(SqlTypeName.VARCHAR), text40, false)));
    assertTrue(DIALECT.supportsCall((RexCall) REX.makeAbstractCast(
        TYPES.createSqlType(SqlTypeName.VARCHAR, 20),
        REX.makeInputRef(TYPES.createSqlType(SqlTypeName.DECIMAL, 10, 2), 0), false)));
    RexNode ts = REX.makeInputRef(TYPES.createSqlType(SqlTypeName.TIMESTAMP, 3), 1);
    assertTrue(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.EXTRACT,
        REX.makeFlag(TimeUnitRange.YEAR), ts)));
    for (TimeUnitRange weekly : List.of(TimeUnitRange.WEEK, TimeUnitRange.DOW,
        TimeUnitRange.DOY, TimeUnitRange.ISODOW, TimeUnitRange.ISOYEAR)) {
      assertFalse(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.EXTRACT,
          REX.makeFlag(weekly), ts)), weekly.toString());
    }
    assertTrue(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.FLOOR, ts,
        REX.makeFlag(TimeUnitRange.MONTH))));
    assertFalse(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.CEIL, ts,
        REX.makeFlag(TimeUnitRange.MONTH))));
    RexLiteral day = REX.makeIntervalLiteral(new BigDecimal(86_400_000),
        new SqlIntervalQualifier(TimeUnit.DAY, null, SqlParserPos.ZERO));
    assertFalse(DIALECT.supportsLiteral(day));
    RexNode name = REX.makeInputRef(TYPES.createSqlType(SqlTypeName.VARCHAR, 40), 3);
    RexNode column = REX.makeInputRef(TYPES.createSqlType(SqlTypeName.INTEGER), 4);
    assertTrue(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.SUBSTRING,
        name, REX.makeExactLiteral(BigDecimal.valueOf(2)), REX.makeExactLiteral(BigDecimal.ONE))));
    assertTrue(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.SUBSTRING,
        name, REX.makeExactLiteral(BigDecimal.ONE))));
    assertFalse(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.SUBSTRING,
        name, REX.makeExactLiteral(BigDecimal.ZERO), REX.makeExactLiteral(BigDecimal.ONE))));
    assertFalse(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.SUBSTRING,
        name, REX.makeExactLiteral(BigDecimal.valueOf(-1)))));
    assertFalse(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.SUBSTRING,
        name, column)));
    assertFalse(DIALECT.supportsCall((RexCall) REX.makeCall(SqlStdOperatorTable.SUBSTRING,
        name, REX.makeExactLiteral(BigDecimal.ONE), REX.makeExactLiteral(BigDecimal.valueOf(-2)))));
    assertFalse(DIALECT.supportsOperator(SqlStdOperatorTable.INITCAP));
    assertFalse(DIALECT.supportsOperator(SqlStdOperatorTable.SIMILAR_TO));
    assertTrue(DIALECT.supportsOperator(SqlStdOperatorTable.UPPER));
    assertFalse(DIALECT.supportsAggregateFunctionFilter());
    assertFalse(DIALECT.supportsCharSet());
  }
}
