package org.dd4j.distill;

import java.nio.file.Path;
import java.util.Optional;

/**
 * When a run saves its {@link Checkpoint}, following a {@link CheckpointPolicy}: once at the
 * start (so a rollback target exists, and an unwritable directory fails before any work),
 * after every {@code every} iterations since the previous save, and at the end. A save that
 * falls due inside a run of skipped iterations waits for the next applied one, so the file
 * only ever holds a good state. Without a policy it saves nothing.
 *
 * <p>One schedule per run: it remembers the iteration of its last save.
 */
final class CheckpointSchedule {

  private final Optional<CheckpointPolicy> policy;
  private final DistillConfig config;
  private int savedAt = -1; // nextIteration() of the state last saved

  CheckpointSchedule(Optional<CheckpointPolicy> policy, DistillConfig config) {
    this.policy = policy;
    this.config = config;
  }

  /** The checkpoint file, which holds the run's last good state once {@link #begin} ran. */
  Optional<Path> file() {
    return policy.map(CheckpointPolicy::file);
  }

  /**
   * Saves the state the run starts from.
   *
   * @throws java.io.UncheckedIOException if it cannot be written
   */
  void begin(DistillState from) {
    if (policy.isPresent()) {
      save(from);
    }
  }

  /** Saves {@code state}, just after an iteration, if a save is due and it is good. */
  void after(DistillState state) {
    if (policy.isPresent() && state.consecutiveFailures() == 0
        && state.nextIteration() - savedAt >= policy.get().every()) {
      save(state);
    }
  }

  /** Saves the run's final state unless that is already the saved one. */
  void end(DistillState state) {
    if (policy.isPresent() && savedAt != state.nextIteration()) {
      save(state);
    }
  }

  private void save(DistillState state) {
    Checkpoint.save(policy.get().file(), state, config);
    savedAt = state.nextIteration();
  }
}
