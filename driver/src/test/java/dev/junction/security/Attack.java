package dev.junction.security;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * One attempt to see what the policy hides, and what must happen instead.
 *
 * @param category the attack class, for the counts in the report
 * @param text the SQL template ({@link View#resolve}), or what a metadata probe does
 * @param probe a metadata call to make instead of running SQL, or null
 * @param expect what must happen
 */
public record Attack(String category, String text, Probe probe, Expect expect) {

  /** A call on the connection (a DatabaseMetaData listing), giving rows to compare. */
  @FunctionalInterface
  public interface Probe {
    /** Makes the call and returns the rows to compare. */
    List<List<Object>> run(Connection c, View v) throws SQLException;
  }

  /** What an attack must come to. */
  public sealed interface Expect permits Rows, Missing, RowsOrMissing, RowsOrRejected,
      Refused, Fails, Explain {
  }

  /**
   * Exactly these rows (the caller's rows, masked, computed in Java).
   *
   * @param rows the expected rows
   * @param ordered whether the order is part of the answer
   * @param labels the column labels (any case), or null not to check them
   */
  public record Rows(Function<View, List<List<Object>>> rows, boolean ordered,
      List<String> labels) implements Expect {
  }

  /**
   * The error a nonexistent object gives: the query with {@code name} replaced by a name
   * of the same length and case that nothing has must fail with the same SQLState,
   * exception type and message (the names aside).
   *
   * @param name the hidden identifier, as the SQL spells it
   */
  public record Missing(String name) implements Expect {
  }

  /**
   * Where a spelling may or may not resolve (quoted upper case against lower-case
   * names): either the caller's rows, or the error a nonexistent {@code name} gives.
   *
   * @param name the identifier whose spelling is played with
   * @param rows the expected rows when it resolves
   */
  public record RowsOrMissing(String name, Function<View, List<List<Object>>> rows)
      implements Expect {
  }

  /**
   * For what Junction may not support (literals outside Latin-1): either the caller's rows,
   * or an error raised before any source was asked, which therefore cannot depend on any
   * row.
   *
   * @param rows the expected rows when it runs
   */
  public record RowsOrRejected(Function<View, List<List<Object>>> rows) implements Expect {
  }

  /**
   * A write: refused with SQLState 42501 before anything reaches any source. When
   * {@code name} is set, naming a nonexistent table instead must give the same error.
   *
   * @param name a table the caller may not see, or null
   */
  public record Refused(String name) implements Expect {
  }

  /** Fails (any SQLState) with nothing sent to any source. */
  public record Fails() implements Expect {
  }

  /**
   * {@code EXPLAIN}: shows placeholders, never the filter's values, the mask's text or a
   * hidden column.
   *
   * @param filter whether {@code <row filter>} must show (for callers with attributes)
   * @param mask whether {@code <mask>} must show
   */
  public record Explain(boolean filter, boolean mask) implements Expect {
  }

  /** The category and the template on one line. */
  @Override public String toString() {
    String t = text.replace("\n", " ").replace("\0", "<NUL>");
    return category + ": " + (t.length() > 150 ? t.substring(0, 150) + "..." : t);
  }
}
