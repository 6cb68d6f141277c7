package org.dd4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dd4j.buffer.BufferListener;
import org.dd4j.buffer.BufferPhase;
import org.dd4j.buffer.EpochLog;
import org.dd4j.buffer.EpochResult;
import org.dd4j.buffer.MetricsFile;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.distribute.UnitContext;
import org.dd4j.distribute.WorkUnit;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ModelSpec;
import org.dd4j.monitor.BufferEvents;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.RunLayout;
import org.dd4j.train.NetworkTrainer;

/**
 * One expert of a distributed buffer: rebuilds the experiment from its source, trains expert
 * {@code expert} with {@link BufferPhase#trainExpert} (the local loop's unit, so the file is
 * the local one bit for bit) into a private staging directory of this attempt
 * ({@code buffer/.attempts/expert-NNNNN-<random>/}), then renames the complete file to
 * {@code buffer/expert-NNNNN.arrow} in one atomic step. A failed or killed attempt leaves at
 * most its staging directory, which {@link DistributedBuffer} deletes; a speculative twin
 * renames an identical file over the first.
 *
 * @param source rebuilds the experiment in the executor
 * @param dir the buffer directory, on storage every executor shares
 * @param expert the expert index
 * @param interOpThreads TensorFlow inter-op threads (intra-op: the task's cores)
 * @param grappler whether TensorFlow's graph optimizer runs
 */
record ExpertUnit(ExperimentSource source, String dir, int expert, int interOpThreads,
    boolean grappler) implements WorkUnit<String> {

  /** Where every attempt's staging directory lives, inside the buffer directory. */
  static final String ATTEMPTS = ".attempts";

  @Override
  public String label() {
    return "expert " + expert;
  }

  @Override
  public String logFile() {
    return logs(Path.of(dir)).resolve(String.format("expert-%05d.log", expert)).toString();
  }

  static Path logs(Path bufferDir) {
    return bufferDir.resolve("logs");
  }

  static Path metrics(Path bufferDir, int expert) {
    return logs(bufferDir).resolve(String.format("expert-%05d.metrics.jsonl", expert));
  }

  @Override
  public String run(UnitContext context) throws IOException {
    Experiment e = UnitInputs.experiment(source);
    PreprocessingKinds.Prepared prepared = e.data().shared(context.log());
    ModelSpec spec = e.model().spec(prepared.data());
    ExperimentRunner.BufferJob job = ExperimentRunner.bufferJob(e, prepared, spec);
    SessionOptions threads = new SessionOptions(context.cpus(), interOpThreads, grappler);
    BufferPhase phase = new BufferPhase(job.config(), job.augmentation(), threads);
    Path root = Path.of(dir);
    Path stage = root.resolve(ATTEMPTS).resolve(String.format("expert-%05d-%s", expert,
        UUID.randomUUID()));
    context.log().printf("training expert %d of %s with %d threads in %s%n", expert, root,
        context.cpus(), stage);
    context.log().flush();
    Path metrics = stage.resolve("metrics.jsonl");
    // this attempt's own events, moved beside the other experts' when it succeeds
    Path events = stage.resolve(RunLayout.TENSORBOARD);
    List<BufferListener> listeners = new ArrayList<>(List.of(
        new EpochLog(context.log(), job.config().training().epochs()),
        new MetricsFile(metrics),
        new BufferListener() {
          @Override
          public void onEpoch(EpochResult r) {
            context.checkpoint(); // where a test fails a first attempt
          }
        }));
    try (BufferEvents tensorboard = new BufferEvents(events,
        Map.of("dataset", e.data().dataset(), "experts", e.buffer().experts(),
            "training", e.buffer().training().describe(), "seed", e.buffer().seed()))) {
      if (ExperimentRunner.tensorboard(e)) {
        listeners.add(tensorboard);
      }
      BufferDirectory staged = phase.open(job.data(), stage);
      Path file;
      try (NetworkTrainer trainer = phase.newTrainer()) {
        file = phase.trainExpert(trainer, job.data(), staged, expert, listeners);
      }
      tensorboard.close();
      BufferDirectory buffer = BufferDirectory.open(root);
      Files.createDirectories(logs(root));
      Files.move(metrics, metrics(root, expert), StandardCopyOption.REPLACE_EXISTING);
      Path expertEvents = BufferEvents.expertDir(events, expert);
      if (Files.isDirectory(expertEvents)) {
        Path target = BufferEvents.expertDir(
            new RunLayout.Buffer(root).tensorboard(), expert);
        ExperimentRunner.delete(target);
        Files.createDirectories(target.getParent());
        Files.move(expertEvents, target);
      }
      AtomicFiles.publish(file, buffer.expertPath(expert)); // the rename, then its fsync
      return buffer.expertPath(expert).getFileName().toString();
    } finally {
      ExperimentRunner.delete(stage);
    }
  }
}
