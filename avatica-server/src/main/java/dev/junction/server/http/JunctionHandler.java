package dev.junction.server.http;

import dev.junction.server.EventLog;
import dev.junction.server.auth.AuthResult;
import dev.junction.server.auth.Authenticator;
import dev.junction.server.metrics.ServerMetrics;
import dev.junction.server.session.ServerMeta;
import dev.junction.server.session.Sessions;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.RequestDispatch;
import org.apache.calcite.avatica.remote.Service;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The server's one Jetty handler. {@code GET /health}, {@code /ready} and {@code /metrics}
 * are the operations endpoints (no authentication, nothing secret); every other path takes
 * Avatica {@code POST} requests:
 *
 * <ol>
 * <li>authenticate ({@code Authorization: Basic|Bearer}); 401 with a challenge when
 * credentials are missing or wrong, 429 while the address is throttled, 403 when the
 * principal is not allowed;</li>
 * <li>decode the request; an {@code OpenConnection} gets the principal as its
 * {@code user} and nothing else the client sent, so no client can choose its identity or
 * point the server at another catalog;</li>
 * <li>any other request on a connection owned by another principal: 403;</li>
 * <li>dispatch to the service, with the statement watched for a client disconnect.</li>
 * </ol>
 */
public final class JunctionHandler extends AbstractHandler {
  /** Client connection properties passed through to the Junction connection. */
  private static final Set<String> PASSED_PROPERTIES = Set.of("schema", "timeZone");
  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  private final Service service;
  private final ServerMeta meta;
  private final Codec codec;
  private final Authenticator authenticator;
  private final Sessions sessions;
  private final ServerMetrics metrics;
  private final EventLog log;
  private final Supplier<Map<String, Optional<String>>> readiness;
  private final DisconnectWatchdog watchdog = new DisconnectWatchdog(200);
  private final AtomicBoolean draining = new AtomicBoolean();
  private final List<String> challenges;

  /**
   * Creates the handler.
   *
   * @param json whether the wire format is JSON (else protobuf)
   * @param readiness checks every source: name to empty (reachable) or a reason
   */
  public JunctionHandler(Service service, ServerMeta meta, boolean json,
      Authenticator authenticator, Sessions sessions, ServerMetrics metrics, EventLog log,
      Supplier<Map<String, Optional<String>>> readiness) {
    this.service = service;
    this.meta = meta;
    this.codec = json ? Codec.json(service) : Codec.protobuf(service);
    this.authenticator = authenticator;
    this.sessions = sessions;
    this.metrics = metrics;
    this.log = log;
    this.readiness = readiness;
    List<String> c = new ArrayList<>();
    if (authenticator.basic()) {
      c.add("Basic realm=\"junction\", charset=\"UTF-8\"");
    }
    if (authenticator.bearer()) {
      c.add("Bearer realm=\"junction\"");
    }
    this.challenges = List.copyOf(c);
  }

  /** Sets the server address reported in Avatica error responses. */
  public void setRpcMetadata(Service.RpcMetadataResponse metadata) {
    service.setRpcMetadata(metadata);
    codec.setRpcMetadata(metadata);
  }

  /** Stops taking new work: opens and executes are refused from now on. */
  public void drain() {
    draining.set(true);
  }

  @Override public void handle(String target, Request base, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    base.setHandled(true);
    response.setHeader("Cache-Control", "no-store");
    if ("GET".equals(request.getMethod())) {
      switch (target) {
        case "/health" -> text(response, 200, draining.get() ? "draining\n" : "ok\n");
        case "/ready" -> ready(response);
        case "/metrics" -> {
          response.setStatus(200);
          response.setContentType("text/plain; version=0.0.4; charset=utf-8");
          response.getOutputStream().write(metrics.render().getBytes(StandardCharsets.UTF_8));
        }
        default -> text(response, 404, "not found; Avatica clients POST, and GET serves"
            + " /health, /ready, /metrics\n");
      }
      return;
    }
    if (!"POST".equals(request.getMethod())) {
      text(response, 405, "method not allowed\n");
      return;
    }
    avatica(base, request, response);
  }

  private void ready(HttpServletResponse response) throws IOException {
    if (draining.get()) {
      text(response, 503, "draining\n");
      return;
    }
    Map<String, Optional<String>> checks;
    try {
      checks = readiness.get();
    } catch (RuntimeException e) {
      text(response, 503, "not ready: " + e.getMessage() + "\n");
      return;
    }
    StringBuilder b = new StringBuilder();
    boolean ok = true;
    for (Map.Entry<String, Optional<String>> e : checks.entrySet()) {
      ok &= e.getValue().isEmpty();
      b.append(e.getKey()).append(": ").append(e.getValue().map(m -> "unreachable (" + m + ")")
          .orElse("ok")).append('\n');
    }
    text(response, ok ? 200 : 503, b.toString());
  }

