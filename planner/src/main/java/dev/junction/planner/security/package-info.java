/**
 * Access control: the policy file's model ({@link dev.junction.planner.security.Policy}),
 * its loader, and its enforcement as a plan rewrite before pushdown. Each connection sees
 * the catalog through {@link dev.junction.planner.security.GovernedSchemas}: tables it may
 * not read do not exist for it, hidden columns are not in its row types, and every scan
 * of a governed table becomes the table with its row filter applied and its masks
 * projected, so both travel into the SQL sent to the source.
 */
package dev.junction.planner.security;
