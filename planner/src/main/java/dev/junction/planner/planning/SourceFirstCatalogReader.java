package dev.junction.planner.planning;

import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.validate.SqlNameMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Calcite's catalog reader with names resolved from the root first: a table name whose
 * first part is a source ({@code crm.tpch.part}) resolves in that source, and only a name
 * the root does not know ({@code orders}, {@code public.orders}) is looked up under the
 * connection's default schema.
 *
 * <p>Calcite looks under the default schema first and at the root after. With a source
 * as the default schema, every qualified name made Calcite ask that source for a
 * sub-schema named like the name's first part, so it connected to a source the query
 * never named, and a query on a healthy source failed while the default one was down.
 * The root's children are the mounted sources, known without connecting, so looking
 * there first touches no source a name does not start with. Functions are still resolved
 * in Calcite's order (sources have none).
 */
final class SourceFirstCatalogReader extends CalciteCatalogReader {
  private final List<List<String>> rootFirst;

  private SourceFirstCatalogReader(CalciteSchema rootSchema, SqlNameMatcher nameMatcher,
      List<List<String>> schemaPaths, RelDataTypeFactory typeFactory,
      CalciteConnectionConfig config) {
    super(rootSchema, nameMatcher, schemaPaths, typeFactory, config);
    List<List<String>> paths = new ArrayList<>();
    paths.add(List.of());
    for (List<String> path : schemaPaths) {
      if (!path.isEmpty() && !paths.contains(path)) {
        paths.add(List.copyOf(path));
      }
    }
    this.rootFirst = List.copyOf(paths);
  }

  /** The reader Junction plans with, over the same schemas and default path as {@code r}. */
  static CalciteCatalogReader of(Prepare.CatalogReader r) {
    if (r instanceof SourceFirstCatalogReader || !(r instanceof CalciteCatalogReader c)) {
      return (CalciteCatalogReader) r;
    }
    return new SourceFirstCatalogReader(c.getRootSchema(), c.nameMatcher(),
        c.getSchemaPaths(), c.getTypeFactory(), c.getConfig());
  }

  /** The root, then the default schema path Calcite would have tried first. */
  @Override public List<List<String>> getSchemaPaths() {
    return rootFirst;
  }

  @Override public CalciteCatalogReader withSchemaPath(List<String> schemaPath) {
    return new SourceFirstCatalogReader(rootSchema, nameMatcher,
        List.of(schemaPath, List.of()), typeFactory, config);
  }
}
