package dev.junction.driver.audit;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

/**
 * An audit line could not be written and the audit fails closed ({@code on-failure: fail}):
 * the statement it was for must fail. Reaches a JDBC caller through the driver's error
 * mapping as an internal error (SQLState XX000) with this message, which names the audit
 * file and the operating system's reason.
 */
public final class AuditException extends JunctionException {
  private static final long serialVersionUID = 1L;

  AuditException(String message, Throwable cause) {
    super(ErrorCode.INTERNAL, message, cause);
  }
}
