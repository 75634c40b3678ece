package dev.junction.planner.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.config.ConfigProblem;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Seeded random mutations of valid policies: every input either loads or fails with an
 * {@link InvalidPolicyException} whose problems each have a message and a plausible line,
 * never with another exception, and no message shows a secret's value.
 *
 * <p>Inputs come three ways: text mutations of a valid file (lines deleted, duplicated or
 * swapped; characters deleted, duplicated or swapped; YAML syntax characters, NUL and
 * other unicode inserted; indentation changed; the text cut short), mutations of the
 * policy's structure written back as YAML (a wrong type in any position, keys removed,
 * added, misspelt or differing by case, invalid regular expressions, broken SQL, deep
 * nesting, huge strings, explicit tags, self-referring aliases, a secret moved anywhere),
 * and both. Each case has its own seed, printed when it fails, so it can be replayed.
 */
class PolicyLoaderFuzzTest {
  private static final long SEED = 0x5EC0_F11EL;
  private static final int CASES = 3_000;
  private static final String[] SECRETS = {"Qx7-fuzz-secret-Wv", "s3cr3t-Pz9-kk"};

  private static final String[] KEYS = {"users", "rules", "groups", "attributes", "secret",
    "user", "group", "source", "schema", "table", "allow", "filter", "columns", "mask",
    "Users", "RULES", "tabel", "alow", "grups", "atributes", "filtre", "colums", "mask ",
    " allow", "", "ssn", "SSN", "Card_Number", "x", "<<", "İd", "caf\u00e9", "\u202Eevil"};
  private static final String[] RAW_KEYS = {"~", "!!int 7", "\"\"", "' '", "[a, b]",
    "{k: v}", "!!bool true", "? x"};
  private static final String[] RAW_VALUES = {"!!int 7", "!!float 1.5", "!!bool true",
    "!!binary aGk=", "!!timestamp 2001-12-14", "!!set {a, b}", "!!null ''", "!!str 5",
    "!!int zz", "!!float x", "&rec [*rec]", "&recm {a: *recm}", "!!omap [a: 1]",
    "!!pairs [a: 1, a: 2]", "!!int 99999999999999999999999", "!!map [a]", "!!seq {a: b}",
    "*undefined", "!custom x", "!!python/object x", "!!java.io.File x", "&an x", "[*an]",
    "{<<: {allow: read}}", "{<<: x}", "!!binary '@@'", "~", "null", "NO", "0x1F", "1e3",
    "1:30", "2024-01-02", ".nan", "-", "'", "\"unterminated", "[unclosed", "{a: b", "|",
    ">"};
  private static final String[] BAD_REGEX = {"(", ")", "[", "*", "+a", "a{2,1}", "\\",
    "(?<n>", "\\p{Nope}", "(?", "[z-a]", "a**", "(?i", "x{99999999999}", "\\k<nope>",
    "(".repeat(3_000) + "a" + ")".repeat(3_000), "[^]", "\\Q", "(?<=a+)b", "\u0000",
    ".*", "", " ", "customers|products", "ORDERS", "caf\u00e9", "\uD800"};
  private static final String[] BAD_SQL = {"", " ", "a =", "(SELECT 1)", "ATTRIBUTE(1)",
    "ATTRIBUTE('a', 'b')", "IS_MEMBER()", "a.b", "*", "t.*", "'unterminated", "1 +", "CASE",
    "CASE WHEN a THEN END", "x IN (SELECT 1)", "EXISTS (SELECT 1)", "a = ?", "\"", "/* open",
    "-- only a comment", "DATE 'abc'", "_foo'x'", "U&'\\XXXX'", "X'0Z'", "1e", "a b c",
    "NOT", "(".repeat(5_000) + "1" + ")".repeat(5_000), "1" + " + 1".repeat(5_000),
    "NOT ".repeat(5_000) + "TRUE", "region = ATTRIBUTE('region')", "CURRENT_USER = owner",
    "IS_MEMBER('admins') OR region = 'EU'", "\u0000", "caf\u00e9 = 'x'", "\"a\"\"b\" = 1",
    "\uD800 = 1", "a = 'x' AND", "LOWER(email)", "{fn ABS(1)}", "ROW(1, 2)"};
  private static final String[] SYNTAX = {":", ": ", "-", "- ", "[", "]", "{", "}", ",",
    "#", " #", "&", "&a ", "*", "*a", "!", "!!", "!!int ", "|", ">", "'", "\"", "%", "@",
    "`", "?", "? ", "\t", "\n", " ", "  ", "<<: ", "<<: *a", "---\n", "...\n", "\r", "\\",
    "~", "%YAML 1.1\n", "!<tag:x> "};
  private static final String[] UNICODE = {"\u0000", "\uFEFF", "\u2028", "\u2029",
    "\u0085", "\uD800", "\uDFFF", "\uD83D\uDE00", "\u0130", "\u00DF", "\u202E", "\u0301",
    "\u00A0", "\u3000", "\u0007", "\u001B", "\u007F", "\u0090", "\uFFFE", "\uFFFF",
    "\\0", "\\x00", "\\u0000", "\\U0001F600", "\\uD800"};

