package dev.junction.planner.security;

import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reloading the policy file: changes apply, broken files do not, at most once a second. */
class PolicyHolderTest {
  private final AtomicLong now = new AtomicLong();
  private int loads;

  /** A loader reading "users: N" as a policy of N users, and refusing "broken". */
  private Policy load(Path file) {
    loads++;
    try {
      String text = Files.readString(file).trim();
      if (text.equals("broken")) {
        throw new JunctionException(ErrorCode.CONFIG_INVALID, "line 1: broken");
      }
      int n = Integer.parseInt(text);
      Map<String, Policy.User> users = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        users.put("u" + i, new Policy.User("u" + i, i + 1, List.of(), Map.of(),
            java.util.Set.of()));
      }
      return new Policy(file, users, List.of());
    } catch (IOException e) {
      throw new JunctionException(ErrorCode.CONFIG_INVALID, "unreadable", e);
    }
  }

  private static void write(Path file, String text, long millis) throws IOException {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.fromMillis(millis));
  }

  @Test void aChangedFileIsLoadedOnTheNextCheckAndABrokenOneKeepsThePolicyInForce(
      @TempDir Path dir) throws IOException {
    Path file = dir.resolve("policy.yaml");
    write(file, "1", 1_000);
    PolicyHolder holder = new PolicyHolder(file, this::load, now::get);
    Policy first = holder.current();
    assertEquals(1, first.users().size());

    write(file, "2", 2_000);
    assertSame(first, holder.current(), "not looked at again within the interval");
    now.addAndGet(PolicyHolder.CHECK_INTERVAL_NANOS);
    assertEquals(2, holder.current().users().size());
    assertEquals(1, holder.version());

    Policy second = holder.current();
    write(file, "broken", 3_000);
    now.addAndGet(PolicyHolder.CHECK_INTERVAL_NANOS);
    assertSame(second, holder.current(), "a broken file leaves the policy in force");
    int loadsAfterBroken = loads;
    now.addAndGet(PolicyHolder.CHECK_INTERVAL_NANOS);
    holder.current();
    assertEquals(loadsAfterBroken, loads, "a broken file is not loaded again until it changes");

    write(file, "3", 4_000);
    now.addAndGet(PolicyHolder.CHECK_INTERVAL_NANOS);
    assertEquals(3, holder.current().users().size());
  }

  @Test void aCatalogWhosePolicyCannotBeLoadedDoesNotOpen(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("policy.yaml");
    write(file, "broken", 1_000);
    assertThrows(JunctionException.class, () -> new PolicyHolder(file, this::load, now::get));
  }
}
