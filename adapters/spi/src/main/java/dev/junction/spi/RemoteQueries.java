package dev.junction.spi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reports every statement a source sends to its database, so tests can assert what was
 * pushed down and auditing can record it. Adapters call {@link #sent}; listeners are
 * called on the thread that sends the statement and must be quick.
 */
public final class RemoteQueries {
  /** Receives statements sent to sources. */
  @FunctionalInterface
  public interface Listener {
    /** Called before {@code sql} is sent to source {@code source}. */
    void onSend(String source, String sql);
  }

  private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();

  private RemoteQueries() {
  }

  /** Registers a listener until the returned handle is closed. */
  public static AutoCloseable listen(Listener listener) {
    LISTENERS.add(listener);
    return () -> LISTENERS.remove(listener);
  }

  /** Reports a statement about to be sent. */
  public static void sent(String source, String sql) {
    for (Listener l : LISTENERS) {
      l.onSend(source, sql);
    }
  }
}
