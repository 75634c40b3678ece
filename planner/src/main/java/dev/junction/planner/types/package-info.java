/** The numeric and temporal type rules Junction plans with. */
package dev.junction.planner.types;
