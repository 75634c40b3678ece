/**
 * The result cache: whole results of deterministic statements, keyed on the plan after the
 * access policy's rewrite and the statement's parameters, bounded by bytes and expiring
 * per source.
 */
package dev.junction.driver.cache;
