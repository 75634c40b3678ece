package dev.junction.driver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.planner.security.Principal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** The audit event and its JSON line: shape, escaping of any text, no secrets. */
class AuditEventTest {
  /** Text that breaks naive JSON writers and readers of lines. */
  static final String HOSTILE = hostile();

  private static String hostile() {
    StringBuilder b = new StringBuilder("SELECT '\"quoted\"', 'back\\slash\\', '\\u0041', "
        + "'{}' , '%s', ${env:HOME} -- comment\r\n/* block */ 'tab\tend'");
    for (char c = 0; c <= 0xa0; c++) {
      b.append(c);
    }
    b.append("\u2028\u2029\ufeff\ufffd\uffff é 中文 😀 ");
    b.append("lone high \ud800 lone low \udc00 reversed \ude00\ud83d end high \udbff");
    return b.toString();
  }

  static AuditEvent.Builder event(String queryId) {
    return AuditEvent.builder().time(Instant.parse("2025-03-04T05:06:07.891234Z"))
        .queryId(queryId)
        .principal(new Principal("alice", Set.of("analysts", "eu"), Map.of("region", "eu"),
            Set.of()))
        .clientAddress("10.1.2.3:50312").sql("SELECT 1").ok();
  }

  @Test
  void lineHasEveryFieldInOrder() {
    AuditEvent e = event("q-1").sources(List.of("pg", "duck", "pg"))
        .tables(List.of("pg.public.orders", "duck.main.customers")).rows(42)
        .durationMillis(17).build();
    String line = e.toJson();
    assertEquals("{\"time\":\"2025-03-04T05:06:07.891Z\",\"query_id\":\"q-1\","
        + "\"user\":\"alice\",\"groups\":[\"analysts\",\"eu\"],"
        + "\"attributes\":{\"region\":\"eu\"},\"client_address\":\"10.1.2.3:50312\","
        + "\"outcome\":\"ok\",\"sql_state\":null,\"error\":null,\"rows\":42,"
        + "\"duration_ms\":17,\"sources\":[\"duck\",\"pg\"],"
        + "\"tables\":[\"duck.main.customers\",\"pg.public.orders\"],\"sql\":\"SELECT 1\"}",
        line);
  }

  @Test
  void deniedAndInProcessEventsCarryReasonAndNullAddress() {
    Map<String, Object> denied = JsonLines.parse(event("q-2").clientAddress(null)
        .denied("42501", "alice may not read pg.public.salaries").build().toJson());
    assertEquals("denied", denied.get("outcome"));
    assertEquals("42501", denied.get("sql_state"));
    assertEquals("alice may not read pg.public.salaries", denied.get("error"));
    assertTrue(denied.containsKey("client_address"));
    assertEquals(null, denied.get("client_address"));
    assertEquals("cancelled", JsonLines.parse(event("q-3").cancelled("57014", "cancelled")
        .build().toJson()).get("outcome"));
    assertEquals("failed", JsonLines.parse(event("q-4").failed("42601", "syntax")
        .build().toJson()).get("outcome"));
  }

  @Test
  void hostileTextInEveryStringFieldIsOneValidLineThatReadsBackExactly() {
    AuditEvent e = AuditEvent.builder().time(Instant.EPOCH).queryId(HOSTILE)
        .principal(new Principal(HOSTILE, Set.of(HOSTILE), Map.of(HOSTILE, HOSTILE),
            Set.of()))
        .clientAddress(HOSTILE).sources(List.of(HOSTILE)).tables(List.of(HOSTILE))
        .sql(HOSTILE).failed(HOSTILE, HOSTILE).build();
    String line = e.toJson();
    assertOneLine(line);
    Map<String, Object> m = JsonLines.parse(line);
    for (String key : List.of("query_id", "user", "client_address", "sql_state", "error",
        "sql")) {
      assertEquals(HOSTILE, m.get(key), key);
    }
    assertEquals(List.of(HOSTILE), m.get("groups"));
    assertEquals(Map.of(HOSTILE, HOSTILE), m.get("attributes"));
    assertEquals(List.of(HOSTILE), m.get("sources"));
    assertEquals(List.of(HOSTILE), m.get("tables"));
  }

