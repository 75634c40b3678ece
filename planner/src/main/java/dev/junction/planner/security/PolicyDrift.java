package dev.junction.planner.security;

import dev.junction.config.Texts;
import dev.junction.planner.types.JunctionTypeSystem;
import dev.junction.spi.Source;

import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.lookup.LikePattern;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How a policy has drifted from the sources it governs, for {@code junction check}: rules
 * that match no table, filters and masks that no longer compile against the tables they
 * govern, {@code columns:} entries naming no column, and columns of governed tables that
 * their rule does not mention (a column added to a source is visible, unmasked, to every
 * caller the rule lets read the table, so each one is reported until the policy
 * acknowledges it with {@code name: {allow: true}}).
 *
 * <p>Design: the sources are listed once, visiting only the schemas and tables some rule
 * may cover. Filters and masks are compiled by {@link RuleCompiler}, the path enforcement
 * takes when a caller reads the table, for two callers: one holding every attribute the
 * expression reads and one holding none (whose filter enforcement turns into FALSE, but
 * only once it compiled). A rule is judged against every table its patterns match, even
 * where an earlier rule decides first for some callers: that depends on who calls, and a
 * broken rule is worth fixing before a caller meets it.
 */
public final class PolicyDrift {
  /** The user name filters and masks are compiled for; it only fixes the literal's type. */
  private static final String CHECK_USER = "junction-check";
  /** An attribute value for compiling: values enter as literals of the same type. */
  private static final String PLACEHOLDER = "x";
  /** How many table names a message lists before it counts the rest. */
  private static final int NAMED_TABLES = 3;

  private PolicyDrift() {
  }

  /** How serious a finding is. */
  public enum Severity {
    /** The policy does not do what it says: {@code check} fails. */
    ERROR,
    /** Worth a look; {@code check} still succeeds. */
    NOTICE
  }

  /**
   * One thing found.
   *
   * @param severity error or notice
   * @param line the line in the policy file, or 0 when it concerns a source rather than a
   *     line (a source that could not be listed)
   * @param message what is wrong and, where it helps, what to do
   */
  public record Finding(Severity severity, int line, String message) {
    /** Checks the fields. */
    public Finding {
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(message, "message");
    }

    /** Whether this is an error. */
    public boolean isError() {
      return severity == Severity.ERROR;
    }
  }

  /** Checks {@code policy} against every source, listing each one. */
  public static List<Finding> check(Policy policy, Collection<Source> sources) {
    return check(policy, sources, Set.of());
  }

  /**
   * Checks {@code policy} against the sources.
   *
   * @param sources the catalog's sources
   * @param unreachable names of sources already known to be down: they are not listed
   *     (a notice says so), and no rule that may cover one is said to match nothing
   * @return the findings, by line (those without a line first), errors before notices on
   *     the same line
   */
  public static List<Finding> check(Policy policy, Collection<Source> sources,
      Set<String> unreachable) {
    return new Run(policy, sources, unreachable).run();
  }

  /** A table of a source, by the names the catalog has for it. */
  private record TableName(String source, String schema, String table) {
    @Override public String toString() {
      return source + "." + schema + "." + table;
    }
  }

  /** A source (schema null) or one of its schemas that could not be listed. */
  private record Unlisted(String source, String schema) {
  }

  /** One check: the listing of the sources and the findings so far. */
  private static final class Run {
    private final Policy policy;
    private final List<Source> sources;
    private final Set<String> unreachable;
    private final List<Finding> findings = new ArrayList<>();
    /** Remote schemas by source and their tables, of the schemas some rule may cover. */
    private final Map<String, Map<String, List<String>>> listing = new TreeMap<>();
    /** Sources or schemas that could not be listed: nothing is concluded about them. */
    private final Set<Unlisted> unlisted = new LinkedHashSet<>();
    private final Map<TableName, Table> tables = new HashMap<>();
    private final Map<TableName, RelDataType> rowTypes = new HashMap<>();
    private final RelDataTypeFactory typeFactory =
        new JavaTypeFactoryImpl(JunctionTypeSystem.INSTANCE);
    private final RelOptCluster cluster = RelOptCluster.create(
        new HepPlanner(HepProgram.builder().build()), new RexBuilder(typeFactory));

    Run(Policy policy, Collection<Source> sources, Set<String> unreachable) {
      this.policy = policy;
      this.sources = List.copyOf(sources);
      this.unreachable = Set.copyOf(unreachable);
    }

    List<Finding> run() {
      list();
      for (PolicyRule rule : policy.rules()) {
        check(rule);
      }
      List<Finding> out = new ArrayList<>(findings);
      out.sort(Comparator.comparingInt(Finding::line)
          .thenComparing(Finding::severity));
      return List.copyOf(out);
    }

    private void error(int line, String message) {
      findings.add(new Finding(Severity.ERROR, line, message));
    }

    private void notice(int line, String message) {
      findings.add(new Finding(Severity.NOTICE, line, message));
    }

