package dev.junction.server.http;

import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Avatica's two wire formats: decode a request, encode a response, and encode an error
 * with an HTTP status. Decoding is separate from dispatch so the endpoint can check a
 * request's connection owner and rewrite its identity before the service sees it.
 */
abstract class Codec {
  /** The response content type. */
  abstract String contentType();

  abstract Service.Request decode(byte[] body) throws IOException;

  abstract byte[] encode(Service.Response response) throws IOException;

  /** An Avatica ErrorResponse for {@code e} and the HTTP status to send it with. */
  abstract HandlerResponse<byte[]> error(Exception e, int status);

  abstract void setRpcMetadata(Service.RpcMetadataResponse metadata);

  static Codec protobuf(Service service) {
    return new Protobuf(service);
  }

  static Codec json(Service service) {
    return new Json(service);
  }

  /** Protocol Buffers, Avatica's recommended format. */
  private static final class Protobuf extends Codec {
    private final ProtobufTranslation translation = new ProtobufTranslationImpl();
    private final ProtobufHandler errors;

    Protobuf(Service service) {
      this.errors = new ProtobufHandler(service, translation, NoopMetricsSystem.getInstance());
    }

    @Override String contentType() {
      return "application/octet-stream";
    }

    @Override Service.Request decode(byte[] body) throws IOException {
      return translation.parseRequest(body);
    }

    @Override byte[] encode(Service.Response response) throws IOException {
      return translation.serializeResponse(response);
    }

    @Override HandlerResponse<byte[]> error(Exception e, int status) {
      return switch (status) {
        case 400 -> errors.badRequestErrorResponse(e);
        case 401 -> errors.unauthenticatedErrorResponse(e);
        case 403 -> errors.unauthorizedErrorResponse(e);
        default -> errors.convertToErrorResponse(e);
      };
    }

    @Override void setRpcMetadata(Service.RpcMetadataResponse metadata) {
      errors.setRpcMetadata(metadata);
    }
  }

  /** JSON, for clients without protobuf. */
  private static final class Json extends Codec {
    private final JsonHandler errors;

    Json(Service service) {
      this.errors = new JsonHandler(service, NoopMetricsSystem.getInstance());
    }

    @Override String contentType() {
      return "application/json; charset=utf-8";
    }

    @Override Service.Request decode(byte[] body) throws IOException {
      return JsonService.MAPPER.readValue(new String(body, StandardCharsets.UTF_8),
          Service.Request.class);
    }

    @Override byte[] encode(Service.Response response) throws IOException {
      return JsonService.MAPPER.writeValueAsString(response).getBytes(StandardCharsets.UTF_8);
    }

    @Override HandlerResponse<byte[]> error(Exception e, int status) {
      HandlerResponse<String> r = switch (status) {
        case 400 -> errors.badRequestErrorResponse(e);
        case 401 -> errors.unauthenticatedErrorResponse(e);
        case 403 -> errors.unauthorizedErrorResponse(e);
        default -> errors.convertToErrorResponse(e);
      };
      return new HandlerResponse<>(r.getResponse().getBytes(StandardCharsets.UTF_8),
          r.getStatusCode());
    }

    @Override void setRpcMetadata(Service.RpcMetadataResponse metadata) {
      errors.setRpcMetadata(metadata);
    }
  }
}
