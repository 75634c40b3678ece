package dev.junction.planner.security;

import dev.junction.planner.limits.LimitRules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated policy file: who is who ({@link #users()}) and what they may read
 * ({@link #rules()}, first match wins, no match means no access). Immutable; a changed file
 * is loaded into a new instance ({@link PolicyHolder}).
 *
 * @param file the file it was read from, or null for text held in memory
 * @param users the users the file names, by name
 * @param rules the rules in file order
 * @param limits the {@code limits:} section (defaults, users, groups), without the
 *     catalog's part
 */
public record Policy(Path file, Map<String, User> users, List<PolicyRule> rules,
    LimitRules limits) {

  /** Copies the map and list. */
  public Policy {
    users = Map.copyOf(users);
    rules = List.copyOf(rules);
    limits = limits == null ? LimitRules.NONE : limits;
  }

  /** A policy without limits. */
  public Policy(Path file, Map<String, User> users, List<PolicyRule> rules) {
    this(file, users, rules, LimitRules.NONE);
  }

  /**
   * A user of the policy file.
   *
   * @param name the user name
   * @param line its line in the file
   * @param groups the groups the file puts the user in
   * @param attributes attribute values as text
   * @param secretAttributes names of attributes written as {@code {secret: value}}
   */
  public record User(String name, int line, List<String> groups,
      Map<String, String> attributes, Set<String> secretAttributes) {
    /** Copies the collections. */
    public User {
      groups = List.copyOf(groups);
      attributes = Map.copyOf(attributes);
      secretAttributes = Set.copyOf(secretAttributes);
    }

    /** Names the user, groups and attribute names; values may be secret and are left out. */
    @Override public String toString() {
      return "User{name=" + name + ", line=" + line + ", groups=" + groups + ", attributes="
          + new java.util.TreeSet<>(attributes.keySet()) + "}";
    }
  }

  /**
   * The caller {@code user} with the groups and attributes this file gives them, merged
   * with those the server took from the caller's token ({@code tokenGroups},
   * {@code tokenAttributes}; the file wins where both set an attribute).
   */
  public Principal principal(String user, Collection<String> tokenGroups,
      Map<String, String> tokenAttributes) {
    Set<String> groups = new HashSet<>(tokenGroups);
    Map<String, String> attributes = new HashMap<>(tokenAttributes);
    Set<String> secret = new HashSet<>();
    User u = users.get(user);
    if (u != null) {
      groups.addAll(u.groups());
      attributes.putAll(u.attributes());
      secret.addAll(u.secretAttributes());
    }
    return new Principal(user, groups, attributes, secret);
  }

  /** The first rule that applies to this caller and table, if any. */
  public Optional<PolicyRule> rule(Principal p, String source, String schema, String table) {
    for (PolicyRule r : rules) {
      if (r.appliesTo(p) && r.covers(source, schema, table)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The rule that lets this caller read the table, or empty when it may not. */
  public Optional<PolicyRule> readRule(Principal p, String source, String schema,
      String table) {
    return rule(p, source, schema, table).filter(PolicyRule::read);
  }

  /** The rules that apply to this caller, in order. */
  public List<PolicyRule> rulesFor(Principal p) {
    List<PolicyRule> out = new ArrayList<>();
    for (PolicyRule r : rules) {
      if (r.appliesTo(p)) {
        out.add(r);
      }
    }
    return out;
  }
}
