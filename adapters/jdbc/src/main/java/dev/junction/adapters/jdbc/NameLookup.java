package dev.junction.adapters.jdbc;

import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A Calcite {@link Lookup} over a cached set of remote names. A case-insensitive lookup
 * prefers the exact spelling and otherwise takes the single name that matches ignoring
 * case, so {@code ORDERS} finds {@code orders} while {@code "Orders"} still finds a table
 * spelled exactly so when both exist.
 */
final class NameLookup<T> implements Lookup<T> {
  private final Supplier<Collection<String>> names;
  private final Function<String, T> loader;

  NameLookup(Supplier<Collection<String>> names, Function<String, T> loader) {
    this.names = names;
    this.loader = loader;
  }

  @Override public T get(String name) {
    return names.get().contains(name) ? loader.apply(name) : null;
  }

  @Override public Named<T> getIgnoreCase(String name) {
    Collection<String> all = names.get();
    if (all.contains(name)) {
      return new Named<>(name, loader.apply(name));
    }
    String lower = name.toLowerCase(Locale.ROOT);
    String found = null;
    for (String candidate : all) {
      if (candidate.toLowerCase(Locale.ROOT).equals(lower)) {
        if (found != null) {
          return null;
        }
        found = candidate;
      }
    }
    return found == null ? null : new Named<>(found, loader.apply(found));
  }

  @Override public Set<String> getNames(LikePattern pattern) {
    var matcher = pattern.matcher();
    return names.get().stream().filter(matcher::apply).collect(Collectors.toSet());
  }
}
