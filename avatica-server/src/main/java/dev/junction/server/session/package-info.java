/**
 * Server-side connections: each Avatica connection is bound to the principal that opened
 * it, bounded per principal, expired when idle, and its running statements cancelled when
 * the client goes away.
 */
package dev.junction.server.session;
