package dev.junction.driver.system;

import dev.junction.driver.cache.ResultCache;
import dev.junction.planner.catalog.Catalog;
import dev.junction.planner.limits.Limits;

/**
 * What a system table may read to answer one caller.
 *
 * @param user the caller
 * @param seesEveryone whether the caller sees other callers' rows (in
 *     {@code junction.queries}): always without a policy; under a policy when the caller's
 *     attribute {@code junction-queries} is {@code all}
 * @param catalog the catalog the caller's connection opened
 * @param results that catalog's result cache, or null when it has none
 * @param limits the limits in force for the caller now
 */
public record SystemContext(String user, boolean seesEveryone, Catalog catalog,
    ResultCache results, Limits limits) {
}
