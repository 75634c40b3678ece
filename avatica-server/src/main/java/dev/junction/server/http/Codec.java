package dev.junction.server.http;

import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Avatica's two wire formats: decode a request, encode a response (error responses
 * included, built by {@link ErrorResponses}). Decoding is separate from dispatch so the
 * endpoint can check a request's connection owner and rewrite its identity before the
 * service sees it.
 */
abstract class Codec {
  /** The response content type. */
  abstract String contentType();

  /** The format's name with its article, for messages ("a protobuf"). */
  abstract String formatName();

  abstract Service.Request decode(byte[] body) throws IOException;

  abstract byte[] encode(Service.Response response) throws IOException;

  static Codec protobuf() {
    return new Protobuf();
  }

  static Codec json() {
    return new Json();
  }

  /** Protocol Buffers, Avatica's recommended format. */
  private static final class Protobuf extends Codec {
    private final ProtobufTranslation translation = new ProtobufTranslationImpl();

    @Override String contentType() {
      return "application/octet-stream";
    }

    @Override String formatName() {
      return "a protobuf";
    }

    @Override Service.Request decode(byte[] body) throws IOException {
      return translation.parseRequest(body);
    }

    @Override byte[] encode(Service.Response response) throws IOException {
      return translation.serializeResponse(response);
    }
  }

  /** JSON, for clients without protobuf. */
  private static final class Json extends Codec {
    @Override String contentType() {
      return "application/json; charset=utf-8";
    }

    @Override String formatName() {
      return "a JSON";
    }

    @Override Service.Request decode(byte[] body) throws IOException {
      return JsonService.MAPPER.readValue(new String(body, StandardCharsets.UTF_8),
          Service.Request.class);
    }

    @Override byte[] encode(Service.Response response) throws IOException {
      return JsonService.MAPPER.writeValueAsString(response).getBytes(StandardCharsets.UTF_8);
    }
  }
}
