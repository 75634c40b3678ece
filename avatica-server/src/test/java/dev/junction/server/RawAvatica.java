package dev.junction.server;

import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Avatica requests sent by hand, in protobuf or JSON: what a hostile client can send and
 * the stock client never would (another connection's statement id, a broken body).
 */
final class RawAvatica {
  private static final ProtobufTranslation PROTOBUF = new ProtobufTranslationImpl();
  private final TestingJunctionServer server;
  private final boolean json;
  private final HttpClient http = HttpClient.newHttpClient();

  /** A decoded answer, with the raw body as text for searching it. */
  record Reply(int status, Service.Response response, String body) {
    /** The answer as an error response (fails if it is not one). */
    Service.ErrorResponse error() {
      if (response instanceof Service.ErrorResponse e) {
        return e;
      }
      throw new AssertionError("not an error response (HTTP " + status + "): " + response);
    }

    /** The answer as a response of the given type (fails on an error). */
    <T extends Service.Response> T as(Class<T> type) {
      if (status != 200 || !type.isInstance(response)) {
        throw new AssertionError("expected " + type.getSimpleName() + ", got HTTP " + status
            + ": " + response);
      }
      return type.cast(response);
    }
  }

  RawAvatica(TestingJunctionServer server, boolean json) {
    this.server = server;
    this.json = json;
  }

  /** Sends a request with BASIC credentials. */
  Reply send(String user, String password, Service.Request request) throws Exception {
    byte[] body = json ? JsonService.MAPPER.writeValueAsString(request)
        .getBytes(StandardCharsets.UTF_8) : PROTOBUF.serializeRequest(request);
    return sendBytes(user, password, body);
  }

  /** Sends any body with BASIC credentials; decodes the answer if it is Avatica's. */
  Reply sendBytes(String user, String password, byte[] body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(server.server().url().toString()))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    Service.Response decoded = json
        ? JsonService.MAPPER.readValue(new String(r.body(), StandardCharsets.UTF_8),
            Service.Response.class)
        : PROTOBUF.parseResponse(r.body());
    return new Reply(r.statusCode(), decoded, new String(r.body(), StandardCharsets.UTF_8));
  }
}
