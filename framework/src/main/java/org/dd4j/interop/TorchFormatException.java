package org.dd4j.interop;

import java.nio.file.Path;

/**
 * A PyTorch file ({@code .pt}) that dd4j will not read: missing, truncated or corrupt, in the
 * legacy non-zip format, naming a Python global outside the allow-list (a pickle can call
 * any function; dd4j never does), holding a dtype other than float32 / float64 / int64, or
 * holding tensors whose count or shapes do not fit the declared model or set. The message is
 * one line naming the file, what is wrong and what to do.
 */
public final class TorchFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param file the offending file
   * @param problem what is wrong, e.g. "is truncated (no zip end record)"
   * @param remedy what to do about it; empty for nothing to add
   */
  public TorchFormatException(Path file, String problem, String remedy) {
    this(file, problem, remedy, null);
  }

  /** As {@link #TorchFormatException(Path, String, String)}, keeping the cause. */
  public TorchFormatException(Path file, String problem, String remedy, Throwable cause) {
    super(file + ": " + problem + (remedy.isEmpty() ? "" : "; " + remedy), cause);
  }
}
