package dev.junction.server.http;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices clients that go away while their request is running.
 *
 * <p>While a blocking handler runs, Jetty does not read from the connection, so a client
 * that closes its socket mid-query goes unnoticed until the response is written. The
 * watchdog polls the socket of every running query: a non-blocking read returning
 * end-of-stream means the client is gone, and the registered action (cancel the
 * statement) runs. An Avatica client sends nothing while it waits for a response (its
 * HTTP connection is checked out of the pool), so the read consumes nothing of value; on
 * TLS the raw socket is read, where a closing client's close_notify precedes the
 * end-of-stream.
 */
final class DisconnectWatchdog implements AutoCloseable {
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;

  /** A running request and what to do if its client disconnects. */
  final class Watch implements AutoCloseable {
    private final EndPoint endPoint;
    private final Runnable onDisconnect;
    private boolean closed;
    private boolean fired;

    Watch(EndPoint endPoint, Runnable onDisconnect) {
      this.endPoint = raw(endPoint);
      this.onDisconnect = onDisconnect;
    }

    synchronized void check() {
      if (closed || fired) {
        return;
      }
      if (disconnected()) {
        fired = true;
        onDisconnect.run();
      }
    }

    private boolean disconnected() {
      if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
        return true;
      }
      ByteBuffer buffer = BufferUtil.allocate(4096);
      try {
        return endPoint.fill(buffer) < 0;
      } catch (IOException e) {
        return true;
      }
    }

    /** Stops watching; after this returns the action will not start. */
    @Override public synchronized void close() {
      closed = true;
      watches.remove(this);
    }
  }

  DisconnectWatchdog(long periodMillis) {
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "junction-disconnect-watchdog");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::checkAll, periodMillis, periodMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Watches a request's connection until the returned watch is closed. */
  Watch watch(EndPoint endPoint, Runnable onDisconnect) {
    Watch w = new Watch(endPoint, onDisconnect);
    watches.add(w);
    return w;
  }

  private void checkAll() {
    for (Watch w : watches) {
      try {
        w.check();
      } catch (RuntimeException e) {
        // One bad connection must not stop the watchdog; the request finishes anyway.
      }
    }
  }

  private static EndPoint raw(EndPoint ep) {
    EndPoint e = ep;
    while (e instanceof SslConnection.DecryptedEndPoint d) {
      e = d.getSslConnection().getEndPoint();
    }
    return e;
  }

  @Override public void close() {
    timer.shutdownNow();
  }
}
