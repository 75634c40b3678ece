/** The set of opened sources a connection queries, mounted as Calcite sub-schemas. */
package dev.junction.planner.catalog;
