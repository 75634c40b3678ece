package dev.junction.driver.demo;

import java.nio.file.Path;

/** Placeholder until the demo generator lands. */
public final class DemoCatalog {
  private DemoCatalog() {
  }

  public static Path ensure() {
    throw new UnsupportedOperationException("demo not built yet");
  }
}
