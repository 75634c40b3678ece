package dev.junction.planner.config;

import java.nio.file.Path;

/**
 * Where the audit trail goes (the catalog's {@code audit:} section).
 *
 * @param destination where each statement's JSON line is written
 * @param file the file for {@link Destination#FILE}, else null
 * @param maxFileBytes the size at which the file is rotated
 * @param maxFiles how many rotated files are kept besides the current one
 * @param failClosed whether a statement fails when its audit line cannot be written
 *     ({@code on-failure: fail}, the default) or runs anyway ({@code on-failure: continue})
 */
public record AuditSettings(Destination destination, Path file, long maxFileBytes,
    int maxFiles, boolean failClosed) {
  /** The default size at which the audit file is rotated: 100 MB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 100L * 1024 * 1024;
  /** The default number of rotated audit files kept. */
  public static final int DEFAULT_MAX_FILES = 10;
  /** Audit lines to the log (logger {@code junction.audit}), failing closed. */
  public static final AuditSettings DEFAULT =
      new AuditSettings(Destination.LOG, null, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, true);

  /** Where audit lines go. */
  public enum Destination {
    /** The SLF4J logger {@code junction.audit}, at INFO. */
    LOG,
    /** A file of JSON lines, rotated by size. */
    FILE,
    /** Nowhere: auditing is off. */
    NONE
  }
}
