package dev.junction.driver.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A file of audit lines, rotated by size: when a line would take the file past
 * {@code maxBytes}, the file becomes {@code <name>.1}, {@code <name>.1} becomes
 * {@code <name>.2} and so on, the oldest beyond {@code maxFiles} is deleted, and the line
 * starts a new file. A line longer than {@code maxBytes} is still written whole, alone in
 * its file.
 *
 * <p>Why not a logging framework's rolling appender: the audit must be able to fail closed,
 * which needs the write error at the call site, and Logback's and Log4j's appenders report
 * errors to their own status log and return normally (Log4j can rethrow, but only in a
 * configuration the application owns). A library also leaves the logging backend to the
 * application (the build bans a binding outside tests), and the application's logging
 * configuration could filter or redirect the audit. The rotation itself is a few renames.
 *
 * <p>Durability: each line is one {@code write} of its bytes, line break included, to a
 * channel opened for append, with no buffer in between, so when {@link #write} returns the
 * line is in the operating system's hands and a crash of the JVM loses nothing recorded.
 * There is no {@code fsync} per line (it would serialize every statement on the disk), so
 * a crash of the machine itself may lose the last lines the kernel had not flushed.
 *
 * <p>Concurrency: writes, rotation and reopening hold a lock per file path, shared by every
 * sink of this JVM on the same file (two catalogs may name one audit file), so lines never
 * interleave and one rotation is seen by all. Before each line the sink checks that the
 * path still names the file it has open: a file deleted or moved by something else is
 * reopened (created anew while its directory exists), so no line goes to an unlinked file;
 * when the directory is gone or no longer a directory, that is the write's error.
 * If a write stopped part way (a full disk), the next file opened that does not end in a
 * line break gets one first, so the broken line stays alone on its line.
 *
 * <p>Something that is not a regular file ({@code /dev/stdout}, a pipe) is written to but
 * never rotated. A new file is created readable and writable by its owner only: the audit
 * holds SQL text, which can hold personal data.
 */
final class RotatingFileSink implements AuditSink {
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  private static final Set<StandardOpenOption> APPEND = Set.of(StandardOpenOption.CREATE,
      StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  private static final byte NEWLINE = '\n';

  private final Path file;
  private final long maxBytes;
  private final int maxFiles;
  private final ReentrantLock lock;
  private final FileAttribute<?>[] createAttributes;

  // Guarded by lock.
  private FileChannel channel;
  private Object fileKey;
  private boolean regular;
  private boolean brokenLine;
  private boolean closed;

  /**
   * A sink for {@code file}; opens nothing yet.
   *
   * @param maxBytes the size a file may reach before it is rotated
   * @param maxFiles how many rotated files are kept besides the current one, at least 1
   */
  RotatingFileSink(Path file, long maxBytes, int maxFiles) {
    if (maxFiles < 1) {
      throw new IllegalArgumentException("audit max-files must be at least 1, not "
          + maxFiles);
    }
    this.file = file.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.lock = LOCKS.computeIfAbsent(this.file, f -> new ReentrantLock());
    this.createAttributes =
        this.file.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
  }

  /** Opens the file now, so that a file that cannot be written is known before a line. */
  void open() throws IOException {
    lock.lock();
    try {
      current();
    } finally {
      lock.unlock();
    }
  }

  @Override public void check() throws IOException {
    open();
  }

  @Override public void write(String line) throws IOException {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    lock.lock();
    try {
      FileChannel ch = current();
      long size = ch.size();
      if (regular && size > 0 && size + bytes.length > maxBytes) {
        rotate();
        ch = current();
      }
      if (brokenLine) {
        writeFully(ch, ByteBuffer.wrap(new byte[] {NEWLINE}));
        brokenLine = false;
      }
      writeFully(ch, ByteBuffer.wrap(bytes));
    } catch (IOException | RuntimeException e) {
      // Reopen for the next line: the file may be back by then, or this one half-written.
      release();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  @Override public String describe() {
    return file.toString();
  }

  @Override public void close() throws IOException {
    lock.lock();
    try {
      closed = true;
      if (channel != null) {
        FileChannel ch = channel;
        channel = null;
        ch.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The open channel to the file at the path, (re)opened when the path names another. */
  private FileChannel current() throws IOException {
    if (closed) {
      throw new IOException("the audit log was closed");
    }
    if (channel != null) {
      try {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        if (Objects.equals(key, fileKey)) {
          return channel;
        }
      } catch (NoSuchFileException e) {
        // Deleted or moved away: open a new one below (which fails if the directory is gone).
      }
      release();
    }
    FileChannel ch = FileChannel.open(file, APPEND, createAttributes);
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      regular = a.isRegularFile();
      fileKey = a.fileKey();
      brokenLine = regular && !endsWithNewline(ch.size());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    channel = ch;
    return ch;
  }

  /** Whether the file is empty or ends in a line break (a channel for append cannot read). */
  private boolean endsWithNewline(long size) throws IOException {
    if (size == 0) {
      return true;
    }
    try (SeekableByteChannel in = Files.newByteChannel(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      in.position(size - 1);
      return in.read(last) == 1 && last.get(0) == NEWLINE;
    }
  }

  /** Shifts {@code <name>.i} to {@code <name>.(i+1)}, the file to {@code <name>.1}. */
  private void rotate() throws IOException {
    release();
    int stale = maxFiles + 1; // files left by a larger max-files
    while (Files.deleteIfExists(rotated(stale))) {
      stale++;
    }
    Files.deleteIfExists(rotated(maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path from = rotated(i);
      if (Files.exists(from)) {
        Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
  }

  private Path rotated(int i) {
    return file.resolveSibling(file.getFileName() + "." + i);
  }

  /** Closes the channel, if open; the next line opens the file again. */
  private void release() {
    FileChannel ch = channel;
    channel = null;
    fileKey = null;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // The write's own error, if any, is the one that matters.
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