  /** How many cases loaded and were refused, and how many secret checks refused ones made. */
  private int loaded;
  private int refused;
  private int refusedWithSecret;

  @Test void mutatedPoliciesLoadOrGiveProblems() {
    Random seeds = new Random(SEED);
    for (int i = 0; i < CASES; i++) {
      long caseSeed = seeds.nextLong();
      String input = new Mutator(new Random(caseSeed)).input();
      check("case " + i + " (seed " + caseSeed + "L)", input);
    }
    // The mutations should neither always break the file nor never break it.
    assertTrue(loaded >= CASES / 20, "only " + loaded + " of " + CASES + " cases loaded");
    assertTrue(refused >= CASES / 2, "only " + refused + " of " + CASES + " were refused");
    assertTrue(refusedWithSecret >= CASES / 4, "only " + refusedWithSecret + " of " + CASES
        + " secret checks were made on refused inputs");
  }

  @Test void theUnmutatedPoliciesLoad() {
    Random random = new Random(SEED);
    for (int i = 0; i < 50; i++) {
      Mutator m = new Mutator(random);
      Policy policy = PolicyLoader.parse(m.emit(base()), null);
      assertEquals(4, policy.rules().size());
      assertEquals(3, policy.users().size());
      assertEquals(SECRETS[0], policy.users().get("bob").attributes().get("api_key"));
    }
    assertEquals(3, PolicyLoader.parse(exampleWithSecrets(), null).rules().size());
  }

  /** Loads one input and checks the outcome, failing with the case's seed and input. */
  private void check(String where, String input) {
    Policy policy;
    try {
      policy = PolicyLoader.parse(input, null);
    } catch (InvalidPolicyException e) {
      refused++;
      checkProblems(where, input, e);
      return;
    } catch (Throwable t) {
      throw new AssertionError(where + " threw " + t + " for input:\n" + show(input), t);
    }
    loaded++;
    checkPolicy(where + " for input:\n" + show(input), policy);
  }

  private void checkProblems(String where, String input, InvalidPolicyException e) {
    String context = where + ": " + e.getMessage() + "\nfor input:\n" + show(input);
    assertFalse(e.problems().isEmpty(), context);
    int maxLine = 2;
    for (char c : input.toCharArray()) {
      maxLine += "\n\r\u0085\u2028\u2029".indexOf(c) >= 0 ? 1 : 0;
    }
    for (ConfigProblem p : e.problems()) {
      assertNotNull(p.message(), context);
      assertFalse(p.message().isBlank(), context);
      assertTrue(p.line() >= 0 && p.line() <= maxLine, "line " + p.line() + ": " + context);
    }
    for (String secret : SECRETS) {
      if (input.contains("secret: " + secret)) {
        refusedWithSecret++;
        assertFalse(e.getMessage().contains(secret), "secret shown: " + context);
        assertFalse(e.locatedMessage().contains(secret), "secret shown: " + context);
      }
    }
  }

