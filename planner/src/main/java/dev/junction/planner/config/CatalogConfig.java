package dev.junction.planner.config;

import dev.junction.planner.limits.LimitRules;
import dev.junction.spi.SourceSpec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A validated catalog: the sources to federate, in the order the file lists them. Built by
 * {@link CatalogConfigLoader}; the planner opens one source per {@link SourceSpec}.
 *
 * @param sources the sources in file order; names are unique ignoring case, because each
 *     becomes a SQL schema name
 * @param file the catalog file the sources were read from, or null for in-memory YAML
 * @param policy the access-control policy file ({@code policy:}), or null when the catalog
 *     is open to every caller
 * @param audit where the audit trail goes
 * @param limits the catalog's {@code limits:} section, which the policy's limits refine
 * @param cache the result cache ({@code cache:} and each source's {@code cache-ttl})
 */
public record CatalogConfig(List<SourceSpec> sources, Path file, Path policy,
    AuditSettings audit, LimitRules limits, CacheSettings cache) {

  /** A catalog without a policy, auditing to the log. */
  public CatalogConfig(List<SourceSpec> sources, Path file) {
    this(sources, file, null, AuditSettings.DEFAULT, LimitRules.NONE, CacheSettings.OFF);
  }

  /** A catalog without limits and without a result cache. */
  public CatalogConfig(List<SourceSpec> sources, Path file, Path policy,
      AuditSettings audit) {
    this(sources, file, policy, audit, LimitRules.NONE, CacheSettings.OFF);
  }

  /** Copies the sources and rejects names that would collide as schema names. */
  public CatalogConfig {
    sources = List.copyOf(sources);
    audit = audit == null ? AuditSettings.DEFAULT : audit;
    limits = limits == null ? LimitRules.NONE : limits;
    cache = cache == null ? CacheSettings.OFF : cache;
    Map<String, String> seen = new HashMap<>();
    for (SourceSpec s : sources) {
      String previous = seen.putIfAbsent(s.name().toLowerCase(Locale.ROOT), s.name());
      if (previous != null) {
        throw new IllegalArgumentException("source '" + s.name()
            + "' conflicts with source '" + previous + "'");
      }
    }
  }

  /** The source with exactly this name, as written in the catalog file. */
  public Optional<SourceSpec> source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * What is valid but will trip users up: a source named by a reserved SQL word
   * ({@code user}, {@code order}, {@code ref}, {@code dec}) works only in double quotes.
   * {@code junction check} prints these.
   */
  public List<String> warnings() {
    return sources.stream().map(SourceSpec::name)
        .filter(dev.junction.planner.planning.ReservedWords::isReserved)
        .map(n -> "source '" + n + "' is a reserved word in SQL: queries must write it in"
            + " double quotes (SELECT * FROM \"" + n + "\".schema.table); rename it to"
            + " avoid that")
        .toList();
  }

  /**
   * Names the file and the sources with their types only: a string setting may hold text
   * read from an environment variable or a file, so no setting value is shown.
   */
  @Override public String toString() {
    return "CatalogConfig{file=" + file + ", policy=" + policy + ", sources=" + sources.stream()
        .map(s -> s.name() + " (" + s.type() + ")")
        .collect(Collectors.joining(", ", "[", "]")) + "}";
  }
}