  @Test
  void randomUtf16TextReadsBackExactly() {
    Random random = new Random(20250304);
    for (int i = 0; i < 2_000; i++) {
      char[] cs = new char[random.nextInt(40)];
      for (int j = 0; j < cs.length; j++) {
        // Half the time anywhere in UTF-16, else near the troublesome ranges.
        cs[j] = (char) (random.nextBoolean() ? random.nextInt(0x10000)
            : random.nextBoolean() ? random.nextInt(0xa0) : 0xd7f0 + random.nextInt(0x820));
      }
      String sql = new String(cs);
      String line = event("q").sql(sql).build().toJson();
      assertOneLine(line);
      assertEquals(sql, JsonLines.parse(line).get("sql"), () -> "chars " + Arrays.toString(
          sql.chars().mapToObj(Integer::toHexString).toArray()));
    }
  }

  @Test
  void escapesWhatReadersOfLinesAndTerminalsTreatSpecially() {
    String line = event("q").sql("a\u007fb\u0085c\u009bd\u2028e\u2029f\u001bg").build()
        .toJson();
    assertTrue(line.contains("\"sql\":\"a\\u007Fb\\u0085c\\u009Bd\\u2028e\\u2029f\\u001Bg\""),
        line);
  }

  @Test
  void secretAttributesNeverAppear() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("region", "eu-west");
    attributes.put("api_token", "tok-5ecret-value");
    Principal p = new Principal("bob", Set.of("ops"), attributes, Set.of("api_token"));
    AuditEvent e = AuditEvent.builder().time(Instant.EPOCH).queryId("q").principal(p)
        .sql("SELECT 1").ok().build();
    assertEquals(Map.of("region", "eu-west"), e.attributes());
    for (String text : List.of(e.toJson(), e.toString())) {
      assertFalse(text.contains("tok-5ecret-value"), text);
      assertFalse(text.contains("api_token"), text);
      assertTrue(text.contains("eu-west"), text);
    }
  }

  @Test
  void timeIsUtcWithMilliseconds() {
    assertEquals("1970-01-01T00:00:00.000Z", JsonLines.parse(event("q").time(Instant.EPOCH)
        .build().toJson()).get("time"));
  }

  @Test
  void rejectsIncompleteOrInconsistentEvents() {
    assertThrows(NullPointerException.class, () -> event("q").sql(null).build());
    assertThrows(NullPointerException.class,
        () -> AuditEvent.builder().time(Instant.EPOCH).queryId("q").sql("x").ok().build());
    assertThrows(IllegalArgumentException.class, () -> event("q").rows(-1).build());
    AuditEvent ok = event("q").build();
    assertThrows(IllegalArgumentException.class, () -> new AuditEvent(ok.time(),
        ok.queryId(), ok.user(), ok.groups(), ok.attributes(), null,
        AuditEvent.Outcome.OK, "XX000", "boom", 0, 0, List.of(), List.of(), "x"));
  }

  @Test
  void collectionsAreCopied() {
    List<String> tables = new ArrayList<>(List.of("a.b.c"));
    AuditEvent e = event("q").tables(tables).build();
    tables.add("d.e.f");
    assertEquals(List.of("a.b.c"), e.tables());
    assertThrows(UnsupportedOperationException.class, () -> e.attributes().put("k", "v"));
  }

  /** No raw character a reader of lines could split at, and valid UTF-8. */
  static void assertOneLine(String line) {
    for (char c : new char[] {'\n', '\r', '\u0085', '\u2028', '\u2029', '\u000b', '\u000c'}) {
      assertTrue(line.indexOf(c) < 0, () -> "raw U+" + Integer.toHexString(c) + " in " + line);
    }
    assertTrue(line.chars().noneMatch(c -> Character.isSurrogate((char) c)),
        "no raw surrogate, so the UTF-8 bytes are valid: " + line);
  }
}
