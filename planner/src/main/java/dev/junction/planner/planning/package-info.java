/**
 * How Junction plans a statement: Calcite's preparation with a bounded planner
 * (heuristic join ordering for many-way joins, a planning deadline) and the extra rules
 * that make federated plans push more into the sources.
 */
package dev.junction.planner.planning;
