package dev.junction.driver.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link AuditEvent} as one line of JSON, with Jackson's streaming generator
 * (the driver already has it, through Calcite and Avatica).
 *
 * <p>Every field is always present, {@code null} when it has no value, in this order:
 * {@code time} (ISO-8601 UTC, milliseconds), {@code query_id}, {@code user}, {@code groups},
 * {@code attributes}, {@code client_address}, {@code outcome}, {@code sql_state},
 * {@code error}, {@code rows}, {@code duration_ms}, {@code sources}, {@code tables},
 * {@code sql}.
 *
 * <p>Escaping: besides JSON's own (quote, backslash, U+0000 to U+001F), characters that
 * some reader of lines or some terminal treats specially are written as {@code \}{@code u}
 * escapes: DEL and the C1 controls (U+007F to U+009F, among them NEL), U+2028 and U+2029.
 * So are UTF-16 surrogates, both halves of a pair ({@code \}{@code uD83D\}{@code uDE00} is
 * an emoji, as RFC 8259 section 7 writes it) and a lone one, which SQL text from a Java
 * client may carry: a lone surrogate has no UTF-8 encoding, so written raw it would become
 * a {@code ?} or invalid UTF-8; escaped, the line stays valid UTF-8 and keeps what the
 * client sent. Everything else (accents, CJK) is written as is.
 */
final class AuditJson {
  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder().characterEscapes(new AuditEscapes()).build();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private AuditJson() {
  }

  /** The event's line, without a line break. */
  static String render(AuditEvent e) {
    StringWriter out = new StringWriter(256 + e.sql().length());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", TIME.format(e.time()));
      g.writeStringField("query_id", e.queryId());
      g.writeStringField("user", e.user());
      strings(g, "groups", e.groups());
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> a : e.attributes().entrySet()) {
        g.writeStringField(a.getKey(), a.getValue());
      }
      g.writeEndObject();
      g.writeStringField("client_address", e.clientAddress());
      g.writeStringField("outcome", e.outcome().label());
      g.writeStringField("sql_state", e.sqlState());
      g.writeStringField("error", e.error());
      g.writeNumberField("rows", e.rows());
      g.writeNumberField("duration_ms", e.durationMillis());
      strings(g, "sources", e.sources());
      strings(g, "tables", e.tables());
      g.writeStringField("sql", e.sql());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void strings(JsonGenerator g, String name, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /** JSON's escapes plus DEL, the C1 controls, U+2028, U+2029 and surrogates. */
  private static final class AuditEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    private final int[] ascii;

    AuditEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override public SerializableString getEscapeSequence(int ch) {
      boolean escaped = ch <= 0x9f || ch == 0x2028 || ch == 0x2029
          || Character.isSurrogate((char) ch);
      return escaped ? new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch)) : null;
    }
  }
}
