/** The SQLite source: one database file shown as schema {@code main}. */
package dev.junction.adapters.sqlite;
