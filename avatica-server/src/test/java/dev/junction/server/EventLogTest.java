package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** One line per event, as text or as a JSON object that parses, whatever the values hold. */
class EventLogTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"),
      ZoneOffset.UTC);

  @Test void json() throws Exception {
    List<String> lines = new ArrayList<>();
    new EventLog(ServerConfig.LogFormat.JSON, lines::add, CLOCK).event("login_failed",
        "user", "a\"b\n{c}", "attempts", 3, "tls", true);
    assertEquals(1, lines.size());
    JsonNode n = new ObjectMapper().readTree(lines.get(0));
    assertEquals("2026-11-23T12:00:00Z", n.get("ts").asText());
    assertEquals("login_failed", n.get("event").asText());
    assertEquals("a\"b\n{c}", n.get("user").asText());
    assertEquals(3, n.get("attempts").asInt());
    assertEquals(true, n.get("tls").asBoolean());
  }

  @Test void textQuotesWhatNeedsIt() {
    List<String> lines = new ArrayList<>();
    new EventLog(ServerConfig.LogFormat.TEXT, lines::add, CLOCK).event("x", "a", "plain",
        "b", "two words", "c", "line\nbreak");
    assertEquals("event=x a=plain b=\"two words\" c=\"line\\nbreak\"", lines.get(0));
  }
}
