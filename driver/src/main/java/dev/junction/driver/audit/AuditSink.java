package dev.junction.driver.audit;

import java.io.IOException;

/**
 * Where audit lines go, without a failure policy: a sink reports every failure to write
 * by throwing, and {@link SinkAuditLog} decides whether the statement fails.
 */
interface AuditSink {
  /**
   * Appends one line (the line break is the sink's to add); when this returns, the line is
   * written as durably as the sink can make it.
   *
   * @throws IOException when the line was not written
   */
  void write(String line) throws IOException;

  /**
   * Whether a line written now would be kept. A logger whose level drops INFO keeps none,
   * so no line is rendered for it (rendering cost about a tenth of a millisecond per
   * statement).
   */
  default boolean keepsLines() {
    return true;
  }

  /** What a failure message calls this destination, e.g. the file's path. */
  String describe();

  /** Checks the sink could take a line now (opening its file if need be). */
  default void check() throws IOException {
  }

  /** Releases the sink; writes after this fail. */
  void close() throws IOException;
}
