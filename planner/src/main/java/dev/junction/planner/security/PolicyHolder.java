package dev.junction.planner.security;

import dev.junction.spi.JunctionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The policy in force for one catalog, reloaded when its file changes. At most once per
 * {@link #CHECK_INTERVAL_NANOS} a caller asking for the policy also looks at the file's
 * modification time and size; when either changed the file is loaded again. A file that
 * no longer loads is reported (with every problem and its line) and the policy in force
 * stays; it is not retried until the file changes again. Statements already prepared keep
 * the rules they were planned with.
 */
public final class PolicyHolder {
  /** How often the file is looked at: once a second. */
  public static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(PolicyHolder.class);

  private final Path file;
  private final Function<Path, Policy> loader;
  private final LongSupplier nanoTime;
  private volatile Policy policy;
  private volatile String stamp;
  private volatile long nextCheck;
  private volatile long version;

  /**
   * Loads the policy for the first time.
   *
   * @param loader reads a policy file; throws {@link JunctionException} when it is invalid
   * @param nanoTime the clock, {@link System#nanoTime} outside tests
   * @throws JunctionException when the file cannot be loaded: a catalog whose policy
   *     cannot be read does not open
   */
  public PolicyHolder(Path file, Function<Path, Policy> loader, LongSupplier nanoTime) {
    this.file = Objects.requireNonNull(file, "file");
    this.loader = loader;
    this.nanoTime = nanoTime;
    this.stamp = stamp(file);
    this.policy = loader.apply(file);
    this.nextCheck = nanoTime.getAsLong() + CHECK_INTERVAL_NANOS;
  }

  /** The policy file. */
  public Path file() {
    return file;
  }

  /** How many times the policy was replaced since the catalog opened. */
  public long version() {
    return version;
  }

  /** The policy in force, loading the file again first if it changed. */
  public Policy current() {
    long now = nanoTime.getAsLong();
    if (now - nextCheck >= 0) {
      reloadIfChanged(now);
    }
    return policy;
  }

  private synchronized void reloadIfChanged(long now) {
    if (now - nextCheck < 0) {
      return;
    }
    nextCheck = now + CHECK_INTERVAL_NANOS;
    String s = stamp(file);
    if (s.equals(stamp)) {
      return;
    }
    stamp = s;
    try {
      policy = loader.apply(file);
      version++;
      LOG.info("policy {} reloaded: {} users, {} rules", file, policy.users().size(),
          policy.rules().size());
    } catch (JunctionException e) {
      LOG.error("policy {} changed but cannot be loaded; the previous policy stays in force"
          + " until the file is fixed: {}", file, e.getMessage());
    }
  }

  /** The file's modification time and size, or a marker when it cannot be read. */
  private static String stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + "/" + a.size();
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
