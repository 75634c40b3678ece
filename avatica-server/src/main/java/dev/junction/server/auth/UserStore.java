package dev.junction.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users and their password hashes, from a users file and/or inline settings.
 *
 * <p>The users file has one {@code name:hash} line per user, as printed by
 * {@code junction hash-password NAME}; blank lines and lines starting with {@code #} are
 * ignored. An unknown user is checked against a dummy hash of the same cost, so unknown
 * user and wrong password take the same time.
 */
public final class UserStore {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");
  private final Map<String, PasswordHasher.Hash> users;
  private final PasswordHasher.Hash dummy;

  private UserStore(Map<String, PasswordHasher.Hash> users) {
    this.users = Map.copyOf(users);
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    int iterations = users.values().stream().mapToInt(PasswordHasher.Hash::iterations).max()
        .orElse(PasswordHasher.MIN_ITERATIONS);
    this.dummy = new PasswordHasher.Hash(iterations, salt, new byte[32]);
  }

  /**
   * Builds the store from a users file (may be null) and inline entries.
   *
   * @throws IllegalArgumentException listing every bad line or entry
   */
  public static UserStore load(Path usersFile, Map<String, String> inline) throws IOException {
    Map<String, PasswordHasher.Hash> users = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    if (usersFile != null) {
      List<String> lines = Files.readAllLines(usersFile, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(':');
        String where = usersFile + " line " + (i + 1);
        int control = PasswordHasher.firstControlCharacter(line.toCharArray());
        if (control >= 0) {
          problems.add(String.format(Locale.ROOT, "%s: contains a control character (U+%04X);"
              + " a line is name:hash as printed by 'junction hash-password', and passwords"
              + " with control characters are refused", where, (int) line.charAt(control)));
          continue;
        }
        if (colon <= 0) {
          problems.add(where + ": expected name:hash");
          continue;
        }
        add(users, problems, where, line.substring(0, colon), line.substring(colon + 1));
      }
    }
    inline.forEach((name, hash) -> add(users, problems, "auth.users." + name, name, hash));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid users: " + String.join("; ", problems));
    }
    return new UserStore(users);
  }

  private static void add(Map<String, PasswordHasher.Hash> users, List<String> problems,
      String where, String name, String hash) {
    if (!NAME.matcher(name).matches()) {
      problems.add(where + ": user name '" + name + "' is not allowed; allowed: 1-128 of"
          + " letters, digits, _ . @ -");
      return;
    }
    if (users.containsKey(name)) {
      problems.add(where + ": user '" + name + "' is defined twice");
      return;
    }
    try {
      users.put(name, PasswordHasher.parse(hash));
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
    }
  }

  /** How many users there are. */
  public int size() {
    return users.size();
  }

  /** The user's name if the password is right; empty otherwise, in the same time. */
  public Optional<String> verify(String name, char[] password) {
    PasswordHasher.Hash h = users.get(name);
    if (h == null) {
      dummy.matches(password);
      return Optional.empty();
    }
    return h.matches(password) ? Optional.of(name) : Optional.empty();
  }
}
