package org.dd4j.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Write-to-temporary, fsync, rename: the only way dd4j puts a file under its final name, so
 * that a reader never sees a half-written trajectory or manifest.
 */
public final class AtomicFiles {

  private static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /** The temporary sibling of {@code target}: {@code dir/.name.tmp} (hidden, same directory). */
  static Path tempPathFor(Path target) {
    Path abs = target.toAbsolutePath();
    return abs.resolveSibling("." + abs.getFileName() + TEMP_SUFFIX);
  }

  /** Whether {@code file} is named like a temporary file of {@link #tempPathFor}. */
  static boolean isTempName(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
  }

  /**
   * Renames the already fsynced {@code temp} to {@code target} in one step (replacing an
   * existing target), then fsyncs the directory so that the rename itself survives a crash.
   *
   * @throws IOException if the rename fails (e.g. the temporary file was deleted meanwhile);
   *     the target is then untouched
   */
  public static void publish(Path temp, Path target) throws IOException {
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(target.toAbsolutePath().getParent());
  }

  /** Writes {@code bytes} to {@code target} atomically: temporary file, fsync, rename. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path temp = tempPathFor(target);
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      publish(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** {@link #write(Path, byte[])} of UTF-8 text. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Best effort: some platforms cannot open a directory for fsync; the rename still stands. */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here (e.g. Windows); the data itself was already forced.
    }
  }
}
