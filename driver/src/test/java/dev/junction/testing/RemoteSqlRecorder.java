package dev.junction.testing;

import dev.junction.spi.RemoteQueries;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records the statements sources receive while it is open, so a test can assert what
 * was pushed down (the SQL that reached the database, not just the result).
 */
public final class RemoteSqlRecorder implements AutoCloseable {
  /** One statement sent to a source. */
  public record Sent(String source, String sql) {
  }

  private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
  private final AutoCloseable registration;

  public RemoteSqlRecorder() {
    this.registration = RemoteQueries.listen((source, sql) -> sent.add(new Sent(source, sql)));
  }

  /** Statements sent so far, oldest first. */
  public List<Sent> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  /** Statements sent to one source. */
  public List<String> sentTo(String source) {
    return sent().stream().filter(s -> s.source().equals(source)).map(Sent::sql).toList();
  }

  /** Forgets what was recorded. */
  public void clear() {
    sent.clear();
  }

  @Override public void close() throws Exception {
    registration.close();
  }
}
