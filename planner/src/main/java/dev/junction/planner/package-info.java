/**
 * Junction's planner: the catalog of sources ({@code catalog}), the catalog file
 * ({@code config}), the Calcite planning pipeline ({@code planning}) and the type system
 * ({@code types}). It depends on the adapter SPI only, never on a concrete adapter.
 */
package dev.junction.planner;
