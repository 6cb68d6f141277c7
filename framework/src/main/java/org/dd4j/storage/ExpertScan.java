package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which experts of a buffer distillation can use, and which it skips and why
 * ({@link BufferDirectory#scan()}).
 *
 * @param buffer the buffer directory
 * @param numExperts experts the manifest asks for
 * @param usable indices of the complete, valid experts, ascending
 * @param skipped the other experts in [0, numExperts), ascending by index
 */
public record ExpertScan(Path buffer, int numExperts, List<Integer> usable,
    List<SkippedExpert> skipped) {

  public ExpertScan {
    checkNotNull(buffer, "buffer");
    checkArgument(numExperts > 0, "numExperts must be > 0, got %s", numExperts);
    usable = List.copyOf(usable);
    skipped = List.copyOf(skipped);
    checkArgument(usable.size() + skipped.size() == numExperts,
        "%s usable and %s skipped experts do not add up to %s", usable.size(), skipped.size(),
        numExperts);
  }

  /** The skipped experts whose file exists but is unusable, or is missing though complete. */
  public List<SkippedExpert> unusable() {
    return skipped.stream().filter(s -> s.kind() == SkippedExpert.Kind.UNUSABLE).toList();
  }

  /**
   * Checks that the buffer has enough valid experts to distil from, and returns them.
   *
   * <p>{@code minExperts = 0} is the default policy: every expert file that exists must be
   * valid (one truncated or emptied file fails the run rather than silently shrinking the
   * buffer), and at least one expert must be usable; experts not trained yet (a buffer still
   * being trained) are allowed. {@code minExperts > 0} accepts unusable files as long as at
   * least that many valid experts remain.
   *
   * @param minExperts fewest usable experts to accept, or 0 for the default policy; &gt;= 0
   * @return {@link #usable()}
   * @throws IllegalArgumentException naming every skipped file and why, when the policy is
   *     not met
   */
  public List<Integer> requireUsable(int minExperts) {
    checkArgument(minExperts >= 0, "minExperts must be >= 0, got %s", minExperts);
    if (minExperts == 0) {
      requireValidFiles();
    }
    int needed = Math.max(1, minExperts);
    if (usable.size() < needed) {
      throw new IllegalArgumentException(String.format("buffer %s has %d usable experts of %d,"
              + " %s %d%s; train the buffer further (re-run buffer training on this directory)",
          buffer, usable.size(), numExperts, minExperts == 0 ? "needs at least" : "min_experts"
              + " is", needed, skipped.isEmpty() ? "" : " (skipped: " + list(skipped) + ")"));
    }
    return usable;
  }

  /**
   * Checks that no expert file is unusable (experts not trained yet are fine).
   *
   * @throws IllegalArgumentException naming every unusable file and why
   */
  public void requireValidFiles() {
    List<SkippedExpert> bad = unusable();
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(String.format("buffer %s: %d of %d expert files are"
              + " unusable: %s; re-run buffer training on this directory to rewrite them, or set"
              + " min_experts (--min-experts N) to distil from the %d valid ones", buffer, bad.size(), numExperts,
          list(bad), usable.size()));
    }
  }

  private static String list(List<SkippedExpert> experts) {
    return experts.stream().map(SkippedExpert::describe).collect(Collectors.joining("; "));
  }
}
