package dev.junction.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One line per server event (start, connection opened, login failed, query cancelled...),
 * as {@code key=value} text or as a JSON object. Callers pass names and values that are
 * never credentials: user names and addresses yes, passwords and tokens never.
 */
public final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger("dev.junction.server.events");
  private final ServerConfig.LogFormat format;
  private final Consumer<String> sink;
  private final Clock clock;

  /** Creates a log writing lines to {@code sink}. */
  public EventLog(ServerConfig.LogFormat format, Consumer<String> sink, Clock clock) {
    this.format = format;
    this.sink = sink;
    this.clock = clock;
  }

  /** A text log through SLF4J. */
  public static EventLog slf4j() {
    return new EventLog(ServerConfig.LogFormat.TEXT, LOG::info, Clock.systemUTC());
  }

  /** Logs an event with alternating keys and values. */
  public void event(String name, Object... keyValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      fields.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
    }
    sink.accept(format == ServerConfig.LogFormat.JSON ? json(name, fields)
        : text(name, fields));
  }

  private static String text(String name, Map<String, Object> fields) {
    StringBuilder b = new StringBuilder("event=").append(name);
    fields.forEach((k, v) -> {
      b.append(' ').append(k).append('=');
      String s = String.valueOf(v);
      if (s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 32)) {
        b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")
            .replace("\n", "\\n").replace("\r", "\\r")).append('"');
      } else {
        b.append(s);
      }
    });
    return b.toString();
  }

  private String json(String name, Map<String, Object> fields) {
    StringBuilder b = new StringBuilder("{\"ts\":\"").append(clock.instant())
        .append("\",\"event\":");
    Json.quote(b, name);
    fields.forEach((k, v) -> {
      b.append(',');
      Json.quote(b, k);
      b.append(':');
      if (v instanceof Number || v instanceof Boolean) {
        b.append(v);
      } else {
        Json.quote(b, String.valueOf(v));
      }
    });
    return b.append('}').toString();
  }
}
