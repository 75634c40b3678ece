package dev.junction.adapters.jdbc;

import dev.junction.spi.QueryScope;

import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One statement reading ahead of its caller ({@link ReadAheadEnumerable}): a thread runs
 * it in a child of the query's scope ({@link QueryScope#fork}) and buffers its rows, at
 * most {@link #CAPACITY_ROWS}, until the caller takes them over ({@link #handOver}).
 *
 * <p>Design: the thread binds the child scope only while it is inside the source's
 * driver (opening the statement, reading a chunk of rows, closing), exactly as the caller
 * binds its scope per row, so everything that follows a statement sees it as the
 * caller's: its connection and statement are registered for cancel and release, rows are
 * metered against the query's limits, {@code EXPLAIN ANALYZE} measures it, and its SQL is
 * reported to {@link dev.junction.spi.RemoteQueries}. An error is kept and thrown to the
 * caller, after the rows before it, as the same exception the caller would have got.
 * The thread never waits for the caller while bound: when the buffer is full it waits
 * unbound, so releasing the query's scope closes the statement at once and wakes it. The
 * source's read-ahead place is given back when the caller takes the statement over (it is
 * then the caller's to read, as any statement it runs itself) or when the thread ends,
 * whichever comes first.
 */
final class ReadAhead<T> implements Runnable {
  /** Rows buffered per statement before its thread waits for the caller. */
  static final int CAPACITY_ROWS = 4096;
  /** Rows the thread reads per binding of its scope and hands over at once. */
  static final int CHUNK_ROWS = 256;
  /** Rows of the first chunk handed over early to a caller waiting for them. */
  static final int EARLY_ROWS = 32;
  /** How long rows wait to be handed over to a caller waiting for them, at most. */
  static final long EARLY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
  /**
   * Threads for statements reading ahead: as many as there are read-ahead places taken
   * over all sources ({@link SourceDataSource#tryReadAhead}), which bound it; idle ones end
   * after a minute.
   */
  private static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "junction-read-ahead-" + THREAD_NUMBER.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  private final Enumerable<T> delegate;
  private final SourceDataSource source;
  private final QueryScope scope;
  private final ReadAheads reads;
  private final AtomicBoolean placeHeld = new AtomicBoolean(true);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<List<T>> chunks = new ArrayDeque<>();
  private int bufferedRows;
  /** The thread read every row (or failed); guarded by {@link #lock}. */
  private boolean finished;
  private Throwable failure;
  /** Nobody will read the rows any more; guarded by {@link #lock}. */
  private boolean abandoned;
  /** The thread is releasing its own scope: its rows are not abandoned by it. */
  private boolean ending;
  /** The thread could not be started: the caller runs the statement itself. */
  private boolean notStarted;
  /** The caller waits for rows: the thread hands over a partial chunk. */
  private volatile boolean callerWaiting;

  ReadAhead(Enumerable<T> delegate, SourceDataSource source, QueryScope scope,
      ReadAheads reads) {
    this.delegate = delegate;
    this.source = source;
    this.scope = scope;
    this.reads = reads;
  }

  /** Starts the thread; when none can be started, the caller will run the statement. */
  void start() {
    scope.onRelease(this::abandon);
    try {
      THREADS.execute(this);
    } catch (RuntimeException e) {
      LOG.debug("No thread to read a statement ahead; it runs when reached", e);
      lock.lock();
      try {
        notStarted = true;
      } finally {
        lock.unlock();
      }
      endPlace();
      scope.release();
    }
  }

  @Override public void run() {
    Enumerator<T> rows = null;
    Throwable error = null;
    try {
      try (QueryScope.Binding ignored = scope.bind()) {
        rows = delegate.enumerator();
      }
      boolean more = true;
      boolean first = true;
      while (more && !isAbandoned()) {
        List<T> chunk = new ArrayList<>(CHUNK_ROWS);
        long started = 0;
        try (QueryScope.Binding ignored = scope.bind()) {
          while (chunk.size() < CHUNK_ROWS && (more = rows.moveNext())) {
            chunk.add(rows.current());
            if (callerWaiting) {
              // A waiting caller gets a partial chunk, but never row by row: a wake-up per
              // row cost more than the rows themselves. After the first chunk only rows
              // slow to come are handed over early: a caller that waits for a fast source
              // (a statement it reads itself, read ahead to overlap the driver's work)
              // would otherwise take 32 rows per wake-up and spend more on waking up than
              // on the rows.
              long now = System.nanoTime();
              if (started == 0) {
                started = now;
              } else if (first && chunk.size() >= EARLY_ROWS || now - started >= EARLY_NANOS) {
                break;
              }
            }
          }
        }
        if (!chunk.isEmpty() && !put(chunk)) {
          break;
        }
        first = false;
      }
    } catch (RuntimeException | Error e) {
      error = e;
    } finally {
      // The connection goes back before the caller sees the end, so a caller that read
      // every row finds the pool as it was.
      close(rows);
      endPlace();
      lock.lock();
      try {
        ending = true;
      } finally {
        lock.unlock();
      }
      scope.release();
      finish(error);
    }
  }

  private void close(Enumerator<T> rows) {
    if (rows == null) {
      return;
    }
    try (QueryScope.Binding ignored = scope.bind()) {
      rows.close();
    } catch (RuntimeException e) {
      LOG.debug("Closing a statement read ahead failed", e);
    }
  }

  private void endPlace() {
    if (placeHeld.compareAndSet(true, false)) {
      source.endReadAhead();
      reads.ended();
    }
  }

  private boolean isAbandoned() {
    lock.lock();
    try {
      return abandoned;
    } finally {
      lock.unlock();
    }
  }

  /** Buffers a chunk, waiting while the buffer is full; false when the rows were abandoned. */
  private boolean put(List<T> chunk) {
    lock.lock();
    try {
      while (!abandoned && bufferedRows >= CAPACITY_ROWS) {
        changed.awaitUninterruptibly();
      }
      if (abandoned) {
        return false;
      }
      chunks.addLast(chunk);
      bufferedRows += chunk.size();
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void finish(Throwable error) {
    lock.lock();
    try {
      finished = true;
      failure = error;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Nobody will read the rows: the thread stops at its next chunk and closes the statement. */
  private void abandon() {
    lock.lock();
    try {
      if (ending) {
        return;
      }
      abandoned = true;
      chunks.clear();
      bufferedRows = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The caller reached the statement: its rows, those buffered first. The read-ahead place
   * is given back, since the caller now reads the statement as one of its own.
   */
  Enumerator<T> handOver() {
    endPlace();
    lock.lock();
    try {
      if (notStarted) {
        return delegate.enumerator();
      }
    } finally {
      lock.unlock();
    }
    return new Rows();
  }

  /** The next chunk of rows, waiting for one; null after the last row. */
  private List<T> take() {
    lock.lock();
    try {
      while (chunks.isEmpty() && !finished) {
        callerWaiting = true;
        changed.awaitUninterruptibly();
      }
      callerWaiting = false;
      List<T> chunk = chunks.pollFirst();
      if (chunk != null) {
        bufferedRows -= chunk.size();
        changed.signalAll();
        return chunk;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The caller closed the statement's rows: if the thread is still reading, the statement is
   * cancelled in the source when it is executing, and its connection handed back.
   */
  private void closedByCaller() {
    lock.lock();
    try {
      if (finished) {
        return;
      }
    } finally {
      lock.unlock();
    }
    abandon();
    if (scope.isBound() && scope.openCount() > 0) {
      scope.cancel(QueryScope.Stop.CLOSED);
    }
    scope.release();
  }

  /** The rows as the caller reads them. */
  private final class Rows implements Enumerator<T> {
    private List<T> chunk = List.of();
    private int next;
    private T current;
    private boolean done;

    @Override public T current() {
      return current;
    }

    @Override public boolean moveNext() {
      if (done) {
        return false;
      }
      if (next == chunk.size()) {
        List<T> c = take();
        if (c == null) {
          done = true;
          current = null;
          return false;
        }
        chunk = c;
        next = 0;
      }
      current = chunk.get(next++);
      return true;
    }

    @Override public void reset() {
      throw new UnsupportedOperationException("a statement read ahead is read once");
    }

    @Override public void close() {
      if (!done) {
        done = true;
        closedByCaller();
      }
    }
  }

  @Override public String toString() {
    return "ReadAhead{" + source + "}";
  }
}
