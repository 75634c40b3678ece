package org.apache.calcite.avatica.jdbc;

import java.sql.Statement;

/**
 * Reads the JDBC statement behind a {@link StatementInfo} (a package-private field), so
 * the Junction server can cancel a running statement when its client goes away.
 */
public final class StatementInfoAccess {
  private StatementInfoAccess() {
  }

  /** The statement, or null for a metadata result. */
  public static Statement statement(StatementInfo info) {
    return info.statement;
  }
}
