/** The BigQuery source adapter: Google's client library behind Junction's JDBC pushdown. */
package dev.junction.adapters.bigquery;
