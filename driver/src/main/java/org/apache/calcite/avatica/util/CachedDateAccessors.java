package org.apache.calcite.avatica.util;

import java.sql.Date;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * Gives DATE columns of a result set an accessor that remembers the {@link Date} instant
 * of each day it has returned. It lives in Avatica's package because the accessor it
 * replaces, {@code DateFromNumberAccessor}, is package-private.
 *
 * <p>Avatica builds every DATE value with {@link Date#valueOf(LocalDate)}, whose
 * deprecated year-month-day constructor normalizes through a Gregorian calendar and the
 * time zone's transitions: a sixth of the time of reading TPC-H lineitem through Junction.
 * A column holds few distinct days, so the instant is computed once per day (exactly as
 * {@link DateTimeUtils#unixDateToSqlDate(int, Calendar)} computes it) and remembered in a
 * direct-mapped table of {@link #SLOTS} days (a {@code HashMap<Integer, Long>} cost a
 * third of the read in boxing and hashing); each value is a new {@link Date} of that
 * instant, since a caller may change the one it gets.
 */
public final class CachedDateAccessors {
  /** Slots of a column's memory of days: a day is remembered in slot {@code day % SLOTS}. */
  static final int SLOTS = 4_096;

  private CachedDateAccessors() {
  }

  /**
   * {@code accessors} with each DATE accessor replaced by one that remembers its days;
   * {@code localCalendar} is the one the result set created them with.
   */
  public static List<Cursor.Accessor> of(List<Cursor.Accessor> accessors,
      Calendar localCalendar) {
    List<Cursor.Accessor> result = null;
    for (int i = 0; i < accessors.size(); i++) {
      Cursor.Accessor accessor = accessors.get(i);
      if (accessor.getClass() == AbstractCursor.DateFromNumberAccessor.class) {
        if (result == null) {
          result = new ArrayList<>(accessors);
        }
        result.set(i, new Accessor(((AbstractCursor.AccessorImpl) accessor).getter,
            localCalendar));
      }
    }
    return result == null ? accessors : result;
  }

  /** A DATE column's accessor that computes each day's instant once per time zone. */
  static final class Accessor extends AbstractCursor.DateFromNumberAccessor {
    private final int[] days = new int[SLOTS];
    private final long[] instants = new long[SLOTS];
    private final boolean[] filled = new boolean[SLOTS];
    /** The result set's own calendar, which nothing changes: its zone is read once. */
    private final Calendar localCalendar;
    private TimeZone localZone;
    private TimeZone zone;

    Accessor(AbstractCursor.Getter getter, Calendar localCalendar) {
      super(getter, localCalendar);
      this.localCalendar = localCalendar;
    }

    @Override public Date getDate(Calendar calendar) throws SQLException {
      Number v = getNumber();
      if (v == null) {
        return null;
      }
      return date(v.intValue(), calendar, calendar == null ? null : calendar.getTimeZone());
    }

    /** {@code day} as {@code getObject} answers it, in the result set's own calendar. */
    Date localDate(int day) {
      TimeZone z = localZone;
      if (z == null && localCalendar != null) {
        z = localZone = localCalendar.getTimeZone();
      }
      return date(day, localCalendar, z);
    }

    private Date date(int day, Calendar calendar, TimeZone z) {
      if (z != zone) {
        Arrays.fill(filled, false);
        zone = z;
      }
      int slot = Math.floorMod(day, SLOTS);
      if (!filled[slot] || days[slot] != day) {
        days[slot] = day;
        instants[slot] = DateTimeUtils.unixDateToSqlDate(day, calendar).getTime();
        filled[slot] = true;
      }
      return new Date(instants[slot]);
    }
  }
}
