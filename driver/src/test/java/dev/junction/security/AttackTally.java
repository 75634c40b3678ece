package dev.junction.security;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts passed attacks by adapter, caller and attack class, from test names of the form
 * {@code ADAPTER as user: class: SQL}, and logs the table when the test class is done: the
 * report the enforcement work is read against.
 */
public final class AttackTally implements TestWatcher, AfterAllCallback {
  private static final Logger LOG = LoggerFactory.getLogger(AttackTally.class);
  private static final Pattern NAME = Pattern.compile("^(\\w+) as (\\w+): ([^:]+):");

  /** adapter and user, then class, then {passed, run}. */
  private final Map<String, Map<String, int[]>> counts = new TreeMap<>();

  @Override public void testSuccessful(ExtensionContext context) {
    record(context, true);
  }

  @Override public void testFailed(ExtensionContext context, Throwable cause) {
    record(context, false);
  }

  private synchronized void record(ExtensionContext context, boolean passed) {
    Matcher m = NAME.matcher(context.getDisplayName());
    if (!m.find()) {
      return;
    }
    int[] n = counts.computeIfAbsent(m.group(1) + " as " + m.group(2),
        k -> new LinkedHashMap<>()).computeIfAbsent(m.group(3), k -> new int[2]);
    n[0] += passed ? 1 : 0;
    n[1]++;
  }

  @Override public synchronized void afterAll(ExtensionContext context) {
    StringBuilder b = new StringBuilder("policy attack results in ")
        .append(context.getDisplayName()).append(" (passed/run):");
    counts.forEach((who, byClass) -> {
      int passed = byClass.values().stream().mapToInt(n -> n[0]).sum();
      int run = byClass.values().stream().mapToInt(n -> n[1]).sum();
      b.append("\n  ").append(who).append(": ").append(passed).append('/').append(run);
      byClass.forEach((c, n) -> b.append("; ").append(c).append(' ').append(n[0])
          .append('/').append(n[1]));
    });
    LOG.info(b.toString());
  }
}
