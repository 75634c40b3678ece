package org.apache.calcite.avatica.util;

import org.junit.jupiter.api.Test;

import java.sql.Date;
import java.sql.SQLException;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The remembering DATE accessor returns what Avatica's own accessor returns. */
class CachedDateAccessorsTest {

  /** A getter over one changeable value, as a cursor's current row would be. */
  private static final class Value implements AbstractCursor.Getter {
    Object value;

    @Override public Object getObject() {
      return value;
    }

    @Override public boolean wasNull() {
      return value == null;
    }
  }

  @Test
  void sameDatesAsAvaticaInEveryZone() throws SQLException {
    TimeZone original = TimeZone.getDefault();
    try {
      for (String id : List.of("UTC", "America/Sao_Paulo", "Asia/Kolkata", "Europe/Berlin",
          "Pacific/Apia")) {
        TimeZone.setDefault(TimeZone.getTimeZone(id));
        Calendar local = Calendar.getInstance(TimeZone.getTimeZone(id), Locale.ROOT);
        Value value = new Value();
        CachedDateAccessors.Accessor cached = new CachedDateAccessors.Accessor(value, local);
        AbstractCursor.DateFromNumberAccessor avatica =
            new AbstractCursor.DateFromNumberAccessor(value, local);
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        // Twice over each day: once computed, once remembered.
        for (int pass = 0; pass < 2; pass++) {
          for (int day = -800_000; day < 2_933_000; day += 997) {
            value.value = day;
            assertEquals(avatica.getObject(), cached.getObject(), id + " day " + day);
            assertEquals(avatica.getDate(utc), cached.getDate(utc), id + " day " + day);
          }
          // 2011-12-30 never happened in Samoa; 2018-11-04 had no midnight in Sao Paulo.
          for (int day : new int[] {15_338, 17_839, 0, -1}) {
            value.value = day;
            assertEquals(avatica.getObject(), cached.getObject(), id + " day " + day);
          }
        }
      }
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @Test
  void nullsAndFreshInstances() throws SQLException {
    Value value = new Value();
    CachedDateAccessors.Accessor cached = new CachedDateAccessors.Accessor(value,
        Calendar.getInstance(Locale.ROOT));
    assertNull(cached.getObject());
    value.value = 19_000;
    Date first = (Date) cached.getObject();
    Date second = (Date) cached.getObject();
    assertEquals(first, second);
    assertNotSame(first, second);
    first.setTime(0);
    assertEquals(second, cached.getObject());
  }
}
