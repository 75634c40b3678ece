/**
 * Attacks on access control: one fixture (orders, customers, secrets in every adapter's
 * source), one policy, and a list of queries that try to see what the policy hides, run
 * in-process here and through the server by {@code PolicyAttackServerIT}.
 */
package dev.junction.security;
