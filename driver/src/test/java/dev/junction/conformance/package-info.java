/**
 * The pushdown conformance battery: one set of SQL shapes that every adapter runs, each
 * adapter declaring what its source executes ({@link dev.junction.conformance.Behavior}).
 */
package dev.junction.conformance;
