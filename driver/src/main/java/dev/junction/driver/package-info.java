/**
 * The {@code jdbc:junction:} JDBC driver: URL and property parsing, sharing one opened
 * catalog between connections, DatabaseMetaData over the federated catalog, and the
 * mapping of Junction errors to SQLExceptions.
 */
package dev.junction.driver;
