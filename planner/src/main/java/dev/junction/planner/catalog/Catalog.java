package dev.junction.planner.catalog;

import dev.junction.planner.config.CatalogConfig;
import dev.junction.planner.limits.LimitRules;
import dev.junction.planner.limits.Limits;
import dev.junction.planner.security.Principal;
import dev.junction.planner.security.PolicyHolder;
import dev.junction.planner.security.PolicyLoader;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Source;
import dev.junction.spi.SourceAdapter;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.schema.SchemaPlus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The opened sources of one catalog file. Sources are opened without connecting and are
 * shared by every connection that uses the catalog; each becomes a sub-schema of a
 * connection's root schema under its own name.
 */
public final class Catalog implements AutoCloseable {
  private final CatalogConfig config;
  private final Map<String, Source> sources;
  private final PolicyHolder policy;

  private Catalog(CatalogConfig config, Map<String, Source> sources, PolicyHolder policy) {
    this.config = config;
    this.sources = Collections.unmodifiableMap(sources);
    this.policy = policy;
  }

  /** The adapters on the classpath, found with {@link ServiceLoader}. */
  public static List<SourceAdapter> adapters() {
    List<SourceAdapter> list = new ArrayList<>();
    ServiceLoader.load(SourceAdapter.class, Catalog.class.getClassLoader()).forEach(list::add);
    return list;
  }

  /**
   * Opens every source of a validated configuration, and loads its policy.
   *
   * @throws JunctionException when the policy file cannot be loaded: a catalog whose
   *     policy is broken does not open, rather than opening without one
   */
  public static Catalog open(CatalogConfig config) {
    PolicyHolder policy = config.policy() == null ? null
        : new PolicyHolder(config.policy(), PolicyLoader::load, System::nanoTime);
    Map<String, SourceAdapter> byType = new LinkedHashMap<>();
    for (SourceAdapter a : adapters()) {
      byType.put(a.type(), a);
    }
    Map<String, Source> sources = new LinkedHashMap<>();
    try {
      for (SourceSpec spec : config.sources()) {
        SourceAdapter adapter = byType.get(spec.type());
        if (adapter == null) {
          throw new JunctionException(ErrorCode.CONFIG_INVALID, "source '" + spec.name()
              + "': no adapter for type '" + spec.type() + "'; available: " + byType.keySet());
        }
        sources.put(spec.name(), adapter.open(spec));
      }
    } catch (RuntimeException e) {
      sources.values().forEach(Source::close);
      throw e;
    }
    return new Catalog(config, sources, policy);
  }

  /** The access-control policy, or empty when the catalog is open to every caller. */
  public Optional<PolicyHolder> policy() {
    return Optional.ofNullable(policy);
  }

  /**
   * The limits in force for a caller: the catalog's {@code limits:} refined by the policy's
   * (as loaded now: a reload applies to the next query).
   */
  public Limits limits(Principal p) {
    LimitRules rules = config.limits();
    if (policy != null) {
      rules = rules.withPolicy(policy.current().limits());
    }
    return rules.forPrincipal(p);
  }

  /** The configuration this catalog was opened from. */
  public CatalogConfig config() {
    return config;
  }

  /** The sources by name, in file order. */
  public Map<String, Source> sources() {
    return sources;
  }

  /** Mounts every source under {@code root}. */
  public void mount(SchemaPlus root) {
    for (Source s : sources.values()) {
      SchemaPlus mounted = root.add(s.name(), s.schema());
      // The source caches metadata with its own TTL; Calcite's cache would never expire.
      mounted.setCacheEnabled(false);
    }
  }

  /** Forgets cached remote metadata of every source. */
  public void refresh() {
    sources.values().forEach(Source::refresh);
  }

  @Override public void close() {
    RuntimeException first = null;
    for (Source s : sources.values()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
