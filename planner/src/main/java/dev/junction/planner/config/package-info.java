/**
 * The catalog file: which sources to federate and their settings, validated in full
 * before any source is opened so a user sees every mistake at once.
 */
package dev.junction.planner.config;
