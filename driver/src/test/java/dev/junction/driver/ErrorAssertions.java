package dev.junction.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shape every error a JDBC caller sees must have: the expected SQLState and
 * exception class, the cause chained, and a message free of internals (planner dumps,
 * pool counters, class names, stack traces). Shared by the driver's and the server's
 * error tests.
 */
public final class ErrorAssertions {
  /** Text that betrays internals when it appears in a message. */
  private static final List<String> INTERNALS = List.of("rowcount =", "cumulative cost",
      "Enumerable", "total=", "active=", "idle=", "waiting=", "\tat ", "LogicalProject",
      "JdbcToEnumerableConverter", "Exception", "HikariPool");
  /** A qualified Java class name such as {@code org.postgresql.util.PSQLException}. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z][A-Za-z0-9_$]*");

  private ErrorAssertions() {
  }

  /** Runs {@code action}, which must fail with {@code type} and {@code sqlState}. */
  public static <T extends SQLException> T fails(Class<T> type, String sqlState,
      Executable action) {
    SQLException e = assertThrows(SQLException.class, action);
    assertEquals(sqlState, e.getSQLState(), () -> describe(e));
    T typed = assertInstanceOf(type, e, () -> describe(e));
    assertNotNull(e.getCause(), () -> "no cause: " + describe(e));
    assertUserMessage(e.getMessage());
    return typed;
  }

  /** Asserts a message is written for a user, not a developer. */
  public static void assertUserMessage(String message) {
    assertNotNull(message);
    for (String s : INTERNALS) {
      assertFalse(message.contains(s), () -> "message contains '" + s + "': " + message);
    }
    assertFalse(CLASS_NAME.matcher(message).find(), () -> "class name in: " + message);
  }

  private static String describe(SQLException e) {
    return e.getClass().getSimpleName() + " [" + e.getSQLState() + "] " + e.getMessage();
  }
}
