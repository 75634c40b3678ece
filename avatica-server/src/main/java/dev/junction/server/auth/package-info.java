/**
 * Who is calling: salted PBKDF2 password hashes in a users file checked over HTTP BASIC,
 * JWT bearer tokens for services, and per-address throttling of failed logins.
 */
package dev.junction.server.auth;
