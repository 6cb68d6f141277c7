package org.dd4j.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.dd4j.buffer.BufferPhase;
import org.dd4j.data.Dataset;
import org.dd4j.distribute.Engine;
import org.dd4j.engine.SessionOptions;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.RunLayout;

/**
 * The buffer phase on an {@link Engine}: one {@link ExpertUnit} per expert not yet complete
 * (complete experts are never scheduled again), then the manifest rescanned and the
 * per-expert metrics gathered into {@code metrics.jsonl} in expert order. Each unit's log is
 * {@code buffer/logs/expert-NNNNN.log}.
 *
 * <p>Storage: the buffer directory must be one filesystem that the driver and every executor
 * see at the same path ({@code file:} on one machine; NFS or another POSIX mount with atomic
 * rename on a cluster). Object stores (s3a:, gs:) are not supported: they have no atomic
 * rename.
 */
final class DistributedBuffer {

  private DistributedBuffer() {}

  static BufferDirectory run(Engine engine, ExperimentSource source, BufferPhase phase,
      Dataset data, Path dir, SessionOptions options, PrintWriter log) {
    BufferDirectory buffer = phase.open(data, dir);
    Path attempts = dir.resolve(ExpertUnit.ATTEMPTS);
    ExperimentRunner.delete(attempts); // left by a killed run
    List<Integer> missing = buffer.missingExperts();
    log.printf("buffer %s: %d experts to train on %s (%d complete)%n", dir, missing.size(),
        engine.describe(), buffer.completeExperts().size());
    log.flush();
    String root = dir.toAbsolutePath().normalize().toString();
    List<ExpertUnit> units = missing.stream().map(i -> new ExpertUnit(source, root, i,
        options.interOpThreads(), options.graphOptimizations())).toList();
    try {
      if (!units.isEmpty()) {
        engine.run("buffer", units);
      }
    } finally {
      ExperimentRunner.delete(attempts);
      gatherMetrics(dir, missing);
      buffer.refreshManifest();
    }
    return buffer;
  }

  /** Appends each trained expert's metrics to the buffer's metrics.jsonl, in expert order. */
  private static void gatherMetrics(Path dir, List<Integer> experts) {
    Path target = new RunLayout.Buffer(dir).metrics();
    try {
      for (int i : experts) {
        Path part = ExpertUnit.metrics(dir, i);
        if (Files.isRegularFile(part)) {
          Files.write(target, Files.readAllBytes(part), StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
          Files.delete(part);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot gather the experts' metrics into " + target, e);
    }
  }
}
