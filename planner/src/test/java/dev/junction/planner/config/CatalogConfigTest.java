package dev.junction.planner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.spi.Secret;
import dev.junction.spi.SourceSpec;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The validated catalog value built in memory. */
class CatalogConfigTest {
  private static final String PASSWORD = "S3cr3t-Hunter2!";

  @Test void looksSourcesUpByExactNameAndKeepsOrder() {
    CatalogConfig config = new CatalogConfig(List.of(spec("b"), spec("a")), null);
    assertEquals(List.of("b", "a"), config.sources().stream().map(SourceSpec::name).toList());
    assertEquals("a", config.source("a").orElseThrow().name());
    assertTrue(config.source("A").isEmpty());
    assertTrue(config.source("c").isEmpty());
  }

  @Test void copiesTheSourceList() {
    List<SourceSpec> list = new ArrayList<>(List.of(spec("a")));
    CatalogConfig config = new CatalogConfig(list, Path.of("catalog.yaml"));
    list.add(spec("b"));
    assertEquals(1, config.sources().size());
    assertThrows(UnsupportedOperationException.class, () -> config.sources().add(spec("c")));
  }

  @Test void rejectsNamesThatDifferOnlyByCase() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CatalogConfig(List.of(spec("sales"), spec("SALES")), null));
    assertEquals("source 'SALES' conflicts with source 'sales'", e.getMessage());
  }

  @Test void warnsAboutSourcesNamedByReservedWords() {
    CatalogConfig config = new CatalogConfig(List.of(spec("user"), spec("Order"), spec("ref"),
        spec("dec"), spec("sales")), null);
    List<String> warnings = config.warnings();
    assertEquals(4, warnings.size(), warnings.toString());
    assertEquals("source 'user' is a reserved word in SQL: queries must write it in double"
        + " quotes (SELECT * FROM \"user\".schema.table); rename it to avoid that",
        warnings.get(0));
    assertTrue(warnings.get(1).startsWith("source 'Order' "), warnings.toString());
    assertTrue(new CatalogConfig(List.of(spec("sales")), null).warnings().isEmpty());
  }

  @Test void toStringShowsNamesAndTypesOnly() {
    CatalogConfig config = new CatalogConfig(List.of(spec("sales")), Path.of("c.yaml"));
    assertEquals("CatalogConfig{file=c.yaml, policy=null, sources=[sales (postgresql)]}",
        config.toString());
    assertFalse(config.toString().contains(PASSWORD));
  }

  private static SourceSpec spec(String name) {
    return new SourceSpec(name, "postgresql",
        Map.of("url", "jdbc:postgresql://h/db?password=" + PASSWORD, "password",
            Secret.of(PASSWORD)), List.of(), List.of(), Map.of(), Duration.ofMinutes(10));
  }
}
