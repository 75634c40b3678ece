/**
 * Jetty wiring: the Avatica endpoint (authentication, identity, ownership, dispatch), the
 * operations endpoints ({@code /health}, {@code /ready}, {@code /metrics}), TLS and the
 * watchdog that notices clients that disconnect mid-query.
 */
package dev.junction.server.http;
