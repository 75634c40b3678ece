package dev.junction.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.util.Static;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mapping from failures to what a JDBC caller sees, without a server: each
 * {@link ErrorCode}'s exception class and SQLState, Calcite's validation errors by
 * template, data errors, timeouts versus cancels, and internal errors with their id.
 */
class ErrorsTest {
  private static SQLException translate(Throwable t) {
    return Errors.translate(t, 0, false);
  }

  private static CalciteContextException validation(
      org.apache.calcite.runtime.Resources.ExInst<
          org.apache.calcite.sql.validate.SqlValidatorException> e) {
    return SqlUtil.newContextException(new SqlParserPos(1, 8, 1, 20), e);
  }

  @Test
  void everyTemplateNameIsOneOfCalcites() {
    assertEquals(Errors.templates().keySet(), Set.copyOf(Errors.knownTemplates()),
        "a CalciteResource method was renamed or removed");
  }

  @Test
  void validationErrorsAreClassifiedByTemplate() {
    SQLException table = translate(new RuntimeException("Error while preparing",
        validation(Static.RESOURCE.objectNotFoundWithin("orderz", "sales"))));
    assertInstanceOf(SQLSyntaxErrorException.class, table);
    assertEquals("42P01", table.getSQLState());
    assertTrue(table.getMessage().startsWith(
        "Object 'orderz' not found within 'sales' (line 1, column 8)."), table.getMessage());
    assertEquals("42703", translate(validation(
        Static.RESOURCE.columnNotFoundInTableDidYouMean("nme", "t", "name"))).getSQLState());
    assertEquals("42702", translate(validation(
        Static.RESOURCE.columnAmbiguous("id"))).getSQLState());
    assertEquals("42883", translate(validation(
        Static.RESOURCE.validatorUnknownFunction("FOO(<NUMERIC>)"))).getSQLState());
    assertEquals("42804", translate(validation(Static.RESOURCE.canNotApplyOp2Type("=",
        "<INTEGER> = <DATE>", "<EQUIVALENT_TYPE> = <EQUIVALENT_TYPE>"))).getSQLState());
    assertEquals("42803", translate(validation(
        Static.RESOURCE.notGroupExpr("v"))).getSQLState());
    assertEquals("42000", translate(validation(
        Static.RESOURCE.selectMissingFrom())).getSQLState());
  }

  @Test
  void templatesBecomePatterns() {
    assertTrue(Errors.pattern("Object ''{0}'' not found within ''{1}''; did you mean ''{2}''?")
        .matcher("Object 'a' not found within 'b'; did you mean 'c'?").matches());
    assertTrue(Errors.pattern("Invalid number of arguments to function ''{0}''."
        + " Was expecting {1,number,#} arguments")
        .matcher("Invalid number of arguments to function 'F'. Was expecting 2 arguments")
        .matches());
  }

  @Test
  void eachCodeHasItsStateAndClass() {
    assertCode(ErrorCode.SOURCE_UNAVAILABLE, SQLTransientConnectionException.class, "08001");
    assertCode(ErrorCode.SOURCE_LOGIN_REJECTED, SQLNonTransientConnectionException.class,
        "08004");
    assertCode(ErrorCode.SOURCE_CONNECTION_LOST, SQLTransientConnectionException.class,
        "08006");
    assertCode(ErrorCode.SOURCE_QUERY_FAILED, SQLNonTransientException.class, "58000");
    assertCode(ErrorCode.READ_ONLY, SQLNonTransientException.class, "42501");
    assertCode(ErrorCode.PLANNING_TIMEOUT, SQLTimeoutException.class, "57014");
    assertCode(ErrorCode.INVALID_CAST, SQLDataException.class, "22018");
    assertCode(ErrorCode.QUERY_CANCELLED, SQLTransientException.class, "57014");
    for (ErrorCode code : ErrorCode.values()) {
      SQLException e = Errors.toSql(new JunctionException(code, "m"));
      assertEquals(code.sqlState(), e.getSQLState(), code.name());
    }
  }

  private static void assertCode(ErrorCode code, Class<? extends SQLException> type,
      String state) {
    JunctionException je = new JunctionException(code, "what happened");
    SQLException e = translate(new RuntimeException("wrapped", je));
    assertInstanceOf(type, e, code.name());
    assertEquals(state, e.getSQLState());
    assertEquals("what happened", e.getMessage());
    assertSame(je, e.getCause());
  }

