package dev.junction.adapters.jdbc;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Pattern;

/**
 * Runs a statement's optimistic form and, when it fails before its first row with an
 * error its dialect names ({@link PushdownDialect#optimisticFailure}), its exact form
 * instead. The optimistic form is only built for statements that end in a sort or an
 * aggregate, which the source computes whole before it returns a row, so no row has
 * reached the caller when the fallback happens. Called from generated code.
 */
public final class OptimisticEnumerable<T> extends AbstractEnumerable<T> {
  private static final Logger LOG = LoggerFactory.getLogger(OptimisticEnumerable.class);

  private final Enumerable<T> optimistic;
  private final Enumerable<T> exact;
  private final Pattern failure;

  private OptimisticEnumerable(Enumerable<T> optimistic, Enumerable<T> exact,
      Pattern failure) {
    this.optimistic = optimistic;
    this.exact = exact;
    this.failure = failure;
  }

  /** Rows of {@code optimistic}, or of {@code exact} when it fails as {@code failure} says. */
  public static <T> Enumerable<T> of(Enumerable<T> optimistic, Enumerable<T> exact,
      String failure) {
    return new OptimisticEnumerable<>(optimistic, exact, Pattern.compile(failure));
  }

  @Override public Enumerator<T> enumerator() {
    Enumerator<T> first = null;
    try {
      first = optimistic.enumerator();
      return new Primed<>(first, first.moveNext());
    } catch (RuntimeException e) {
      if (first != null) {
        try {
          first.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (!matches(e)) {
        throw e;
      }
      LOG.debug("Optimistic statement failed before its first row; sending its exact form",
          e);
      Enumerator<T> second = exact.enumerator();
      return new Primed<>(second, second.moveNext());
    }
  }

  private boolean matches(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && failure.matcher(t.getMessage()).find()) {
        return true;
      }
    }
    return false;
  }

  /** An enumerator whose first {@code moveNext} has already run. */
  private static final class Primed<T> implements Enumerator<T> {
    private final Enumerator<T> delegate;
    private boolean pending = true;
    private final boolean first;

    Primed(Enumerator<T> delegate, boolean first) {
      this.delegate = delegate;
      this.first = first;
    }

    @Override public T current() {
      return delegate.current();
    }

    @Override public boolean moveNext() {
      if (pending) {
        pending = false;
        return first;
      }
      return delegate.moveNext();
    }

    @Override public void reset() {
      pending = false;
      delegate.reset();
    }

    @Override public void close() {
      delegate.close();
    }
  }
}
