package dev.junction.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A YAML file read strictly, remembering where each value was written.
 *
 * <p>Design: SnakeYAML's {@link SafeConstructor} builds plain maps and lists, but with a
 * resolver that keeps every plain scalar a string (only {@code null} and merge keys are
 * recognised). YAML 1.1 would otherwise turn {@code password: 0123} into 83,
 * {@code issuer: yes} into {@code true} and {@code 1:30} into 90; here the declared type
 * of each key converts the text. An explicit tag ({@code !!int 90}) is honoured, Java type
 * tags are refused, and duplicate keys are an error. The constructor records the node of
 * every map and list it builds, so a problem can name the line of the key it is about.
 * A syntax error is described by position only: SnakeYAML's own message quotes the
 * offending line, and that line may hold a password. For the same reason a value that does
 * not fit its explicit tag ({@code !!int hunter2}) is reported by position and tag, not by
 * the Java exception its constructor threw, whose message quotes the value.
 */
public final class YamlDocument {
  private final Object root;
  private final Map<Object, Node> nodes;

  private YamlDocument(Object root, Map<Object, Node> nodes) {
    this.root = root;
    this.nodes = nodes;
  }

  /**
   * Reads YAML text; on a syntax error records one problem (by position, never quoting the
   * text) and returns null.
   */
  public static YamlDocument parse(String text, Problems problems) {
    Objects.requireNonNull(text, "text");
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    DumperOptions dumper = new DumperOptions();
    LocatingConstructor constructor = new LocatingConstructor(options);
    Yaml yaml = new Yaml(constructor, new Representer(dumper), dumper, options,
        new StringScalarResolver());
    try {
      Object root = yaml.load(text);
      return new YamlDocument(root, constructor.nodes);
    } catch (YAMLException e) {
      problems.add(line(e), describe(e));
      return null;
    } catch (RuntimeException e) {
      // SnakeYAML lets some scanner failures through unwrapped: a hexadecimal escape cut
      // short by the end of the text fails in Integer.parseInt. Its message may quote the
      // text, so only the exception's class is shown.
      problems.add(0, "invalid YAML: the text cannot be read ("
          + e.getClass().getSimpleName() + ")");
      return null;
    } catch (StackOverflowError e) {
      // Hashing a map key whose content refers to itself through an alias recurses without
      // end ({@code ? {a: &x [*x]} : v}); the nesting limit does not see it.
      problems.add(0, "invalid YAML: a key refers to itself through an alias or nests too"
          + " deeply");
      return null;
    }
  }

  /** The top-level value: null, a string, a map, a list, or a value with an explicit tag. */
  public Object root() {
    return root;
  }

  /** The 1-based line where {@code container} (a map or list of this document) starts, or 0. */
  public int line(Object container) {
    Node node = container == null ? null : nodes.get(container);
    return node == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /**
   * The 1-based line of {@code key} in the map {@code map}, or of item {@code key} (an
   * Integer) in the list {@code map}; the container's own line when the key is not there.
   */
  public int line(Object map, Object key) {
    Node node = map == null ? null : nodes.get(map);
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && matches(k, key)) {
          return k.getStartMark().getLine() + 1;
        }
      }
    } else if (node instanceof SequenceNode s && key instanceof Integer i
        && i >= 0 && i < s.getValue().size()) {
      return s.getValue().get(i).getStartMark().getLine() + 1;
    }
    return line(map);
  }

  private static boolean matches(ScalarNode k, Object key) {
    if (key == null) {
      return Tag.NULL.equals(k.getTag());
    }
    return key.toString().equals(k.getValue()) && !Tag.NULL.equals(k.getTag());
  }

  private static int line(YAMLException e) {
    if (e instanceof MarkedYAMLException m) {
      Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
      return mark == null ? 0 : mark.getLine() + 1;
    }
    return 0;
  }

  /** Describes a YAML error by position only. */
  static String describe(YAMLException e) {
    if (e instanceof MarkedYAMLException m) {
      Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
      StringBuilder b = new StringBuilder("invalid YAML");
      if (mark != null) {
        b.append(" at ").append(position(mark));
      }
      b.append(": ").append(m.getProblem() != null ? Texts.oneLine(m.getProblem())
          : "syntax error");
      if (m.getContext() != null) {
        b.append(" (").append(Texts.oneLine(m.getContext()));
        if (m.getContextMark() != null && m.getContextMark() != mark) {
          b.append(" at ").append(position(m.getContextMark()));
        }
        b.append(')');
      }
      return b.toString();
    }
    if (e instanceof ReaderException r) {
      return String.format(Locale.ROOT, "invalid YAML at character %d: character U+%04X is"
          + " not allowed", r.getPosition() + 1, r.getCodePoint());
    }
    return "invalid YAML: " + Texts.oneLine(String.valueOf(e.getMessage()));
  }

  private static String position(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  /** Remembers the node each map and list was built from. */
  private static final class LocatingConstructor extends SafeConstructor {
    private final Map<Object, Node> nodes = new IdentityHashMap<>();

    LocatingConstructor(LoaderOptions options) {
      super(options);
    }

    @Override protected Object constructObject(Node node) {
      Object o;
      try {
        o = super.constructObject(node);
      } catch (YAMLException e) {
        throw e;
      } catch (RuntimeException e) {
        // !!int abc, !!binary @@, !!map [a]: SnakeYAML lets the Java exception through.
        throw new TagMismatchException(node);
      }
      if (o instanceof Map || o instanceof List) {
        nodes.putIfAbsent(o, node);
      }
      return o;
    }
  }

  /** A value its explicit tag cannot construct, described by position and tag only. */
  private static final class TagMismatchException extends MarkedYAMLException {
    private static final long serialVersionUID = 1L;

    TagMismatchException(Node node) {
      super(null, null, "the value does not fit its tag " + shortTag(node.getTag()),
          node.getStartMark());
    }

    private static String shortTag(Tag tag) {
      String value = tag.getValue();
      return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length())
          : value;
    }
  }

  /**
   * Recognises only {@code null} and merge keys, so every other plain scalar stays the
   * string that was written and the declared type decides how to read it.
   */
  private static final class StringScalarResolver extends Resolver {
    @Override protected void addImplicitResolvers() {
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }
}