    /** Lists what some rule may cover; a failure is reported once, per source or schema. */
    private void list() {
      for (Source source : sources) {
        String name = source.name();
        if (unreachable.contains(name)) {
          unlisted.add(new Unlisted(name, null));
          if (policy.rules().stream().anyMatch(r -> r.covers(name, null, null))) {
            notice(0, "source '" + name + "' is unreachable; the rules that may cover it"
                + " were not checked against it");
          }
          continue;
        }
        if (policy.rules().stream().noneMatch(r -> r.covers(name, null, null))) {
          listing.put(name, Map.of());
          continue;
        }
        Map<String, List<String>> schemas = new TreeMap<>();
        Set<String> schemaNames;
        try {
          schemaNames = new TreeSet<>(source.schema().subSchemas().getNames(LikePattern.any()));
        } catch (RuntimeException e) {
          unlisted.add(new Unlisted(name, null));
          error(0, "source '" + name + "' could not be listed (" + describe(e) + "); the"
              + " rules that may cover it were not checked against it");
          continue;
        }
        for (String schemaName : schemaNames) {
          if (policy.rules().stream().noneMatch(r -> r.covers(name, schemaName, null))) {
            schemas.put(schemaName, List.of());
            continue;
          }
          try {
            Schema schema = source.schema().subSchemas().get(schemaName);
            List<String> names = new ArrayList<>(new TreeSet<>(
                schema == null ? Set.of() : schema.tables().getNames(LikePattern.any())));
            for (String t : names) {
              tables.put(new TableName(name, schemaName, t), schema.tables().get(t));
            }
            schemas.put(schemaName, names);
          } catch (RuntimeException e) {
            unlisted.add(new Unlisted(name, schemaName));
            error(0, "schema " + name + "." + schemaName + " could not be listed ("
                + describe(e) + "); the rules that may cover it were not checked against it");
          }
        }
        listing.put(name, schemas);
      }
    }

    /** Whether a rule may cover something that could not be listed. */
    private boolean mayCoverUnlisted(PolicyRule rule) {
      return unlisted.stream().anyMatch(u -> rule.covers(u.source(), u.schema(), null));
    }

    private void check(PolicyRule rule) {
      List<TableName> matched = new ArrayList<>();
      listing.forEach((source, schemas) -> schemas.forEach((schema, names) -> {
        for (String t : names) {
          if (rule.covers(source, schema, t)) {
            matched.add(new TableName(source, schema, t));
          }
        }
      }));
      if (matched.isEmpty()) {
        if (!mayCoverUnlisted(rule)) {
          error(rule.line(), "rule matches no table: " + whyNothing(rule)
              + "; a typo, or a dropped table");
        }
        return;
      }
      if (!rule.read()) {
        return;
      }
      boolean governing = rule.filter() != null || !rule.columns().isEmpty();
      Map<String, Boolean> columnSeen = new TreeMap<>();
      rule.columns().keySet().forEach(k -> columnSeen.put(k, false));
      Set<String> allColumns = new TreeSet<>();
      boolean allDescribed = true;
      for (TableName t : matched) {
        RelDataType rowType = rowType(t);
        if (rowType == null) {
          allDescribed = false;
          continue;
        }
        List<RexNode> fields = new ArrayList<>();
        for (RelDataTypeField f : rowType.getFieldList()) {
          fields.add(cluster.getRexBuilder().makeInputRef(f.getType(), f.getIndex()));
          allColumns.add(f.getName());
        }
        if (rule.filter() != null) {
          String failure = compile(rule.filter(), rowType, fields, RuleCompiler::filter);
          if (failure != null) {
            error(rule.line(), "row filter does not compile against " + t + " (" + failure
                + "): the table cannot be read under this rule");
          }
        }
        for (RelDataTypeField f : rowType.getFieldList()) {
          PolicyRule.ColumnRule c = rule.column(f.getName());
          if (c != null) {
            columnSeen.put(f.getName().toLowerCase(Locale.ROOT), true);
            if (c.allowed() && c.mask() != null) {
              String failure = compile(c.mask(), rowType, fields, RuleCompiler::mask);
              if (failure != null) {
                error(c.line(), "mask of column '" + f.getName() + "' does not compile"
                    + " against " + t + " (" + failure + "): the table cannot be read under"
                    + " this rule");
              }
            }
          } else if (governing) {
            notice(rule.line(), "column '" + f.getName() + "' of " + t + " is not mentioned"
                + " by the rule at line " + rule.line() + ": it is visible unmasked to that"
                + " rule's callers; add `" + f.getName() + ": {allow: true}` to acknowledge"
                + " it");
          }
        }
      }
      if (allDescribed) {
        columnSeen.forEach((key, seen) -> {
          if (!seen) {
            PolicyRule.ColumnRule c = rule.columns().get(key);
            error(c.line(), "column '" + c.name() + "' is in no table the rule at line "
                + rule.line() + " matches (" + names(matched) + ")"
                + Texts.didYouMean(c.name(), allColumns) + "; a typo, or a renamed or"
                + " dropped column" + (c.allowed() ? "" : ", whose new name is not hidden"));
          }
        });
      }
    }

