package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;

/**
 * Where and how often {@link Distiller#run(org.dd4j.storage.BufferDirectory, DistillState,
 * java.util.List, CheckpointPolicy)} saves its {@link Checkpoint}: once at the start (so a
 * rollback target exists, and an unwritable directory fails before any work), after every
 * {@code every} iterations since the previous save, and at the end. A save that falls due
 * after a skipped iteration waits for the next applied one, so the file only ever holds a
 * good state (skipped iterations change nothing but the counter). A killed run therefore
 * loses at most {@code every} applied iterations. {@link CheckpointSchedule} applies it.
 *
 * @param file the checkpoint file, normally {@code runDir/checkpoint.bin}
 * @param every outer iterations between saves, > 0
 */
public record CheckpointPolicy(Path file, int every) {

  public CheckpointPolicy {
    checkNotNull(file, "file");
    checkArgument(every > 0, "every must be > 0 iterations, got %s", every);
  }

  /** {@code runDir/checkpoint.bin} every {@code every} iterations. */
  public static CheckpointPolicy inRunDirectory(Path runDir, int every) {
    return new CheckpointPolicy(runDir.resolve(Checkpoint.FILE_NAME), every);
  }
}
