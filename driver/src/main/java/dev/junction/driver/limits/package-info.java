/**
 * Enforcement of the limits a caller has ({@link dev.junction.planner.limits.Limits}):
 * admission of concurrent queries ({@link dev.junction.driver.limits.QueryGate}) and the
 * per-query count of rows and memory read from sources
 * ({@link dev.junction.driver.limits.QueryBudget}).
 */
package dev.junction.driver.limits;