  @Test
  void translatingTwiceChangesNothing() {
    SQLException once = translate(new JunctionException(ErrorCode.READ_ONLY, "no"));
    assertSame(once, translate(once));
  }

  @Test
  void aSourceCancelIsATimeoutWhenTheStatementHadOne() {
    JunctionException cancel = new JunctionException(ErrorCode.QUERY_CANCELLED,
        "source 'sales' (postgresql) cancelled the query: ERROR: canceling statement due to"
            + " user request [SQLState 57014]");
    SQLException timeout = Errors.translate(cancel, 5, false);
    assertInstanceOf(SQLTimeoutException.class, timeout);
    assertEquals("57014", timeout.getSQLState());
    assertTrue(timeout.getMessage().startsWith("The query ran longer than its timeout of 5 s"
        + " (Statement.setQueryTimeout) and was cancelled (source 'sales'"), timeout.getMessage());
    SQLException cancelled = Errors.translate(cancel, 5, true);
    assertInstanceOf(SQLTransientException.class, cancelled);
    assertTrue(cancelled.getMessage().startsWith("The query was cancelled by"
        + " Statement.cancel() (source 'sales'"), cancelled.getMessage());
    SQLException calcite = Errors.translate(new RuntimeException(
        Static.RESOURCE.queryExecutionTimeoutReached("2000", "2026-01-01T00:00:00Z").ex()),
        2, false);
    assertInstanceOf(SQLTimeoutException.class, calcite);
    assertTrue(calcite.getMessage().startsWith("The query ran longer than its timeout of 2 s"),
        calcite.getMessage());
  }

  @Test
  void dataErrorsInJunctionAreClass22() {
    SQLException cast = translate(new RuntimeException(new NumberFormatException(
        "For input string: \"x\"")));
    assertInstanceOf(SQLDataException.class, cast);
    assertEquals("22018", cast.getSQLState());
    assertEquals("22012", translate(new ArithmeticException("/ by zero")).getSQLState());
    assertEquals("22003", translate(new ArithmeticException("integer overflow")).getSQLState());
    assertEquals("22018", translate(
        new IllegalArgumentException("Invalid DATE value, '2024-13-45'")).getSQLState());
    assertEquals("22018", translate(
        Static.RESOURCE.invalidCharacterForCast("maybe").ex()).getSQLState());
  }

  @Test
  void aJdbcLayerErrorKeepsItsMessage() {
    SQLException closed = translate(new SQLException("ResultSet closed"));
    assertEquals("HY010", closed.getSQLState());
    assertEquals("ResultSet closed.", closed.getMessage());
    assertEquals("07001", translate(new SQLException("exception while executing query",
        new RuntimeException("exception while executing query: unbound parameter")))
        .getSQLState());
  }

  @Test
  void anythingElseIsInternalWithAnIdThatTheLogRepeats() {
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    SQLException e;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      e = translate(new IllegalStateException("Unable to implement EnumerableTableModify("
          + "table=[[sales, tpch, nation]], operation=[INSERT]): rowcount = 1.0,"
          + " cumulative cost = {2.0 rows, 1.0 cpu, 0.0 io}"));
    } finally {
      System.setErr(original);
    }
    assertInstanceOf(SQLNonTransientException.class, e);
    assertEquals("XX000", e.getSQLState());
    ErrorAssertions.assertUserMessage(e.getMessage());
    Matcher id = Pattern.compile("\\(id ([0-9a-f]{8})\\)").matcher(e.getMessage());
    assertTrue(id.find(), e.getMessage());
    String logged = log.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("internal error " + id.group(1)), logged);
    assertTrue(logged.contains("Unable to implement"), "the log has the stack trace");
    assertInstanceOf(IllegalStateException.class, e.getCause().getCause());
  }

  @Test
  void theReadmeDocumentsEveryState() throws Exception {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int table = text.indexOf("## Errors");
    assertTrue(table > 0, "README has an Errors section");
    String section = text.substring(table);
    for (ErrorCode code : ErrorCode.values()) {
      assertTrue(section.contains("`" + code.sqlState() + "`"),
          () -> code + " (" + code.sqlState() + ") is not in the README's error table");
    }
  }
}
