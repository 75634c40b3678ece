/**
 * Operators of Junction's local engine: the part of a federated plan that runs in Junction
 * over rows fetched from the sources, in Calcite's Enumerable convention. Each replaces a
 * Calcite operator whose run-time algorithm was measured slow for that work, keeping its
 * planning, cost and results.
 */
package dev.junction.planner.local;
