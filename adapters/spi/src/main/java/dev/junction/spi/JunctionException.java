package dev.junction.spi;

import java.util.Objects;

/**
 * The one exception type used inside Junction. The message is written for the user: it
 * names what was wrong and what is allowed and never contains a secret; the driver turns
 * it into an {@link java.sql.SQLException} with {@link ErrorCode#sqlState()}.
 */
public class JunctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception with a user-facing message. */
  public JunctionException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Creates an exception with a user-facing message and the underlying cause. */
  public JunctionException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The classification of this error. */
  public ErrorCode code() {
    return code;
  }
}
