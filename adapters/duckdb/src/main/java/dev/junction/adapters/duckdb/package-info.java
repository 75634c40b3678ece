/** The DuckDB source: one embedded database per source, files exposed as tables. */
package dev.junction.adapters.duckdb;
