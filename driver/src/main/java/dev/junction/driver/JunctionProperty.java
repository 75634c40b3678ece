package dev.junction.driver;

import org.apache.calcite.avatica.ConnectionProperty;
import org.apache.calcite.avatica.ConnectionConfigImpl;

import java.util.Properties;

/**
 * The connection properties Junction adds to Calcite's, each with its name, type and
 * default. They may be given in the URL ({@code jdbc:junction:config=/x.yaml}) or as
 * {@link java.util.Properties}.
 */
public enum JunctionProperty implements ConnectionProperty {
  /** Path of the catalog YAML file. */
  CONFIG("config", Type.STRING, null),
  /** Use the bundled demo catalog; {@code jdbc:junction:demo} sets it. */
  DEMO("demo", Type.BOOLEAN, false),
  /** The caller's name, as seen by CURRENT_USER (default: the JVM's user.name). */
  USER("user", Type.STRING, null),
  /**
   * Groups the caller belongs to besides those the policy file gives them, comma-separated.
   * The server sets it from the caller's token ({@code auth.jwt.groups-claim}) and drops
   * what a client sends; in-process, the application is trusted to set it.
   */
  GROUPS("groups", Type.STRING, null),
  /**
   * Attributes of the caller besides those the policy file gives them, as a JSON object of
   * names to strings, numbers or booleans. Set by the server from token claims
   * ({@code auth.jwt.attribute-claims}); in-process, by the application.
   */
  ATTRIBUTES("attributes", Type.STRING, null),
  /** The caller's network address, for the audit log; set by the server. */
  CLIENT_ADDRESS("clientAddress", Type.STRING, null),
  /**
   * Show the policy's own predicates in EXPLAIN instead of {@code <row filter>} and
   * {@code <mask>} placeholders: for {@code junction policy explain}; never set by the
   * server.
   */
  REVEAL_POLICY("revealPolicy", Type.BOOLEAN, false),
  /**
   * What this connection's statements do with the catalog's result cache: {@code default}
   * (cached as the catalog's TTLs say), {@code bypass} (never read or stored) or
   * {@code force} (cached even where a source's TTL is 0). A statement's
   * {@code /*+ result_cache(bypass|force) *}{@code /} hint overrides it.
   */
  RESULT_CACHE("resultCache", Type.STRING, "default");

  private final String camelName;
  private final Type type;
  private final Object defaultValue;

  JunctionProperty(String camelName, Type type, Object defaultValue) {
    this.camelName = camelName;
    this.type = type;
    this.defaultValue = defaultValue;
  }

  @Override public String camelName() {
    return camelName;
  }

  @Override public Object defaultValue() {
    return defaultValue;
  }

  @Override public Type type() {
    return type;
  }

  @Override public Class valueClass() {
    return type.defaultValueClass();
  }

  @Override public ConnectionConfigImpl.PropEnv wrap(Properties properties) {
    return new ConnectionConfigImpl.PropEnv(
        ConnectionConfigImpl.parse(properties, null), this);
  }

  @Override public boolean required() {
    return false;
  }
}
