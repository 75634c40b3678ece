/** The MySQL and MariaDB source: dialect, catalogs as schemas, and statistics. */
package dev.junction.adapters.mysql;
