package dev.junction.server.http;

import dev.junction.driver.JunctionProperty;
import dev.junction.server.EventLog;
import dev.junction.server.Json;
import dev.junction.server.auth.AuthResult;
import dev.junction.server.auth.Authenticator;
import dev.junction.server.metrics.ServerMetrics;
import dev.junction.server.session.ServerMeta;
import dev.junction.server.session.Sessions;
import dev.junction.server.session.StatementAccessException;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.RequestDispatch;
import org.apache.calcite.avatica.remote.Service;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code user}, the token's {@code groups} and {@code attributes}, the caller's
 * {@code clientAddress}, and of what the client sent only {@code schema} and
 * {@code timeZone}, so no client can choose its identity, reveal the policy or point the
 * server at another catalog;</li>
 * <li>any other request on a connection owned by another principal: 403;</li>
 * <li>dispatch to the service, with the statement watched for a client disconnect; a
 * request naming a statement its connection did not create is refused there (by
 * {@link ServerMeta}): 403.</li>
 * </ol>
 *
 * <p>Every refusal and failure answers with an Avatica ErrorResponse built by
 * {@link ErrorResponses}: message, SQLState and error code, no stack trace, and an error
 * id that the message quotes and the event log records (with the trace, for failures).
 * Refusals are audited as {@code access_denied}; a body that is not an Avatica request
 * gets 400.
 */
