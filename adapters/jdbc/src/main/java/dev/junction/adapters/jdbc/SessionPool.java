package dev.junction.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A source's pool that keeps connections per session setting, so a statement that needs
 * one ({@link PushdownDialect#wholeResultSession}) borrows a connection on which it
 * already ran instead of running it again and resetting it per statement. Pools that do
 * not implement it get the setting run on each connection they hand out for such a
 * statement.
 */
public interface SessionPool {
  /** A connection on which {@code session} has run; closing it returns it to the pool. */
  Connection getConnection(String session) throws SQLException;
}