  /** What every loaded policy satisfies, whatever the input. */
  private static void checkPolicy(String context, Policy policy) {
    for (Map.Entry<String, Policy.User> e : policy.users().entrySet()) {
      Policy.User u = e.getValue();
      assertEquals(e.getKey(), u.name(), context);
      assertTrue(u.line() >= 1, context);
      assertFalse(u.name().isBlank(), context);
      assertTrue(u.attributes().keySet().containsAll(u.secretAttributes()), context);
    }
    for (PolicyRule r : policy.rules()) {
      assertTrue(r.line() >= 1, context);
      if (!r.read()) {
        assertNull(r.filter(), context);
        assertTrue(r.columns().isEmpty(), context);
      }
      for (Map.Entry<String, PolicyRule.ColumnRule> c : r.columns().entrySet()) {
        assertEquals(c.getValue().name().toLowerCase(Locale.ROOT), c.getKey(), context);
        assertTrue(c.getValue().line() >= 1, context);
        assertTrue(c.getValue().allowed() || c.getValue().mask() == null, context);
      }
    }
  }

  /** A valid policy as maps and lists, with secrets. */
  private static Map<String, Object> base() {
    Map<String, Object> users = map(
        "ana", map("groups", list("analysts"),
            "attributes", map("region", "EU", "tenant_id", "42")),
        "bob", map("groups", list("analysts", "auditors"),
            "attributes", map("region", "US", "api_key", map("secret", SECRETS[0]))),
        "carl", map("groups", "admins",
            "attributes", map("token", map("secret", SECRETS[1]))));
    List<Object> rules = list(
        map("group", "admins", "allow", "read"),
        map("group", "analysts", "source", "sales", "schema", "public", "table", "orders",
            "allow", "read",
            "filter", "region = ATTRIBUTE('region') AND tenant_id = ATTRIBUTE('tenant_id')",
            "columns", map(
                "card_number", map("mask",
                    "'XXXX-XXXX-XXXX-' || SUBSTRING(card_number FROM 13 FOR 4)"),
                "ssn", map("allow", "false"))),
        map("user", list("bob", "c.*"), "table", "customers|products", "allow", "read",
            "columns", map("email", map("allow", "true", "mask", "LOWER(email)"))),
        map("group", "analysts", "source", "hr", "allow", "none"));
    return map("users", users, "rules", rules);
  }

