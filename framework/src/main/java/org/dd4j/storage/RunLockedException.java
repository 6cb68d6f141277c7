package org.dd4j.storage;

import java.nio.file.Path;

/**
 * A run directory (or an evaluation's results file) that another writer holds: thrown by
 * {@link RunLock#acquire} before the second writer writes anything. The message is one line
 * naming the directory, the holder (pid, host, since when) as its lock file records it, and
 * what to do.
 */
public final class RunLockedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path target;

  /**
   * @param target the locked directory or file
   * @param holder the holder as its lock file describes it, e.g. "pid 4711 on host h since
   *     2026-12-08T01:40:12Z"; empty when the holder has not written it yet
   */
  public RunLockedException(Path target, String holder) {
    super(target + " is in use by another dd4j run (" + (holder.isEmpty() ? "holder not "
        + "recorded yet" : holder) + "); wait for it to finish, or write to another "
        + "directory (--out DIR)");
    this.target = target;
  }

  /** The locked directory or file. */
  public Path target() {
    return target;
  }
}
