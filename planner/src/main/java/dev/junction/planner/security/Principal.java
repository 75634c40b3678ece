package dev.junction.planner.security;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The caller a statement runs for: the user name the server authenticated (or the
 * in-process {@code user} property), the groups and the attributes the policy file and,
 * behind the server, the caller's token give them.
 *
 * @param user the user name
 * @param groups the groups, from the policy file and the token
 * @param attributes attribute values by name, as text
 * @param secretAttributes names of attributes whose values are never written to the audit
 *     log or any message
 */
public record Principal(String user, Set<String> groups, Map<String, String> attributes,
    Set<String> secretAttributes) {

  /** Copies the collections (sorted, so equal principals print alike). */
  public Principal {
    groups = Set.copyOf(new TreeSet<>(groups));
    attributes = Map.copyOf(new TreeMap<>(attributes));
    secretAttributes = Set.copyOf(secretAttributes);
  }

  /** A caller with a name only. */
  public static Principal of(String user) {
    return new Principal(user, Set.of(), Map.of(), Set.of());
  }

  /** Whether the caller belongs to {@code group}. */
  public boolean isMember(String group) {
    return groups.contains(group);
  }

  /** The attributes whose values may be shown (in the audit log): all but secret ones. */
  public Map<String, String> shownAttributes() {
    Map<String, String> out = new TreeMap<>(attributes);
    out.keySet().removeAll(secretAttributes);
    return out;
  }

  /** Names the user and groups; attribute values are left out, some may be secret. */
  @Override public String toString() {
    return "Principal{user=" + user + ", groups=" + new TreeSet<>(groups) + ", attributes="
        + new TreeSet<>(attributes.keySet()) + "}";
  }
}
