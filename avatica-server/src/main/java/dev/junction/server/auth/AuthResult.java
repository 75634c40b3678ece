package dev.junction.server.auth;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The outcome of authenticating one HTTP request. */
public sealed interface AuthResult {
  /**
   * Authenticated and allowed: the request runs as {@code principal}, with the groups and
   * attributes its token gave (none for a password login or without authentication).
   *
   * @param principal the caller's name
   * @param groups groups from the token's {@code auth.jwt.groups-claim}, in token order,
   *     without duplicates
   * @param attributes attribute values as text, from {@code auth.jwt.attribute-claims}
   * @param ignoredClaims names of attribute claims left out because their value was an
   *     object or an array (never their values), for a warning
   */
  record Ok(String principal, List<String> groups, Map<String, String> attributes,
      List<String> ignoredClaims) implements AuthResult {
    /** Copies the collections; attributes are sorted by name. */
    public Ok {
      Objects.requireNonNull(principal);
      groups = List.copyOf(groups);
      attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
      ignoredClaims = List.copyOf(ignoredClaims);
    }

    /** A caller with a name only. */
    public Ok(String principal) {
      this(principal, List.of(), Map.of(), List.of());
    }
  }

  /** No credentials were sent: 401 with a challenge, not counted as a failure. */
  record Missing() implements AuthResult {
  }

  /** Wrong credentials: 401, counted and audited. {@code user} may be null. */
  record Failed(String user, String method, String reason) implements AuthResult {
  }

  /** Too many failures from this address: 429 until the window ends. */
  record Throttled() implements AuthResult {
  }

  /** Authenticated but not allowed to connect: 403. */
  record Forbidden(String principal) implements AuthResult {
  }
}
