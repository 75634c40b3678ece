/**
 * Limits on what one query may cost: rows returned, time, concurrent queries per caller,
 * rows read from sources and memory held by local operators. The policy file and the
 * catalog set them ({@link dev.junction.planner.limits.LimitRules}); each caller gets one
 * {@link dev.junction.planner.limits.Limits} record, which the driver enforces.
 */
package dev.junction.planner.limits;