  private static String exampleWithSecrets() {
    return PolicyLoaderTest.EXAMPLE.replace("{secret: abc}", "{secret: " + SECRETS[0] + "}");
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  /** The input for a failure message: shortened, with invisible characters escaped. */
  private static String show(String input) {
    String s = input.length() > 3_000 ? input.substring(0, 3_000) + "... (" + input.length()
        + " characters)" : input;
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '\n' || c >= ' ' && c < 0x7F) {
        b.append(c);
      } else {
        b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      }
    }
    return b.toString();
  }

  /** YAML text to write verbatim: an explicit tag, an alias, broken syntax, an odd key. */
  private record Raw(String text) {
  }

  /** Makes one input from its own random source. */
  private static final class Mutator {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_ .|-]*");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL");
    private final Random random;

    Mutator(Random random) {
      this.random = random;
    }

    String input() {
      switch (random.nextInt(3)) {
        case 0:
          return mutateText(random.nextInt(4) == 0 ? exampleWithSecrets() : emit(base()));
        case 1:
          return emit(mutateTree());
        default:
          return mutateText(emit(mutateTree()));
      }
    }

    // ---- text --------------------------------------------------------------------------

    private String mutateText(String text) {
      String t = text;
      for (int n = 1 + random.nextInt(4); n > 0; n--) {
        t = mutateTextOnce(t);
      }
      return t;
    }

    private String mutateTextOnce(String text) {
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      int line = random.nextInt(lines.size());
      int at = text.isEmpty() ? 0 : random.nextInt(text.length());
      switch (random.nextInt(11)) {
        case 0:
          lines.remove(line);
          return String.join("\n", lines);
        case 1:
          lines.add(line, lines.get(line));
          return String.join("\n", lines);
        case 2:
          int other = random.nextInt(lines.size());
          String swapped = lines.get(line);
          lines.set(line, lines.get(other));
          lines.set(other, swapped);
          return String.join("\n", lines);
        case 3:
          return text.isEmpty() ? text : text.substring(0, at) + text.substring(at + 1);
        case 4:
          return text.isEmpty() ? text : text.substring(0, at + 1) + text.substring(at);
        case 5:
          return at + 1 >= text.length() ? text : text.substring(0, at) + text.charAt(at + 1)
              + text.charAt(at) + text.substring(at + 2);
        case 6:
          return text.substring(0, at) + pick(SYNTAX) + text.substring(at);
        case 7:
          return text.substring(0, at) + pick(UNICODE) + text.substring(at);
        case 8:
          String l = lines.get(line);
          lines.set(line, random.nextBoolean() ? " ".repeat(1 + random.nextInt(3)) + l
              : l.replaceFirst("^ {1,2}", ""));
          return String.join("\n", lines);
        case 9:
          return text.substring(0, at);
        default:
          return text.substring(0, at) + text.substring(at, Math.min(text.length(),
              at + random.nextInt(20))).toUpperCase(Locale.ROOT)
              + text.substring(Math.min(text.length(), at + 20));
      }
    }

    // ---- structure ---------------------------------------------------------------------

    private Object mutateTree() {
      Object root = base();
      for (int n = 1 + random.nextInt(4); n > 0; n--) {
        if (random.nextInt(40) == 0) {
          return anyValue();
        }
        mutateTreeOnce(root);
      }
      return root;
    }

    @SuppressWarnings("unchecked")
    private void mutateTreeOnce(Object root) {
      List<Slot> slots = new ArrayList<>();
      collect(root, slots);
      Slot slot = slots.get(random.nextInt(slots.size()));
      List<Map<String, Object>> rules = rules(root);
      switch (random.nextInt(12)) {
        case 0:
          slot.set(wrongValue());
          break;
        case 1:
          slot.remove();
          break;
        case 2:
          slot.set(random.nextBoolean() ? nested(1 + random.nextInt(80)) : huge());
          break;
        case 3:
          slot.set(map("secret", pick(SECRETS)));
          break;
        case 4:
          slot.set(unicode(slot.get() instanceof String s ? s : "x"));
          break;
        case 5:
          if (slot.container() instanceof Map<?, ?> m) {
            ((Map<Object, Object>) m).put(randomKey(), anyValue());
          } else {
            ((List<Object>) slot.container()).add(anyValue());
          }
          break;
        case 6:
          if (slot.container() instanceof Map<?, ?> m) {
            Map<Object, Object> renamed = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
              renamed.put(e.getKey().equals(slot.key()) ? randomKey() : e.getKey(),
                  e.getValue());
            }
            ((Map<Object, Object>) m).clear();
            ((Map<Object, Object>) m).putAll(renamed);
          } else {
            ((List<Object>) slot.container()).add((int) slot.key(), slot.get());
          }
          break;
        case 7:
          if (!rules.isEmpty()) {
            pick(rules).put(pick(new String[] {"user", "group", "source", "schema", "table"}),
                random.nextInt(4) == 0 ? list(pick(BAD_REGEX), pick(BAD_REGEX))
                : pick(BAD_REGEX));
          }
          break;
        case 8:
          if (!rules.isEmpty()) {
            Map<String, Object> rule = pick(rules);
            if (random.nextBoolean() || !(rule.get("columns") instanceof Map<?, ?>)) {
              rule.put("filter", sql());
            } else {
              ((Map<Object, Object>) rule.get("columns")).put(randomKey(), map("mask", sql()));
            }
          }
          break;
        case 9:
          if (!rules.isEmpty()) {
            pick(rules).put("allow", pick(new Object[] {"read", "none", "READ", "None",
                " read", "reed", "yes", "true", null, list("read"), new Raw("!!bool true")}));
          }
          break;
        case 10:
          if (!rules.isEmpty() && pick(rules).get("columns") instanceof Map<?, ?> columns
              && !columns.isEmpty()) {
            Object name = columns.keySet().iterator().next();
            ((Map<Object, Object>) columns).put(name.toString().toUpperCase(Locale.ROOT),
                map("allow", pick(new String[] {"false", "true", "FALSE", "maybe", ""})));
          }
          break;
        default:
          slot.set(anyValue());
      }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(Object root) {
      List<Map<String, Object>> out = new ArrayList<>();
      if (root instanceof Map<?, ?> top && top.get("rules") instanceof List<?> rules) {
        for (Object r : rules) {
          if (r instanceof Map<?, ?> m) {
            out.add((Map<String, Object>) m);
          }
        }
      }
      return out;
    }

    private static void collect(Object node, List<Slot> out) {
      if (node instanceof Map<?, ?> m) {
        for (Object key : new ArrayList<>(m.keySet())) {
          out.add(new Slot(m, key));
          collect(m.get(key), out);
        }
      } else if (node instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          out.add(new Slot(l, i));
          collect(l.get(i), out);
        }
      }
    }

    private Object wrongValue() {
      return switch (random.nextInt(9)) {
        case 0 -> pick(new String[] {"", " ", "x", "42", "true", "no", "read", "none"});
        case 1 -> null;
        case 2 -> list();
        case 3 -> list("a", "b");
        case 4 -> list(list("x"), null);
        case 5 -> map();
        case 6 -> map("x", "y");
        case 7 -> map("allow", "read", "secret", pick(SECRETS));
        default -> new Raw(pick(RAW_VALUES));
      };
    }

    private Object anyValue() {
      return switch (random.nextInt(6)) {
        case 0 -> sql();
        case 1 -> pick(BAD_REGEX);
        case 2 -> unicode(pick(KEYS));
        case 3 -> nested(1 + random.nextInt(60));
        default -> wrongValue();
      };
    }

    private Object randomKey() {
      return random.nextInt(8) == 0 ? new Raw(pick(RAW_KEYS)) : pick(KEYS);
    }

    private String sql() {
      String s = pick(BAD_SQL);
      if (random.nextInt(3) == 0 && !s.isEmpty()) {
        int at = random.nextInt(s.length());
        s = random.nextBoolean() ? s.substring(0, at) : s.substring(0, at) + pick(SYNTAX)
            + s.substring(at);
      }
      return s;
    }

    private Object nested(int depth) {
      Object inner = random.nextBoolean() ? "x" : pick(BAD_SQL);
      boolean lists = random.nextBoolean();
      for (int i = 0; i < depth; i++) {
        inner = lists ? list(inner) : map(pick(KEYS), inner);
      }
      return inner;
    }

    private String huge() {
      int n = 1_000 + random.nextInt(40_000);
      String unit = pick(new String[] {"a", "a OR ", "(a|b)*", "x = 'y' AND ", "\u00e9",
          "\uD83D\uDE00", "'", " ", "ssn"});
      return unit.repeat(Math.max(1, n / unit.length()));
    }

    private String unicode(String s) {
      int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
      String u = pick(UNICODE);
      return s.substring(0, at) + (u.startsWith("\\") ? u.substring(1) : u) + s.substring(at);
    }

    private <T> T pick(T[] options) {
      return options[random.nextInt(options.length)];
    }

    private <T> T pick(List<T> options) {
      return options.get(random.nextInt(options.size()));
    }

    // ---- YAML --------------------------------------------------------------------------

    /** Writes a tree as YAML, choosing block or flow style and quoting at random. */
    String emit(Object root) {
      StringBuilder b = new StringBuilder();
      if (random.nextInt(10) == 0) {
        b.append("# a policy\n");
      }
      if ((root instanceof Map<?, ?> m && !m.isEmpty()) && random.nextInt(8) != 0) {
        blockMap(m, 0, false, b);
      } else if (root instanceof List<?> l && !l.isEmpty() && random.nextBoolean()) {
        blockList(l, 0, b);
      } else {
        b.append(flow(root)).append('\n');
      }
      return b.toString();
    }

    private void blockMap(Map<?, ?> m, int indent, boolean firstInline, StringBuilder b) {
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(first && firstInline)) {
          b.append(" ".repeat(indent));
        }
        first = false;
        b.append(key(e.getKey())).append(':');
        blockValue(e.getValue(), indent, b);
      }
    }

    private void blockValue(Object v, int indent, StringBuilder b) {
      if (v instanceof Map<?, ?> m && !m.isEmpty() && random.nextInt(3) != 0) {
        b.append('\n');
        blockMap(m, indent + 2, false, b);
      } else if (v instanceof List<?> l && !l.isEmpty() && random.nextInt(3) != 0) {
        b.append('\n');
        blockList(l, indent + (random.nextBoolean() ? 2 : 0), b);
      } else if (v == null && random.nextBoolean()) {
        b.append('\n');
      } else {
        b.append(' ').append(flow(v)).append('\n');
      }
    }

    private void blockList(List<?> l, int indent, StringBuilder b) {
      for (Object item : l) {
        b.append(" ".repeat(indent)).append("- ");
        if (item instanceof Map<?, ?> m && !m.isEmpty() && random.nextBoolean()) {
          blockMap(m, indent + 2, true, b);
        } else {
          b.append(flow(item)).append('\n');
        }
      }
    }

    private String flow(Object v) {
      if (v instanceof Map<?, ?> m) {
        List<String> entries = new ArrayList<>();
        m.forEach((k, x) -> entries.add(key(k) + ": " + flow(x)));
        return "{" + String.join(", ", entries) + "}";
      }
      if (v instanceof List<?> l) {
        List<String> items = new ArrayList<>();
        l.forEach(x -> items.add(flow(x)));
        return "[" + String.join(", ", items) + "]";
      }
      if (v instanceof Raw r) {
        return r.text();
      }
      return v == null ? (random.nextBoolean() ? "~" : "null") : scalar(v.toString());
    }

    private String key(Object k) {
      return k instanceof Raw r ? r.text() : scalar(String.valueOf(k));
    }

    private String scalar(String s) {
      boolean plain = PLAIN.matcher(s).matches() && !NULL.matcher(s).matches()
          && !s.endsWith(" ");
      if (plain && (random.nextInt(4) != 0 || isSecret(s))) {
        return s;
      }
      if (random.nextInt(4) == 0 && s.chars().allMatch(c -> c >= ' ' && c < 0x7F)) {
        return "'" + s.replace("'", "''") + "'";
      }
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < ' ' || c >= 0x7F && random.nextBoolean()) {
          b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
        } else {
          b.append(c);
        }
      }
      return b.append('"').toString();
    }

    private static boolean isSecret(String s) {
      return s.equals(SECRETS[0]) || s.equals(SECRETS[1]);
    }
  }

  /** A place in the tree: a key of a map or an index of a list. */
  private record Slot(Object container, Object key) {
    Object get() {
      return container instanceof Map<?, ?> m ? m.get(key) : ((List<?>) container)
          .get((int) key);
    }

    @SuppressWarnings("unchecked")
    void set(Object value) {
      if (container instanceof Map<?, ?> m) {
        ((Map<Object, Object>) m).put(key, value);
      } else {
        ((List<Object>) container).set((int) key, value);
      }
    }

    void remove() {
      if (container instanceof Map<?, ?> m) {
        m.remove(key);
      } else {
        ((List<?>) container).remove((int) key);
      }
    }
  }
}
