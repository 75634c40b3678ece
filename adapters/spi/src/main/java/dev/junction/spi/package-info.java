/**
 * The adapter SPI: what a source type declares ({@link dev.junction.spi.SourceAdapter}),
 * the validated settings it is opened with ({@link dev.junction.spi.SourceSpec}) and the
 * opened source the planner federates ({@link dev.junction.spi.Source}).
 *
 * <p>Adapters are found with {@link java.util.ServiceLoader}; the planner never names a
 * concrete adapter.
 */
package dev.junction.spi;
