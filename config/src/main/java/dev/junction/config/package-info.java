/**
 * The one configuration layer behind every Junction file: the catalog, the server settings
 * and the policy file. YAML is read strictly (every plain scalar stays a string until the
 * declared type converts it), {@code ${env:}} and {@code ${file:}} references are expanded,
 * secrets are never shown, and every problem is collected with its line so a user sees them
 * all at once.
 */
package dev.junction.config;
