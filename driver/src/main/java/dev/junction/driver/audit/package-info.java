/**
 * The audit trail: one {@link dev.junction.driver.audit.AuditEvent} per statement, allowed
 * or denied, written as one JSON line by an {@link dev.junction.driver.audit.AuditLog} to
 * the destination the catalog's {@code audit:} section names (the log, a size-rotated file,
 * or nowhere), failing the statement or warning when the line cannot be written, as that
 * section's {@code on-failure} says.
 */
package dev.junction.driver.audit;
