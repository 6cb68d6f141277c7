package org.dd4j.storage;

import java.nio.file.Path;

/**
 * A trajectory file or buffer directory that cannot be used: not an Arrow IPC file, cut
 * short, written by an unsupported format version, made for another model, or asked for a
 * snapshot it does not hold. The message names the file, what is wrong and what to do.
 */
public final class TrajectoryFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /**
   * @param file the offending file or directory
   * @param problem what is wrong, e.g. "is truncated or not an Arrow IPC file"
   * @param remedy what to do about it, e.g. "delete it and re-run buffer training"
   */
  public TrajectoryFormatException(Path file, String problem, String remedy) {
    this(file, problem, remedy, null);
  }

  /** As {@link #TrajectoryFormatException(Path, String, String)}, keeping the cause. */
  public TrajectoryFormatException(Path file, String problem, String remedy, Throwable cause) {
    super(file + ": " + problem + (remedy.isEmpty() ? "" : "; " + remedy), cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file or directory the problem is about. */
  public Path file() {
    return file;
  }

  /** What is wrong, without the file name and the remedy, e.g. "holds no snapshots". */
  public String problem() {
    return problem;
  }
}
