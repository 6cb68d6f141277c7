package org.dd4j.distill;

import java.util.Optional;

/**
 * Thrown by {@link Distiller#run} after {@code maxConsecutiveFailures} skipped iterations in
 * a row (see {@link DivergenceGuard}). With a {@link CheckpointPolicy}, the run was rolled back: the checkpoint file holds
 * the last good state (it is never overwritten by a state inside a run of failures), and
 * {@link #rolledBackTo()} is that state as read back from the file.
 */
public final class DistillationDivergedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient DistillState rolledBackTo;

  DistillationDivergedException(String message, DistillState rolledBackTo) {
    super(message);
    this.rolledBackTo = rolledBackTo;
  }

  /** The checkpoint's state the run was rolled back to; empty without a checkpoint policy. */
  public Optional<DistillState> rolledBackTo() {
    return Optional.ofNullable(rolledBackTo);
  }
}
