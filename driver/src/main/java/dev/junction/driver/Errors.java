package dev.junction.driver;

import dev.junction.planner.config.InvalidCatalogException;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.runtime.CalciteResource;
import org.apache.calcite.runtime.Resources;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.validate.SqlValidatorException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The one place where a failure becomes what a JDBC caller sees: an {@link SQLException}
 * subclass with a documented SQLState (the README's error table), a message written for
 * the user, and the cause chained.
 *
 * <p>Design: code that knows what went wrong throws {@link JunctionException} with an
 * {@link ErrorCode} (sources in the adapters, the planning deadline and read-only checks
 * in the planner). Calcite's own exceptions are classified here, by type and, for
 * validation errors, by which of Calcite's message templates produced them (matched
 * against the templates themselves, so a reworded template still matches). Anything
 * else is an internal error: its message carries only a short id, which the log line
 * with the stack trace carries too. Messages never contain planner dumps, pool counters,
 * class names or stack traces.
 */
public final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  /** Calcite message templates and the code of the validation errors they produce. */
  private static final Map<String, ErrorCode> TEMPLATES = templates();
  private static final List<Rule> RULES = rules(TEMPLATES);

  /** A Calcite message template, as a pattern over formatted messages, and its code. */
  private record Rule(String name, Pattern pattern, ErrorCode code) {
  }

  private Errors() {
  }

  /**
   * Converts any failure of a statement at the JDBC boundary.
   *
   * @param t what was thrown while preparing, executing or fetching
   * @param queryTimeoutSeconds the statement's {@code setQueryTimeout}, 0 for none
   * @param cancelRequested whether {@code Statement.cancel()} was called on it
   */
  public static SQLException translate(Throwable t, int queryTimeoutSeconds,
      boolean cancelRequested) {
    return translate(t, queryTimeoutSeconds, cancelRequested, null);
  }

  /**
   * Converts any failure of a statement at the JDBC boundary; an unknown table or column is
   * given the closest of the names {@code names} lists as a did-you-mean.
   */
  public static SQLException translate(Throwable t, int queryTimeoutSeconds,
      boolean cancelRequested, Names names) {
    // Already translated (perhaps wrapped since by Avatica or Calcite): keep it as it is.
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException s && s.getCause() instanceof JunctionException je
          && je.code().sqlState().equals(s.getSQLState())) {
        return s;
      }
    }
    return toSql(classify(t, queryTimeoutSeconds, cancelRequested, names));
  }

  /** The names a statement could have meant, for the did-you-mean of an unknown name. */
  public interface Names {
    /**
     * Sources, schemas and tables: those within the schema {@code within} (dotted, as the
     * message names it), or those an unqualified name could mean when it is null.
     */
    Collection<String> tables(String within);

    /** The columns of the table known as {@code tableAlias}, or of every table for null. */
    Collection<String> columns(String tableAlias);
  }

  /** The statement's connection as a source of {@link Names}, or null when not open. */
  public static Names names(org.apache.calcite.jdbc.CalciteConnection connection,
      List<String> defaultPath, String sql) {
    if (sql == null) {
      return null;
    }
    return new NameCandidates(connection.getRootSchema(), JunctionDriver.sourceNames(connection),
        defaultPath, connection.getTypeFactory(), sql);
  }

  /** Converts a Junction failure at the JDBC boundary. */
  public static SQLException toSql(JunctionException e) {
    // A catalog file's problems reach a JDBC caller with their lines, as in `junction check`.
    String m = e instanceof InvalidCatalogException ice ? ice.locatedMessage() : e.getMessage();
    String state = e.code().sqlState();
    return switch (e.code()) {
      case SOURCE_UNAVAILABLE, SOURCE_CONNECTION_LOST ->
          new SQLTransientConnectionException(m, state, e);
      case CONFIG_INVALID, INVALID_URL, SOURCE_LOGIN_REJECTED ->
          new SQLNonTransientConnectionException(m, state, e);
      case PLANNING_TIMEOUT, QUERY_TIMEOUT -> new SQLTimeoutException(m, state, e);
      case QUERY_CANCELLED, LIMIT_CONCURRENT_QUERIES, LIMIT_MEMORY ->
          new SQLTransientException(m, state, e);
      case SYNTAX_ERROR, UNDEFINED_TABLE, UNDEFINED_COLUMN, AMBIGUOUS_COLUMN,
          UNDEFINED_FUNCTION, DATATYPE_MISMATCH, GROUPING_ERROR, INVALID_SQL ->
          new SQLSyntaxErrorException(m, state, e);
      case FEATURE_NOT_SUPPORTED, UNSUPPORTED_TYPE ->
          new SQLFeatureNotSupportedException(m, state, e);
      case INVALID_CAST, DIVISION_BY_ZERO, NUMERIC_OUT_OF_RANGE, DATA_EXCEPTION,
          INVALID_CHARACTER ->
          new SQLDataException(m, state, e);
      case READ_ONLY, SOURCE_QUERY_FAILED, PARAMETER_NOT_SET, INVALID_STATE, INTERNAL,
          LIMIT_MAX_ROWS, LIMIT_ROWS_FETCHED, LIMIT_BYTES_SCANNED ->
          new SQLNonTransientException(m, state, e);
    };
  }

  /** Finds a Junction failure anywhere in a cause chain. */
  public static JunctionException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof JunctionException je) {
        return je;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /** An invalid URL or property. */
  static SQLException invalidUrl(String message) {
    return toSql(new JunctionException(ErrorCode.INVALID_URL, message));
  }

  /** What a failure is, as a Junction failure with a message for the user. */
  static JunctionException classify(Throwable t, int queryTimeoutSeconds,
      boolean cancelRequested) {
    return classify(t, queryTimeoutSeconds, cancelRequested, null);
  }

  private static JunctionException classify(Throwable t, int queryTimeoutSeconds,
      boolean cancelRequested, Names names) {
    JunctionException e = classify(t, names);
    if (e.code() != ErrorCode.QUERY_CANCELLED && e.code() != ErrorCode.QUERY_TIMEOUT) {
      return e;
    }
    // A source reports a cancel the same way whether Statement.cancel() or the driver's
    // timeout timer sent it; the statement knows which it was.
    String detail = e.code() == ErrorCode.QUERY_CANCELLED
        ? " (" + stripPeriod(e.getMessage()) + ")" : "";
    if (cancelRequested) {
      return new JunctionException(ErrorCode.QUERY_CANCELLED,
          "The query was cancelled by Statement.cancel()" + detail + ".", e);
    }
    if (queryTimeoutSeconds > 0) {
      return new JunctionException(ErrorCode.QUERY_TIMEOUT, "The query ran longer than its"
          + " timeout of " + queryTimeoutSeconds + " s (Statement.setQueryTimeout) and was"
          + " cancelled" + detail + "." + advice(ErrorCode.QUERY_TIMEOUT), e);
    }
    return e;
  }

  private static JunctionException classify(Throwable t, Names names) {
    JunctionException known = find(t);
    if (known != null) {
      return known;
    }
    SqlParseException parse = null;
    CalciteContextException context = null;
    SqlValidatorException validator = null;
    SQLException withState = null;
    SQLException withoutState = null;
    CalciteException calcite = null;
    RuntimeException data = null;
    Throwable unbound = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (unbound == null && c.getMessage() != null
          && c.getMessage().endsWith("unbound parameter")) {
        unbound = c;
      }
      if (c instanceof SqlParseException p && parse == null) {
        parse = p;
      } else if (c instanceof CalciteContextException x && context == null) {
        context = x;
      } else if (c instanceof SqlValidatorException v && validator == null) {
        validator = v;
      } else if (c instanceof SQLException s && s.getSQLState() != null && withState == null) {
        withState = s;
      } else if (c instanceof SQLException s && withoutState == null && s.getCause() == null) {
        withoutState = s;
      } else if (c instanceof CalciteException x && calcite == null) {
        calcite = x;
      } else if (data == null && (c instanceof NumberFormatException
          || c instanceof ArithmeticException || isDateTimeParse(c))) {
        data = (RuntimeException) c;
      }
    }
    if (parse != null) {
      return syntaxError(parse);
    }
    if (context != null || validator != null) {
      return validationError(context, validator, t, names);
    }
    if (withState != null) {
      return fromState(withState, t);
    }
    if (calcite != null) {
      Rule rule = match(calcite.getMessage());
      if (rule != null) {
        return new JunctionException(rule.code(), calcite.getMessage() + advice(rule.code()),
            calcite);
      }
    }
    if (data != null) {
      return dataError(data);
    }
    if (unbound != null) {
      return new JunctionException(ErrorCode.PARAMETER_NOT_SET, "A parameter of the prepared"
          + " statement was not set. Set every parameter before executing.", unbound);
    }
    if (withoutState != null) {
      return fromJdbcLayer(withoutState);
    }
    return internal(t);
  }

  /** {@code Encountered "x" at line 1, column 2.}: the token the parser stopped at. */
  private static final Pattern ENCOUNTERED =
      Pattern.compile("Encountered \"(.*?)\" at line \\d+, column \\d+");

  /**
   * The position, the token the parser stopped at, and one hint, on one line. Calcite's
   * own message lists every token it would have accepted (10 to 60 lines); only a
   * keyword close to the offending token is kept, as a suggestion.
   */
  private static JunctionException syntaxError(SqlParseException e) {
    String message = String.valueOf(e.getMessage()).strip();
    int eol = message.indexOf('\n');
    String first = (eol < 0 ? message : message.substring(0, eol)).strip();
    var pos = e.getPos();
    String where = pos != null && pos.getLineNum() > 0
        ? " at line " + pos.getLineNum() + ", column " + pos.getColumnNum() : "";
    java.util.regex.Matcher m = ENCOUNTERED.matcher(first);
    String token = m.find() ? m.group(1).strip() : null;
    StringBuilder b = new StringBuilder("SQL syntax error: ");
    if (token == null) {
      b.append(stripPeriod(first));
      if (!first.contains(" line ")) {
        b.append(where);
      }
    } else if (token.isEmpty() || token.equals("<EOF>")) {
      b.append("the statement ended early").append(where);
    } else {
      b.append("unexpected '").append(token).append("'").append(where);
    }
    b.append(". ").append(syntaxHint(token, e.getExpectedTokenNames()));
    return new JunctionException(ErrorCode.SYNTAX_ERROR, b.toString(), e);
  }

  /** The one hint after a syntax error. */
  private static String syntaxHint(String token, Collection<String> expectedTokens) {
    // A reserved word where the parser wanted a name: the user meant it as one.
    boolean nameExpected = expectedTokens.stream().map(String::strip)
        .anyMatch(t -> t.equals("<IDENTIFIER>") || t.equals("<QUOTED_IDENTIFIER>"));
    if (token != null && nameExpected
        && dev.junction.planner.planning.ReservedWords.isReserved(token)) {
      return "'" + token + "' is a reserved word: write it in double quotes (\""
          + token + "\") to use it as a name.";
    }
    if (token != null && (token.isEmpty() || token.equals("<EOF>"))) {
      return "Check for a missing expression, closing parenthesis or quote.";
    }
    List<String> keywords = new ArrayList<>();
    for (String t : expectedTokens) {
      String k = t.strip();
      if (k.length() > 2 && k.startsWith("\"") && k.endsWith("\"")
          && k.substring(1, k.length() - 1).matches("[A-Z_]+")) {
        keywords.add(k.substring(1, k.length() - 1));
      }
    }
    return (token == null ? java.util.Optional.<String>empty()
        : dev.junction.config.Texts.closest(token, keywords))
        .map(k -> "Did you mean " + k + "? Check the SQL near that position.")
        .orElse("Check the SQL near that position.");
  }

  private static JunctionException validationError(CalciteContextException context,
      SqlValidatorException validator, Throwable t, Names names) {
    String core;
    if (validator != null) {
      core = validator.getMessage();
    } else if (context.getCause() != null && context.getCause().getMessage() != null) {
      core = context.getCause().getMessage();
    } else {
      core = context.getMessage();
    }
    Rule rule = match(core);
    ErrorCode code = rule == null ? ErrorCode.INVALID_SQL : rule.code();
    String where = context == null || context.getPosLine() <= 0 ? ""
        : " (line " + context.getPosLine() + ", column " + context.getPosColumn() + ")";
    return new JunctionException(code, core + where + "." + didYouMean(rule, core, names)
        + advice(code), context != null ? context : t);
  }

  /**
   * {@code " Did you mean 'orders'?"} for an unknown table or column whose name is close to
   * one the statement could have meant; empty otherwise (and when Calcite's own message
   * already suggests a name, as it does for a name that differs only in case). Listing
   * the candidates must never turn an error into another one, so any failure there (an
   * unreachable source) only drops the suggestion.
   */
  private static String didYouMean(Rule rule, String core, Names names) {
    if (names == null || rule == null || rule.name().endsWith("DidYouMean")) {
      return "";
    }
    java.util.regex.Matcher m = rule.pattern().matcher(core);
    if (!m.matches() || m.groupCount() < 1) {
      return "";
    }
    String name = m.group(1);
    String second = m.groupCount() >= 2 ? m.group(2) : null;
    try {
      Collection<String> candidates = switch (rule.name()) {
        case "objectNotFound", "tableNameNotFound" -> names.tables(null);
        case "objectNotFoundWithin" -> names.tables(second);
        case "columnNotFound", "unknownIdentifier", "unknownField" -> names.columns(null);
        case "columnNotFoundInTable" -> names.columns(second);
        default -> List.of();
      };
      candidates = candidates.stream().filter(c -> !c.equals(name)).toList();
      return dev.junction.config.Texts.closest(name, candidates)
          .map(c -> " Did you mean '" + c + "'?").orElse("");
    } catch (RuntimeException e) {
      LOG.debug("no suggestion for '{}': {}", name, e.getMessage());
      return "";
    }
  }

  /**
   * An SQLException with a state that no adapter classified: a cancelled scope or a
   * closed statement in Junction's JDBC layer. Anything else escaped classification and
   * is reported as internal, because its text was not redacted.
   */
  private static JunctionException fromState(SQLException e, Throwable t) {
    String m = String.valueOf(e.getMessage());
    return switch (e.getSQLState()) {
      case "57014" -> new JunctionException(ErrorCode.QUERY_CANCELLED, m, e);
      case "HY010" -> new JunctionException(ErrorCode.INVALID_STATE, m + ".", e);
      default -> internal(t);
    };
  }

  /** An error raised by Avatica's or Calcite's JDBC layer itself (closed objects). */
  private static JunctionException fromJdbcLayer(SQLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.equals("Statement canceled")) {
      return new JunctionException(ErrorCode.QUERY_CANCELLED, "The query was cancelled.", e);
    }
    return new JunctionException(ErrorCode.INVALID_STATE, m + ".", e);
  }

  private static JunctionException dataError(RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    if (e instanceof ArithmeticException) {
      String lower = m.toLowerCase(Locale.ROOT);
      ErrorCode code = lower.contains("by zero") || lower.contains("division undefined")
          ? ErrorCode.DIVISION_BY_ZERO
          : lower.contains("overflow") || lower.contains("out of range")
              ? ErrorCode.NUMERIC_OUT_OF_RANGE : ErrorCode.DATA_EXCEPTION;
      String what = switch (code) {
        case DIVISION_BY_ZERO -> "Division by zero";
        case NUMERIC_OUT_OF_RANGE -> "A numeric value is out of range for its type (" + m + ")";
        default -> "Arithmetic error (" + m + ")";
      };
      return new JunctionException(code, what + "." + advice(code), e);
    }
    return new JunctionException(ErrorCode.INVALID_CAST,
        "A value could not be converted (" + m + ")." + advice(ErrorCode.INVALID_CAST), e);
  }

  /** Avatica's {@code Invalid DATE value, 'x'} and its siblings. */
  private static boolean isDateTimeParse(Throwable c) {
    return c instanceof IllegalArgumentException && c.getMessage() != null
        && c.getMessage().startsWith("Invalid ") && c.getMessage().contains(" value, '");
  }

  /**
   * The id each internal failure was given, so that a failure classified twice (for the
   * caller and for the audit trail) is logged once, under one id.
   */
  private static final Map<Throwable, String> INTERNAL_IDS =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private static JunctionException internal(Throwable t) {
    String[] fresh = {null};
    String id = INTERNAL_IDS.computeIfAbsent(t, k -> fresh[0] =
        String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt()));
    if (fresh[0] != null) {
      LOG.error("internal error {}", id, t);
    }
    return new JunctionException(ErrorCode.INTERNAL, "Internal error in Junction (id " + id
        + "). Report it with this id; the driver's log has the details.", t);
  }

  private static String stripPeriod(String m) {
    String s = String.valueOf(m).strip();
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** What to do, per code, appended to the message. */
  static String advice(ErrorCode code) {
    return switch (code) {
      case UNDEFINED_TABLE -> " Tables are named source.schema.table; a table created since"
          + " the metadata was cached appears after JunctionConnection.refreshMetadata().";
      case UNDEFINED_COLUMN -> " Check the column name; DatabaseMetaData.getColumns lists a"
          + " table's columns.";
      case AMBIGUOUS_COLUMN -> " Qualify the column with its table's name or alias.";
      case UNDEFINED_FUNCTION -> " Check the function's name and argument types; Junction"
          + " offers Calcite's standard functions.";
      case DATATYPE_MISMATCH -> " CAST the operands to compatible types.";
      case GROUPING_ERROR -> " Add the expression to GROUP BY, or aggregate it.";
      case INVALID_CAST, DATA_EXCEPTION, NUMERIC_OUT_OF_RANGE, DIVISION_BY_ZERO ->
          " Check the values and the CASTs in the query.";
      case QUERY_TIMEOUT -> " Raise the timeout, or narrow the query.";
      default -> "";
    };
  }

  private static Rule match(String message) {
    if (message == null) {
      return null;
    }
    for (Rule r : RULES) {
      if (r.pattern().matcher(message).matches()) {
        return r;
      }
    }
    return null;
  }

  /** Calcite's message templates (CalciteResource method names) by the code they mean. */
  static Map<String, ErrorCode> templates() {
    Map<String, ErrorCode> m = new HashMap<>();
    for (String n : List.of("tableNameNotFound", "tableNameNotFoundDidYouMean",
        "objectNotFound", "objectNotFoundWithin", "objectNotFoundDidYouMean",
        "objectNotFoundWithinDidYouMean")) {
      m.put(n, ErrorCode.UNDEFINED_TABLE);
    }
    for (String n : List.of("columnNotFound", "columnNotFoundDidYouMean",
        "columnNotFoundInTable", "columnNotFoundInTableDidYouMean", "unknownIdentifier",
        "unknownField")) {
      m.put(n, ErrorCode.UNDEFINED_COLUMN);
    }
    m.put("columnAmbiguous", ErrorCode.AMBIGUOUS_COLUMN);
    for (String n : List.of("validatorUnknownFunction", "functionUndefined",
        "invalidArgCount")) {
      m.put(n, ErrorCode.UNDEFINED_FUNCTION);
    }
    for (String n : List.of("canNotApplyOp2Type", "typeNotComparable", "typeNotComparableNear",
        "typeNotComparableEachOther", "incompatibleTypes", "incompatibleTypesInList",
        "incompatibleValueType", "typeNotAssignable", "illegalMixingOfTypes",
        "cannotCastValue", "expectedBoolean", "expectedCharacter", "condMustBeBoolean")) {
      m.put(n, ErrorCode.DATATYPE_MISMATCH);
    }
    for (String n : List.of("notGroupExpr", "notSelectDistinctExpr",
        "aggregateIllegalInClause")) {
      m.put(n, ErrorCode.GROUPING_ERROR);
    }
    m.put("queryExecutionTimeoutReached", ErrorCode.QUERY_TIMEOUT);
    m.put("invalidCharacterForCast", ErrorCode.INVALID_CAST);
    m.put("cannotConvert", ErrorCode.INVALID_CAST);
    return m;
  }

  private static List<Rule> rules(Map<String, ErrorCode> templates) {
    List<Rule> rules = new ArrayList<>();
    for (Method method : CalciteResource.class.getMethods()) {
      ErrorCode code = templates.get(method.getName());
      Resources.BaseMessage message = method.getAnnotation(Resources.BaseMessage.class);
      if (code != null && message != null) {
        rules.add(new Rule(method.getName(), pattern(message.value()), code));
      }
    }
    // Longer templates first, so "not found within" wins over "not found".
    rules.sort((a, b) -> b.pattern().pattern().length() - a.pattern().pattern().length());
    return List.copyOf(rules);
  }

  /** The CalciteResource methods the classification knows; for tests. */
  static List<String> knownTemplates() {
    return RULES.stream().map(Rule::name).toList();
  }

  /**
   * A pattern matching the messages a {@link java.text.MessageFormat} template formats
   * to: {@code ''} is a quote, {@code {n...}} any text.
   */
  static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\'' && i + 1 < template.length() && template.charAt(i + 1) == '\'') {
        literal.append('\'');
        i++;
      } else if (c == '{' && template.indexOf('}', i) > 0) {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append("(.*)");
        i = template.indexOf('}', i);
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
