/** The {@code junction} command-line tool: shell, sql, explain and check. */
package dev.junction.cli;
