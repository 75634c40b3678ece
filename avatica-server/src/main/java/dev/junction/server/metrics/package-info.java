/** Server metrics, rendered in the Prometheus text exposition format. */
package dev.junction.server.metrics;
