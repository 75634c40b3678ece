/** The PostgreSQL source: dialect, catalog statistics and type refinements. */
package dev.junction.adapters.postgresql;
