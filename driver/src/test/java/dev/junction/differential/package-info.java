/**
 * The differential test: random SQL run through Junction and directly on each source,
 * answers compared.
 */
package dev.junction.differential;
