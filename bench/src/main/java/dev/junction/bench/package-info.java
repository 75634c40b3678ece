/**
 * Side-by-side benchmarks: each scenario runs Junction and a baseline (direct JDBC, or
 * stock Calcite's JDBC adapter over the same sources) in one run and reports the ratio.
 */
package dev.junction.bench;
