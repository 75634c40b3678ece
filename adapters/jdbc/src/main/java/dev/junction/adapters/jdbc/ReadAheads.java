package dev.junction.adapters.jdbc;

import dev.junction.spi.QueryScope;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One query's statements that may read ahead ({@link ReadAheadEnumerable}): those bound
 * and not yet reached, and how many read ahead now, at most the scope's
 * {@link QueryScope#parallelReads}. Kept in the query's scope
 * ({@link QueryScope#attachment}).
 */
final class ReadAheads {
  private final QueryScope scope;
  private final int max;
  /** Bound, neither started nor reached, in the order they were bound. */
  private final List<ReadAheadEnumerable<?>> pending = new ArrayList<>();
  /** The caller has reached a statement: one bound from now on never reads ahead. */
  private boolean reading;
  private int running;

  ReadAheads(QueryScope scope) {
    this.scope = scope;
    this.max = scope.parallelReads();
  }

  /** Adds a bound statement; false once the query started reading (it runs lazily). */
  synchronized boolean register(ReadAheadEnumerable<?> statement) {
    if (reading) {
      return false;
    }
    pending.add(statement);
    return true;
  }

  /**
   * The caller reached {@code statement}: starts the others that may now read ahead, and
   * returns this one's read ahead for the caller to take over, or null when the caller
   * runs it (it never started and is not {@link ReadAheadEnumerable#pipelined} or not the
   * query's only statement, or was taken over before).
   */
  <T> ReadAhead<T> reached(ReadAheadEnumerable<T> statement) {
    List<ReadAhead<?>> starting = new ArrayList<>();
    ReadAhead<T> own;
    synchronized (this) {
      if (statement.unit && statement.started == null) {
        // The caller runs the unit itself; its first statement reached starts the others.
        pending.remove(statement);
        return null;
      }
      reading = true;
      boolean first = pending.remove(statement);
      own = statement.started;
      statement.started = null;
      // Only a query's sole statement: beside others read ahead, the cores are taken, and
      // TPC-H Q9 over three sources took 233 ms with it against 160 ms without.
      if (own == null && first && statement.pipelined && pending.isEmpty() && running == 0
          && scope.stopped() == null && statement.source.tryReadAhead()) {
        running++;
        own = readAhead(statement);
        starting.add(own);
      }
      for (Iterator<ReadAheadEnumerable<?>> it = pending.iterator();
          it.hasNext() && running < max;) {
        ReadAheadEnumerable<?> next = it.next();
        if (scope.stopped() == null && next.source.tryReadAhead()) {
          it.remove();
          running++;
          starting.add(start(next));
        }
      }
    }
    for (ReadAhead<?> r : starting) {
      r.start();
    }
    return own;
  }

  /** {@code statement}'s read ahead, kept for the caller to take over when it gets there. */
  private <T> ReadAhead<T> start(ReadAheadEnumerable<T> statement) {
    ReadAhead<T> r = readAhead(statement);
    statement.started = r;
    return r;
  }

  /** A read ahead of {@code statement} in a child of the query's scope, not yet started. */
  private <T> ReadAhead<T> readAhead(ReadAheadEnumerable<T> statement) {
    return new ReadAhead<>(statement.delegate, statement.source, scope.fork(), this);
  }

  /** A read ahead gave back its place (taken over, finished or abandoned). */
  synchronized void ended() {
    running--;
  }
}
