/**
 * The {@code junction} system schema: tables describing the running driver (its result
 * cache, the statements running now), one small {@link dev.junction.driver.system.SystemTable}
 * class each, read under the access policy as source {@code junction}.
 */
package dev.junction.driver.system;
