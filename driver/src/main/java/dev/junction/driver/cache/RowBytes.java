package dev.junction.driver.cache;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Estimates the heap a cached row takes, for the cache's byte bound: object headers,
 * references and each value's payload as a 64-bit JVM with compressed references lays
 * them out. An estimate, erring high: a String counts its characters as two bytes even
 * when the JVM stores them in one.
 */
final class RowBytes {
  /** An object header. */
  static final int HEADER = 16;
  /** A reference. */
  static final int REF = 4;

  private RowBytes() {
  }

  /** The estimated size of one row as the plan's enumerable yields it. */
  static long of(Object row) {
    if (row instanceof Object[] values) {
      long size = HEADER + (long) REF * values.length;
      for (Object v : values) {
        size += value(v);
      }
      return size + REF;
    }
    return REF + value(row);
  }

  private static long value(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof String s) {
      return HEADER + 8 + HEADER + 2L * s.length();
    }
    if (v instanceof BigDecimal d) {
      return HEADER + 16 + bigInteger(d.unscaledValue());
    }
    if (v instanceof BigInteger i) {
      return bigInteger(i);
    }
    if (v instanceof byte[] b) {
      return HEADER + b.length;
    }
    if (v instanceof Object[] a) {
      long size = HEADER + (long) REF * a.length;
      for (Object e : a) {
        size += value(e);
      }
      return size;
    }
    if (v instanceof java.util.List<?> l) {
      long size = HEADER * 2 + (long) REF * l.size();
      for (Object e : l) {
        size += value(e);
      }
      return size;
    }
    if (v instanceof java.util.Date) {
      return HEADER + 16;
    }
    // Boxed numbers, booleans, characters and small value objects.
    return HEADER + 8;
  }

  private static long bigInteger(BigInteger i) {
    return HEADER + 16 + HEADER + 4L * ((i.bitLength() + 31) / 32);
  }
}