public final class JunctionHandler extends AbstractHandler {
  /** Client connection properties passed through to the Junction connection. */
  private static final Set<String> PASSED_PROPERTIES = Set.of("schema", "timeZone",
      JunctionProperty.RESULT_CACHE.camelName());
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
  private volatile Service.RpcMetadataResponse rpcMetadata;

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
    this.codec = json ? Codec.json() : Codec.protobuf();
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
    this.rpcMetadata = metadata;
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
    try {
      avatica(base, request, response);
    } catch (RuntimeException e) {
      // Never leave a failure to Jetty, whose error page would show the trace.
      if (response.isCommitted()) {
        throw e;
      }
      response.reset();
      response.setHeader("Cache-Control", "no-store");
      error(response, 500, e, "request_failed", "address", request.getRemoteAddr());
    }
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
    AuthResult.Ok caller;
    if (auth instanceof AuthResult.Ok ok) {
      caller = ok;
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
    String principal = caller.principal();

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
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      error(response, 400, new AvaticaRuntimeException("malformed Avatica request: the body"
          + " is not " + codec.formatName() + " Avatica request", 0,
          ErrorResponses.PROTOCOL_SQLSTATE, AvaticaSeverity.ERROR), "malformed_request",
          "address", address, "user", principal, "reason",
          reason.length() > 200 ? reason.substring(0, 200) + "..." : reason);
      return;
    }
    String type = req.getClass().getSimpleName();
    String connectionId = AvaticaRequests.connectionId(req);
    if (req instanceof Service.OpenConnectionRequest open) {
      req = new Service.OpenConnectionRequest(open.connectionId, identity(open.info, caller,
          address));
      for (String claim : caller.ignoredClaims()) {
        log.event("claim_ignored", "user", principal, "connection", open.connectionId,
            "claim", claim, "reason", "an object or array is not an attribute value; the"
            + " attribute is left out");
      }
    } else if (connectionId != null) {
      Optional<String> owner = sessions.owner(connectionId);
      if (owner.isPresent() && !owner.get().equals(principal)) {
        metrics.forbidden();
        error(response, 403, new AvaticaRuntimeException("Connection " + connectionId
            + " belongs to another user", 0, "28000", AvaticaSeverity.ERROR),
            "access_denied", "address", address, "user", principal,
            "reason", "connection owned by another user", "connection", connectionId,
            "request", type);
        return;
      }
    }
    if (draining.get() && AvaticaRequests.startsWork(req)) {
      error(response, 500, new AvaticaRuntimeException("The server is shutting down;"
          + " retry on another server", 0, "57P01", AvaticaSeverity.ERROR),
          "request_refused", "address", address, "user", principal, "reason", "draining",
          "request", type);
      return;
    }
    dispatch(response, req, type, connectionId, base, principal, address);
  }

  private void dispatch(HttpServletResponse response, Service.Request req, String type,
      String connectionId, Request base, String principal, String address)
      throws IOException {
    boolean counted = connectionId != null && sessions.begin(connectionId);
    int statement = AvaticaRequests.runningStatement(req);
    DisconnectWatchdog.Watch watch = statement < 0 ? null
        : watchdog.watch(base.getHttpChannel().getEndPoint(), () -> {
          if (meta.cancel(connectionId, statement)) {
            metrics.disconnectCancel();
            log.event("client_disconnected", "user", principal, "connection", connectionId,
                "statement", statement, "action", "cancelled");
          }
        });
    // The watch must be closed before anything is written back: once the client has its
    // answer it may send the next request on the same connection, which a still-running
    // watch would read and swallow (the client then waits for its response timeout).
    byte[] ok = null;
    Exception failure = null;
    try {
      ok = codec.encode(RequestDispatch.accept(req, service));
    } catch (Exception e) {
      failure = e;
    } finally {
      if (watch != null) {
        watch.close();
      }
      if (counted) {
        sessions.end(connectionId);
      }
    }
    if (failure instanceof StatementAccessException e) {
      metrics.forbidden();
      error(response, 403, e, "access_denied", "address", address, "user", principal,
          "reason", "statement of another connection", "connection", connectionId,
          "statement", e.statementId(), "request", type);
    } else if (failure != null) {
      error(response, 500, failure, "request_failed", "address", address, "user", principal,
          "connection", connectionId, "request", type);
    } else {
      write(response, 200, ok);
    }
  }

  /**
   * Answers with an Avatica ErrorResponse for {@code e} and logs {@code event} with the
   * given fields, the error id the response quotes, and for a failure inside the server
   * its stack trace (which the response never carries).
   */
  private void error(HttpServletResponse response, int status, Exception e, String event,
      Object... fields) throws IOException {
    String id = ErrorResponses.newId();
    Service.ErrorResponse r = ErrorResponses.of(e, id, rpcMetadata);
    List<Object> kv = new ArrayList<>(Arrays.asList(fields));
    kv.addAll(Arrays.asList("error", id, "status", status, "sqlstate", r.sqlState));
    if (status >= 500 && ErrorResponses.internal(e)) {
      kv.addAll(Arrays.asList("message", r.errorMessage, "trace", ErrorResponses.trace(e)));
    }
    log.event(event, kv.toArray());
    write(response, status, codec.encode(r));
  }

  /**
   * The connection properties a Junction connection gets: the caller's identity as the
   * server established it, and of the client's properties only {@link #PASSED_PROPERTIES}.
   * {@code groups} (comma-separated) and {@code attributes} (a JSON object of strings) are
   * set only when the token gave some.
   */
  static Map<String, String> identity(Map<String, String> clientInfo, AuthResult.Ok caller,
      String address) {
    Map<String, String> info = new HashMap<>();
    if (clientInfo != null) {
      clientInfo.forEach((k, v) -> {
        if (PASSED_PROPERTIES.contains(k) && v != null) {
          info.put(k, v);
        }
      });
    }
    info.put(JunctionProperty.USER.camelName(), caller.principal());
    if (!caller.groups().isEmpty()) {
      info.put(JunctionProperty.GROUPS.camelName(), String.join(",", caller.groups()));
    }
    if (!caller.attributes().isEmpty()) {
      StringBuilder json = new StringBuilder("{");
      caller.attributes().forEach((name, value) -> {
        if (json.length() > 1) {
          json.append(',');
        }
        Json.quote(json, name);
        json.append(':');
        Json.quote(json, value);
      });
      info.put(JunctionProperty.ATTRIBUTES.camelName(), json.append('}').toString());
    }
    if (address != null) {
      info.put(JunctionProperty.CLIENT_ADDRESS.camelName(), address);
    }
    return info;
  }

  private void write(HttpServletResponse response, int status, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(codec.contentType());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
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
