package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;

/**
 * An expert of a buffer that distillation cannot use, and why ({@link BufferDirectory#scan()}).
 *
 * @param index expert index in [0, numExperts)
 * @param file where the expert's trajectory is (or would be): {@code expert-%05d.arrow}
 * @param kind whether the expert is merely not trained yet or its file is unusable
 * @param reason what is wrong, e.g. "still being trained (temporary file present)" or "is
 *     not a complete Arrow IPC file (truncated, ...)"
 */
public record SkippedExpert(int index, Path file, Kind kind, String reason) {

  /** Why an expert is skipped. */
  public enum Kind {
    /**
     * No file yet and the manifest does not list it as complete: buffer training has not
     * reached it, is writing it now, or stopped before it.
     */
    NOT_TRAINED,
    /**
     * The file exists but cannot be used (truncated, empty, another model, too few
     * snapshots), or the manifest lists the expert as complete but its file is gone.
     */
    UNUSABLE
  }

  public SkippedExpert {
    checkArgument(index >= 0, "index must be >= 0, got %s", index);
    checkNotNull(file, "file");
    checkNotNull(kind, "kind");
    checkNotNull(reason, "reason");
  }

  /** {@code "expert 1 (/buf/expert-00001.arrow): reason"}, for logs and error messages. */
  public String describe() {
    return "expert " + index + " (" + file + "): " + reason;
  }
}
