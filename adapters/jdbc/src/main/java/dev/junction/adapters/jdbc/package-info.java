/**
 * The shared base of every JDBC source: pooling, lazily cached remote metadata with a
 * TTL, type mapping, row-count statistics and keys. A source module only supplies its
 * dialect and the few catalog queries that differ ({@link
 * dev.junction.adapters.jdbc.JdbcSourceAdapter}).
 */
package dev.junction.adapters.jdbc;
