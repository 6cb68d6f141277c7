package org.dd4j.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per run directory: an operating-system lock ({@link FileChannel#tryLock}) on the
 * lock file {@link RunLayout#lockIn} names inside a buffer, distillation, experiment or sweep
 * directory, or {@link RunLayout#lockBeside} next to an evaluation's results file. A second
 * writer, in another process or in this JVM, fails at once with a {@link RunLockedException}
 * naming the holder and writes nothing.
 *
 * <p>The operating system releases the lock when its process ends, however it ends, so a lock
 * left by a killed process ({@code kill -9}) never blocks: its lock file stays behind with the
 * dead holder's description, which is information only and is overwritten by the next
 * holder. A clean {@link #close} deletes the lock file while still holding the lock; a writer
 * that locked the deleted file meanwhile sees that the path names another file (device and
 * inode) and starts over on it, so two writers never hold locks on two files of one path.
 *
 * <p>Units of a distributed engine (Spark tasks) take no lock: they write only into their
 * per-attempt staging (e.g. {@code buffer/.attempts/}) of a directory the driver holds.
 */
public final class RunLock implements AutoCloseable {

  /** Attempts at locking a lock file that a releasing holder deletes meanwhile. */
  private static final int ATTEMPTS = 20;

  /** The lock files this JVM holds, with the description written into each. */
  private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

  private final Path file;
  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed;

  private RunLock(Path file, Path key, FileChannel channel, FileLock lock) {
    this.file = file;
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks the run directory {@code dir} (created if missing) for this writer.
   *
   * @throws RunLockedException if another writer holds it (naming the holder)
   * @throws UncheckedIOException if the directory or its lock file cannot be created
   */
  public static RunLock acquire(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return lock(dir, RunLayout.lockIn(dir));
  }

  /**
   * Locks the file {@code file} (an evaluation's {@code --results}, appended to) for this
   * writer, by a lock file beside it; the file's directory is created if missing.
   *
   * @throws RunLockedException if another writer holds it (naming the holder)
   */
  public static RunLock acquireFile(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + parent, e);
    }
    return lock(file, RunLayout.lockBeside(file));
  }

  // synchronized: two threads of this JVM must not both open the file (see below)
  private static synchronized RunLock lock(Path target, Path lockFile) {
    Path key = heldKey(lockFile);
    // Within one JVM a second channel on the file must not even be opened: closing it would
    // release this process's lock (POSIX record locks belong to the process), so writers in
    // this JVM are refused from the table of locks it holds.
    String heldHere = HELD.get(key);
    if (heldHere != null) {
      throw new RunLockedException(target, heldHere);
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Object before = fileKey(lockFile);
      FileChannel channel = open(lockFile);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException held) { // another writer in this JVM, just now
        lock = null;
      } catch (IOException e) {
        close(channel);
        throw new UncheckedIOException("cannot lock " + lockFile, e);
      }
      if (lock == null) {
        close(channel);
        String holder = HELD.get(key);
        throw new RunLockedException(target, holder != null ? holder : holder(lockFile));
      }
      // the path still names the file we locked, not one a releasing holder deleted (only
      // stat: opening the lock file again and closing it would drop our lock)
      if (before != null && before.equals(fileKey(lockFile))) {
        String info = describeHolder();
        try {
          channel.truncate(0);
          channel.write(ByteBuffer.wrap((info + "\n").getBytes(StandardCharsets.UTF_8)), 0);
          channel.force(false);
        } catch (IOException e) {
          close(channel);
          throw new UncheckedIOException("cannot write " + lockFile, e);
        }
        if (HELD.putIfAbsent(key, info) == null) {
          return new RunLock(lockFile, key, channel, lock);
        }
      }
      close(channel);
    }
    throw new UncheckedIOException("cannot lock " + lockFile, new IOException("the lock "
        + "file kept being replaced while locking it"));
  }

  /** The lock file's identity (device and inode), or null if there is none now. */
  private static Object fileKey(Path lockFile) {
    try {
      Object key = Files.readAttributes(lockFile, BasicFileAttributes.class).fileKey();
      return key != null ? key : lockFile; // a file system without keys: the path
    } catch (IOException e) {
      return null;
    }
  }

  /** The lock file's key in {@link #HELD}: its directory's real path and its name. */
  private static Path heldKey(Path lockFile) {
    Path dir = lockFile.toAbsolutePath().getParent();
    try {
      dir = dir.toRealPath();
    } catch (IOException e) {
      dir = dir.normalize();
    }
    return dir.resolve(lockFile.getFileName());
  }

  private static FileChannel open(Path lockFile) {
    try { // never truncated before the lock is ours: the holder's description stays readable
      return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the lock file " + lockFile, e);
    }
  }

  /** "pid 4711 on host h since 2026-12-08T01:40:12Z": this process, now. */
  static String describeHolder() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "unknown host");
    }
    return "pid " + ProcessHandle.current().pid() + " on " + host + " since "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * The holder another process's lock file describes, on one line of at most 200 characters
   * (the file may hold anything); empty if unreadable. Never called for a file this JVM
   * locks: closing the file after reading it would release the lock.
   */
  static String holder(Path lockFile) {
    try {
      String line = Files.readString(lockFile, StandardCharsets.UTF_8)
          .replaceAll("[\\p{Cntrl}]+", " ").strip();
      return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The lock file this lock holds. */
  public Path file() {
    return file;
  }

  /** Deletes the lock file, then releases the lock; a second call does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // left behind: the next writer locks and overwrites it
    }
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it too
    }
    close(channel);
    HELD.remove(key);
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held any more
    }
  }
}