    /** A table's row type, or null (reported once) when the source cannot describe it. */
    private RelDataType rowType(TableName t) {
      if (rowTypes.containsKey(t)) {
        return rowTypes.get(t);
      }
      RelDataType type = null;
      try {
        Table table = tables.get(t);
        if (table == null) {
          throw new IllegalStateException("it disappeared while being checked");
        }
        type = table.getRowType(typeFactory);
      } catch (RuntimeException e) {
        error(0, "table " + t + " could not be described (" + describe(e)
            + "); the rules that match it were not checked against its columns");
      }
      rowTypes.put(t, type);
      return type;
    }

    /**
     * Compiles an expression as enforcement would for a caller with every attribute it
     * reads and for one with none; the first failure, or null.
     */
    private String compile(String sql, RelDataType rowType, List<RexNode> fields,
        Compiler compiler) {
      Set<String> attributes;
      try {
        attributes = RuleCompiler.attributes(sql);
      } catch (RuntimeException e) {
        return describe(e);
      }
      Map<String, String> values = new TreeMap<>();
      attributes.forEach(a -> values.put(a, PLACEHOLDER));
      Principal holding = new Principal(CHECK_USER, Set.of(), values, Set.of());
      String failure = compileFor(sql, holding, rowType, fields, compiler);
      if (failure != null || attributes.isEmpty()) {
        return failure;
      }
      failure = compileFor(sql, Principal.of(CHECK_USER), rowType, fields, compiler);
      return failure == null ? null : "for a caller without attribute"
          + (attributes.size() == 1 ? " " : "s ") + String.join(", ", attributes) + ": "
          + failure;
    }

    private String compileFor(String sql, Principal principal, RelDataType rowType,
        List<RexNode> fields, Compiler compiler) {
      try {
        compiler.compile(sql, principal, rowType, fields, cluster);
        return null;
      } catch (RuntimeException e) {
        return describe(e);
      }
    }

    /** Why a rule that matches no table matches none: the first name level that fails. */
    private String whyNothing(PolicyRule rule) {
      List<String> sourceNames = new ArrayList<>(listing.keySet());
      List<String> coveredSources = sourceNames.stream()
          .filter(s -> rule.covers(s, null, null)).toList();
      if (coveredSources.isEmpty() && rule.source() == null) {
        return "the catalog has no source";
      }
      if (coveredSources.isEmpty()) {
        return "source " + quote(rule.source()) + " matches no source of the catalog"
            + hint(rule.source(), sourceNames);
      }
      List<String> schemaNames = new ArrayList<>();
      List<String> coveredSchemas = new ArrayList<>();
      for (String s : coveredSources) {
        for (String schema : listing.get(s).keySet()) {
          schemaNames.add(schema);
          if (rule.covers(s, schema, null)) {
            coveredSchemas.add(s + "." + schema);
          }
        }
      }
      if (coveredSchemas.isEmpty() && rule.schema() == null) {
        return String.join(", ", coveredSources) + " list no schema";
      }
      if (coveredSchemas.isEmpty()) {
        return "schema " + quote(rule.schema()) + " matches no schema of "
            + (coveredSources.size() == 1 ? "source " : "sources ")
            + String.join(", ", coveredSources) + hint(rule.schema(), schemaNames);
      }
      List<String> tableNames = new ArrayList<>();
      for (String s : coveredSources) {
        listing.get(s).forEach((schema, names) -> {
          if (rule.covers(s, schema, null)) {
            tableNames.addAll(names);
          }
        });
      }
      if (rule.table() == null) {
        return abbreviate(coveredSchemas) + (coveredSchemas.size() == 1 ? " has" : " have")
            + " no table";
      }
      return "table " + quote(rule.table()) + " matches no table of "
          + abbreviate(coveredSchemas) + hint(rule.table(), tableNames);
    }

    private static String quote(Pattern p) {
      return "'" + p.pattern() + "'";
    }

    private static String hint(Pattern p, Collection<String> names) {
      return p == null ? "" : Texts.didYouMean(p.pattern(), new TreeSet<>(names));
    }

    private static String names(List<TableName> tables) {
      return abbreviate(tables.stream().map(TableName::toString).toList());
    }

    private static String abbreviate(List<String> names) {
      if (names.size() <= NAMED_TABLES) {
        return String.join(", ", names);
      }
      return String.join(", ", names.subList(0, NAMED_TABLES)) + " and "
          + (names.size() - NAMED_TABLES) + " more";
    }
  }

  /** {@link RuleCompiler#filter} or {@link RuleCompiler#mask}. */
  @FunctionalInterface
  private interface Compiler {
    RexNode compile(String sql, Principal principal, RelDataType rowType,
        List<RexNode> fields, RelOptCluster cluster);
  }

  /** An exception's message for a finding: one line, and its type when it has none. */
  private static String describe(RuntimeException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : Texts.oneLine(m);
  }
}
