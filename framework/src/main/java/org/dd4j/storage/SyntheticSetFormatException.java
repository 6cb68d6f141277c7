package org.dd4j.storage;

import java.nio.file.Path;

/**
 * A synthetic-set file that cannot be used: missing, not an Arrow IPC file, cut short, of
 * another kind (e.g. an expert trajectory), written by an unsupported format version, or
 * internally inconsistent. The message names the file, what is wrong and what to do.
 */
public final class SyntheticSetFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * @param file the offending file
   * @param problem what is wrong, e.g. "is truncated or not an Arrow IPC file"
   * @param remedy what to do about it, e.g. "write it again with SyntheticSetFile.write"
   */
  public SyntheticSetFormatException(Path file, String problem, String remedy) {
    this(file, problem, remedy, null);
  }

  /** As {@link #SyntheticSetFormatException(Path, String, String)}, keeping the cause. */
  public SyntheticSetFormatException(Path file, String problem, String remedy,
      Throwable cause) {
    super(file + ": " + problem + (remedy.isEmpty() ? "" : "; " + remedy), cause);
    this.file = file;
  }

  /** The file the problem is about. */
  public Path file() {
    return file;
  }
}
