package dev.junction.driver;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Named;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a statement could have meant when it names an unknown table or column, for
 * the did-you-mean of {@link Errors}: for a table, the names at the level where lookup
 * failed (the sources, or the schemas and tables of the schema named before it); for a
 * column, the columns of the tables in the statement's FROM clauses. Only schemas the
 * statement itself named (or the connection's default) are listed, so a suggestion never
 * reaches a source the statement does not use.
 */
final class NameCandidates implements Errors.Names {
  private static final SqlParser.Config PARSER = SqlParser.config()
      .withUnquotedCasing(Casing.UNCHANGED).withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false).withConformance(SqlConformanceEnum.LENIENT);

  private final SchemaPlus root;
  private final List<String> sources;
  private final List<String> defaultPath;
  private final RelDataTypeFactory typeFactory;
  private final String sql;

  NameCandidates(SchemaPlus root, List<String> sources, List<String> defaultPath,
      RelDataTypeFactory typeFactory, String sql) {
    this.root = root;
    this.sources = sources;
    this.defaultPath = defaultPath;
    this.typeFactory = typeFactory;
    this.sql = sql;
  }

  @Override public Collection<String> tables(String within) {
    Set<String> out = new LinkedHashSet<>();
    if (within == null) {
      out.addAll(sources);
      Schema start = schema(root, defaultPath);
      if (start != null && start != root) {
        addChildren(start, out);
      }
      return out;
    }
    List<String> path = List.of(within.split("\\."));
    Schema s = schema(schema(root, defaultPath), path);
    if (s == null) {
      s = schema(root, path);
    }
    if (s != null) {
      addChildren(s, out);
    }
    return out;
  }

  @Override public Collection<String> columns(String tableAlias) {
    Set<String> out = new LinkedHashSet<>();
    for (TableRef ref : fromTables()) {
      if (tableAlias != null && !ref.alias().equalsIgnoreCase(tableAlias)) {
        continue;
      }
      Table t = table(ref.names());
      if (t != null) {
        for (RelDataTypeField f : t.getRowType(typeFactory).getFieldList()) {
          out.add(f.getName());
        }
      }
    }
    return out;
  }

  private static void addChildren(Schema s, Set<String> out) {
    out.addAll(s.subSchemas().getNames(LikePattern.any()));
    out.addAll(s.tables().getNames(LikePattern.any()));
  }

  /** The schema at {@code path} below {@code start}, matched ignoring case, or null. */
  private static Schema schema(Schema start, List<String> path) {
    Schema s = start;
    for (String part : path) {
      if (s == null) {
        return null;
      }
      Named<? extends Schema> next = s.subSchemas().getIgnoreCase(part);
      s = next == null ? null : next.entity();
    }
    return s;
  }

  /** A table named as in a FROM clause: within the default schema first, then in full. */
  private Table table(List<String> names) {
    List<String> schemaPath = names.subList(0, names.size() - 1);
    String name = names.get(names.size() - 1);
    List<Schema> starts = new ArrayList<>();
    if (!defaultPath.isEmpty()) {
      starts.add(schema(schema(root, defaultPath), schemaPath));
    }
    starts.add(schema(root, schemaPath));
    for (Schema s : starts) {
      Named<Table> t = s == null ? null : s.tables().getIgnoreCase(name);
      if (t != null) {
        return t.entity();
      }
    }
    return null;
  }

  /** A table in a FROM clause: its name as written and the alias it is known by. */
  private record TableRef(List<String> names, String alias) {
  }

  /** The tables of every FROM clause of the statement, subqueries included. */
  private List<TableRef> fromTables() {
    SqlNode statement;
    try {
      statement = SqlParser.create(sql, PARSER).parseStmt();
    } catch (SqlParseException e) {
      return List.of();
    }
    List<TableRef> out = new ArrayList<>();
    statement.accept(new SqlBasicVisitor<Void>() {
      @Override public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getFrom() != null) {
          from(select.getFrom(), out);
        }
        return super.visit(call);
      }
    });
    return out;
  }

  private static void from(SqlNode node, List<TableRef> out) {
    if (node instanceof SqlJoin join) {
      from(join.getLeft(), out);
      from(join.getRight(), out);
    } else if (node instanceof SqlBasicCall call && call.getKind() == SqlKind.AS
        && call.operand(0) instanceof SqlIdentifier id
        && call.operand(1) instanceof SqlIdentifier alias) {
      out.add(new TableRef(id.names, alias.getSimple()));
    } else if (node instanceof SqlIdentifier id && !id.isStar()) {
      out.add(new TableRef(id.names, id.names.get(id.names.size() - 1)));
    }
  }
}
