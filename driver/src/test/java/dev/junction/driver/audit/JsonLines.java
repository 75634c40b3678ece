package dev.junction.driver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads audit lines back strictly, with Jackson's parser: each line must be valid UTF-8
 * and exactly one JSON object, which is returned as maps, lists, strings, longs and nulls.
 */
final class JsonLines {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonLines() {
  }

  /** One line (without its line break) as a JSON object. */
  static Map<String, Object> parse(String line) {
    return parse(line.getBytes(StandardCharsets.UTF_8));
  }

  /** One line's bytes (without the line break) as a JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(byte[] line) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line));
    } catch (CharacterCodingException e) {
      throw new AssertionError("not UTF-8: " + e, e);
    }
    try (JsonParser p = FACTORY.createParser(line)) {
      Object v = value(p, p.nextToken());
      assertNull(p.nextToken(), "one value per line");
      return (Map<String, Object>) v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line of a file, parsed; the file must end with a line break. */
  static List<Map<String, Object>> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<Map<String, Object>> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        byte[] line = new byte[i - start];
        System.arraycopy(bytes, start, line, 0, line.length);
        out.add(parse(line));
        start = i + 1;
      }
    }
    assertEquals(bytes.length, start, file + " ends with a whole line");
    return out;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(value(p, e));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NULL:
        return null;
      default:
        throw new AssertionError("unexpected " + t);
    }
  }
}
