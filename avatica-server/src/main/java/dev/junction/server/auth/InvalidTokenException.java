package dev.junction.server.auth;

/** A bearer token that failed verification; the message says why, never the token. */
public final class InvalidTokenException extends Exception {
  private static final long serialVersionUID = 1L;

  InvalidTokenException(String message) {
    super(message);
  }
}
