package dev.junction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** Strict scalar typing, line numbers and syntax errors that never echo the text. */
class YamlDocumentTest {
  @Test void plainScalarsStayTheWrittenText() {
    Problems problems = new Problems("f.yaml");
    YamlDocument doc = YamlDocument.parse("""
        octal: 0123
        yes-no: yes
        sexagesimal: 1:30
        float: 1e3
        bool: true
        date: 2024-01-02
        tagged: !!int 90
        empty:
        tilde: ~
        """, problems);
    Map<?, ?> m = (Map<?, ?>) doc.root();
    assertEquals("0123", m.get("octal"));
    assertEquals("yes", m.get("yes-no"));
    assertEquals("1:30", m.get("sexagesimal"));
    assertEquals("1e3", m.get("float"));
    assertEquals("true", m.get("bool"));
    assertEquals("2024-01-02", m.get("date"));
    assertEquals(90, m.get("tagged"), "an explicit tag is honoured");
    assertNull(m.get("empty"));
    assertNull(m.get("tilde"));
    assertTrue(problems.isEmpty());
  }

  @Test void remembersTheLineOfEveryKeyAndListItem() {
    YamlDocument doc = YamlDocument.parse("""
        # a comment
        a: 1
        b:
          c: 2
          d: [x,
              y]
        """, new Problems(null));
    Map<?, ?> top = (Map<?, ?>) doc.root();
    Map<?, ?> b = (Map<?, ?>) top.get("b");
    List<?> d = (List<?>) b.get("d");
    assertEquals(2, doc.line(top, "a"));
    assertEquals(3, doc.line(top, "b"));
    assertEquals(4, doc.line(b, "c"));
    assertEquals(5, doc.line(b, "d"));
    assertEquals(6, doc.line(d, 1));
    assertEquals(4, doc.line(b, "absent"), "an absent key gives the map's own line");
  }

  @Test void mergedKeysKeepTheLineOfTheirAnchor() {
    YamlDocument doc = YamlDocument.parse("""
        base: &b {user: u}
        s:
          <<: *b
          url: x
        """, new Problems(null));
    Map<?, ?> s = (Map<?, ?>) ((Map<?, ?>) doc.root()).get("s");
    assertEquals("u", s.get("user"));
    assertEquals(1, doc.line(s, "user"));
    assertEquals(4, doc.line(s, "url"));
  }

  @Test void aSyntaxErrorIsOneProblemByPositionWithoutTheText() {
    Problems problems = new Problems("f.yaml");
    assertNull(YamlDocument.parse("a:\n  password: hunter2: x\n", problems));
    assertEquals(1, problems.size());
    ConfigProblem p = problems.list().get(0);
    assertEquals(2, p.line());
    assertEquals("invalid YAML at line 2, column 20: mapping values are not allowed here",
        p.message());
    assertEquals("f.yaml:2: " + p.message(), p.located());
    assertFalse(p.message().contains("hunter2"));
  }

  @Test void refusesDuplicateKeysAndJavaTags() {
    Problems problems = new Problems(null);
    assertNull(YamlDocument.parse("a: 1\na: 2\n", problems));
    assertTrue(problems.list().get(0).message().contains("found duplicate key a"));
    assertNull(YamlDocument.parse("a: !!java.util.TreeMap {}\n", problems));
    assertEquals(1, problems.list().get(1).line());
  }

  @Test void aValueThatDoesNotFitItsTagIsAProblemWithoutTheValue() {
    for (String yaml : List.of("a: 1\nb: !!int hunter2\n", "a: 1\nb: !!float hunter2\n",
        "a: 1\nb: !!binary 'hunter2@'\n", "a: 1\nb: !!map [hunter2]\n",
        "a: 1\nb: !!seq {hunter2: x}\n")) {
      Problems problems = new Problems(null);
      assertNull(YamlDocument.parse(yaml, problems), yaml);
      ConfigProblem p = problems.list().get(0);
      assertEquals(2, p.line(), yaml);
      assertTrue(p.message().startsWith("invalid YAML at line 2, column 4: the value does not"
          + " fit its tag !!"), p.message());
      assertFalse(p.message().contains("hunter2"), p.message());
    }
  }

  @Test void aKeyThatRefersToItselfIsAProblem() {
    Problems problems = new Problems(null);
    assertNull(YamlDocument.parse("? {a: &x [*x]}\n: v\n", problems));
    assertEquals("invalid YAML: a key refers to itself through an alias or nests too deeply",
        problems.list().get(0).message());
  }

  @Test void anEscapeCutShortAtTheEndIsAProblem() {
    // SnakeYAML fails here in Integer.parseInt rather than with a YAMLException.
    Problems problems = new Problems(null);
    assertNull(YamlDocument.parse("a: \"\\u", problems));
    assertEquals(List.of(new ConfigProblem(null, 0,
        "invalid YAML: the text cannot be read (NumberFormatException)")), problems.list());
  }
}