  private void avatica(Request base, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String address = request.getRemoteAddr();
    AuthResult auth = authenticator.authenticate(request.getHeader("Authorization"), address);
    String principal;
    if (auth instanceof AuthResult.Ok ok) {
      principal = ok.principal();
    } else if (auth instanceof AuthResult.Missing) {
      challenges.forEach(c -> response.addHeader("WWW-Authenticate", c));
      text(response, 401, "authentication required\n");
      return;
    } else if (auth instanceof AuthResult.Failed f) {
      metrics.failedLogin();
      log.event("login_failed", "address", address, "user", f.user() == null ? "" : f.user(),
          "method", f.method(), "reason", f.reason());
      challenges.forEach(c -> response.addHeader("WWW-Authenticate", c));
      text(response, 401, "authentication failed\n");
      return;
    } else if (auth instanceof AuthResult.Throttled) {
      metrics.throttledLogin();
      log.event("login_throttled", "address", address);
      // No Retry-After: Apache HttpClient 5 (the Avatica client) would sleep for it and
      // retry, hanging the caller for the whole throttle window instead of failing fast.
      text(response, 429, "too many failed logins from this address; retry later\n");
      return;
    } else {
      AuthResult.Forbidden f = (AuthResult.Forbidden) auth;
      metrics.forbidden();
      log.event("access_denied", "address", address, "user", f.principal(),
          "reason", "not in auth.allow");
      text(response, 403, "user '" + f.principal() + "' may not connect\n");
      return;
    }

    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      text(response, 413, "request too large\n");
      return;
    }
    Service.Request req;
    try {
      req = codec.decode(body);
    } catch (IOException | RuntimeException e) {
      write(response, codec.error(new IllegalArgumentException("malformed Avatica request"),
          400));
      return;
    }
    String connectionId = AvaticaRequests.connectionId(req);
    if (req instanceof Service.OpenConnectionRequest open) {
      req = new Service.OpenConnectionRequest(open.connectionId, identity(open.info,
          principal));
    } else if (connectionId != null) {
      Optional<String> owner = sessions.owner(connectionId);
      if (owner.isPresent() && !owner.get().equals(principal)) {
        metrics.forbidden();
        log.event("access_denied", "address", address, "user", principal,
            "reason", "connection owned by another user", "connection", connectionId);
        write(response, codec.error(new AvaticaRuntimeException("Connection " + connectionId
            + " belongs to another user", 0, "28000", AvaticaSeverity.ERROR), 403));
        return;
      }
    }
    if (draining.get() && AvaticaRequests.startsWork(req)) {
      write(response, codec.error(new AvaticaRuntimeException("The server is shutting down;"
          + " retry on another server", 0, "57P01", AvaticaSeverity.ERROR), 500));
      return;
    }
    write(response, dispatch(req, connectionId, base, principal));
  }

  private HandlerResponse<byte[]> dispatch(Service.Request req, String connectionId,
      Request base, String principal) {
    boolean counted = connectionId != null && sessions.begin(connectionId);
    int statement = AvaticaRequests.runningStatement(req);
    DisconnectWatchdog.Watch watch = statement < 0 ? null
        : watchdog.watch(base.getHttpChannel().getEndPoint(), () -> {
          if (meta.cancel(statement)) {
            metrics.disconnectCancel();
            log.event("client_disconnected", "user", principal, "connection", connectionId,
                "statement", statement, "action", "cancelled");
          }
        });
    try {
      Service.Response resp = RequestDispatch.accept(req, service);
      return new HandlerResponse<>(codec.encode(resp), 200);
    } catch (Exception e) {
      return codec.error(e, 500);
    } finally {
      if (watch != null) {
        watch.close();
      }
      if (counted) {
        sessions.end(connectionId);
      }
    }
  }

  /** The connection properties a Junction connection gets: the principal, little else. */
  static Map<String, String> identity(Map<String, String> clientInfo, String principal) {
    Map<String, String> info = new HashMap<>();
    if (clientInfo != null) {
      clientInfo.forEach((k, v) -> {
        if (PASSED_PROPERTIES.contains(k) && v != null) {
          info.put(k, v);
        }
      });
    }
    info.put("user", principal);
    return info;
  }

  private void write(HttpServletResponse response, HandlerResponse<byte[]> r)
      throws IOException {
    response.setStatus(r.getStatusCode());
    response.setContentType(codec.contentType());
    response.setContentLength(r.getResponse().length);
    response.getOutputStream().write(r.getResponse());
  }

  private static void text(HttpServletResponse response, int status, String body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain; charset=utf-8");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  @Override protected void doStop() throws Exception {
    watchdog.close();
    super.doStop();
  }
}
