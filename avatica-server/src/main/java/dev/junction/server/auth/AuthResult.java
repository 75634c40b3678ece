package dev.junction.server.auth;

/** The outcome of authenticating one HTTP request. */
public sealed interface AuthResult {
  /** Authenticated and allowed: the request runs as {@code principal}. */
  record Ok(String principal) implements AuthResult {
  }

  /** No credentials were sent: 401 with a challenge, not counted as a failure. */
  record Missing() implements AuthResult {
  }

  /** Wrong credentials: 401, counted and audited. {@code user} may be null. */
  record Failed(String user, String method, String reason) implements AuthResult {
  }

  /** Too many failures from this address: 429 until the window ends. */
  record Throttled() implements AuthResult {
  }

  /** Authenticated but not allowed to connect: 403. */
  record Forbidden(String principal) implements AuthResult {
  }
}
