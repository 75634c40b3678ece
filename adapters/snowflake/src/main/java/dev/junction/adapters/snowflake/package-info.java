/**
 * The optional Snowflake source: dialect, session pinning, query tags and key-pair login.
 * Not part of the default driver jar; see the README's Snowflake section.
 */
package dev.junction.adapters.snowflake;
