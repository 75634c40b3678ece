package dev.junction.spi;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A child scope ({@link QueryScope#fork}) as statements read ahead on other threads use it. */
class QueryScopeTest {
  @Test
  void childAnswersItsParentsIdentityAndMeters() {
    QueryScope parent = new QueryScope();
    parent.parallelReads(3);
    QueryScope child = parent.fork();
    parent.identify("q1", "ana");
    RemoteStats stats = RemoteStats.rowsOnly();
    parent.collect(stats);
    QueryScope.FetchMeter meter = (source, bytes) -> { };
    parent.meter(meter);
    assertEquals("q1", child.queryId());
    assertEquals("ana", child.user());
    assertSame(stats, child.stats());
    assertSame(meter, child.meter());
    assertEquals(3, parent.parallelReads());
    assertEquals(0, child.parallelReads(), "a child never reads ahead itself");
  }

  @Test
  void cancelAndReleaseReachChildren() {
    QueryScope parent = new QueryScope();
    QueryScope child = parent.fork();
    AtomicInteger released = new AtomicInteger();
    child.onRelease(released::incrementAndGet);
    parent.cancel(QueryScope.Stop.CANCELLED);
    assertEquals(QueryScope.Stop.CANCELLED, child.stopped());
    parent.release();
    assertEquals(1, released.get());
  }

  @Test
  void childReleaseWaitsForItsBinding() {
    QueryScope parent = new QueryScope();
    QueryScope child = parent.fork();
    AtomicInteger released = new AtomicInteger();
    child.onRelease(released::incrementAndGet);
    try (QueryScope.Binding ignored = child.bind()) {
      assertSame(child, QueryScope.current());
      parent.release();
      assertEquals(0, released.get(), "not while its thread is inside the source's driver");
    }
    assertEquals(1, released.get());
    assertNull(QueryScope.current());
  }

  @Test
  void forkOfAStoppedScopeStartsStopped() {
    QueryScope parent = new QueryScope();
    parent.cancel(QueryScope.Stop.TIMED_OUT);
    assertEquals(QueryScope.Stop.TIMED_OUT, parent.fork().stopped());
  }

  @Test
  void attachmentIsCreatedOnce() {
    QueryScope scope = new QueryScope();
    StringBuilder first = scope.attachment(StringBuilder.class, StringBuilder::new);
    assertSame(first, scope.attachment(StringBuilder.class, StringBuilder::new));
  }
}
