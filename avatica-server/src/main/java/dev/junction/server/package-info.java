/**
 * The Junction server: the Avatica wire protocol over the Junction driver, with
 * authentication, TLS, per-user limits, health, metrics and graceful shutdown.
 *
 * <p>{@link dev.junction.server.ServerConfig} is the typed, validated configuration
 * ({@link dev.junction.server.ServerConfigLoader} reads it from YAML) and
 * {@link dev.junction.server.JunctionServer} the lifecycle. Concerns live in
 * sub-packages: {@code auth} (passwords, JWT, login throttling), {@code session}
 * (connection ownership, limits, idle expiry, the server-side Meta), {@code http} (Jetty
 * wiring, the Avatica and operations endpoints, TLS) and {@code metrics}.
 */
package dev.junction.server;
