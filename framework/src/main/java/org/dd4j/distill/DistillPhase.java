package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dd4j.data.Dataset;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.ConfigJson;
import org.dd4j.storage.ExpertScan;
import org.dd4j.storage.ImageGrid;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.SkippedExpert;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;

/**
 * One distillation run in a run directory, as {@code dd4j distill} and {@code dd4j run} do
 * it: {@link Distiller} in chunks between checkpoints, the synthetic set saved after each
 * chunk, optional evaluations on the way, and the final set saved as Arrow and PNG.
 *
 * <p>The run directory ({@link RunLayout.Distill}) receives {@code config.json} (the caller's
 * resolved configuration), {@code metrics.jsonl} (one line per iteration), {@code
 * checkpoint.bin} (every {@code saveEvery} iterations), {@code syn-latest.arrow}, {@code
 * syn-final.arrow}, {@code syn-final.png} and {@code eval.jsonl} (one {@link ResultRow} per
 * evaluation on the way); with an image EMA (FTD) also {@code syn-ema-latest.arrow}, {@code
 * syn-ema-final.arrow} and {@code syn-ema-final.png}, whose metadata says {@code images=ema}.
 * All are written atomically except the two JSON Lines files, which are appended to (a
 * resume first drops the metrics lines of the iterations it redoes, rewriting the file
 * atomically).
 */
public final class DistillPhase {

  /** File name of the final synthetic set in a run directory. */
  public static final String FINAL_SET = RunLayout.SYN_FINAL;

  /**
   * How a run is driven.
   *
   * @param saveEvery iterations between checkpoints and saved sets, &gt; 0
   * @param evalEvery iterations between evaluations during the run; 0 = none on the way
   * @param resume continue from the directory's checkpoint instead of refusing to touch it
   * @param progress show a progress bar on stderr
   */
  public record Options(int saveEvery, int evalEvery, boolean resume, boolean progress) {
    public Options {
      checkArgument(saveEvery > 0, "saveEvery must be > 0, got %s", saveEvery);
      checkArgument(evalEvery >= 0, "evalEvery must be >= 0, got %s", evalEvery);
    }
  }

  /**
   * What a run ends with.
   *
   * @param set the final synthetic set (also in {@code syn-final.arrow})
   * @param ema the exponential moving average of the images when the config keeps one (FTD;
   *     also in {@code syn-ema-final.arrow}), with the same labels and syn_lr
   */
  public record Result(SyntheticSet set, Optional<SyntheticSet> ema) {}

  private final Model model;
  private final DistillConfig config;
  private final SessionOptions sessionOptions;

  /**
   * @param model the student architecture (the buffer's)
   * @param config distillation settings
   */
  public DistillPhase(Model model, DistillConfig config, SessionOptions sessionOptions) {
    this.model = model;
    this.config = config;
    this.sessionOptions = sessionOptions;
  }

  /** The final set of a finished run in {@code dir}, if there is one. */
  public static Optional<Path> finished(Path dir) {
    Path f = new RunLayout.Distill(dir).synFinal();
    return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }

  /**
   * Runs (or, with {@code options.resume()}, continues) the distillation.
   *
   * @param prepared the preprocessed dataset the buffer was trained on, and its preprocessing
   *     (inverted for the PNG)
   * @param runConfig the resolved configuration, written to {@code config.json} and into the
   *     metadata of every saved set
   * @param log where progress lines go
   * @param attached listeners beside the phase's own (metrics.jsonl, log, progress bar), e.g.
   *     the evaluation on the way ({@link DistillListener#onEvaluationPoint})
   * @return the final synthetic set (also in {@code dir/syn-final.arrow}) and its EMA
   * @throws IllegalArgumentException if {@code dir} holds a checkpoint and resume is off, or
   *     the buffer's expert files fail the {@code min_experts} setting (every skipped expert is
   *     also logged, with its file and why)
   * @throws CheckpointException if the checkpoint was written with other settings
   * @throws DistillationDivergedException after too many skipped iterations
   */
  public Result run(PreprocessingKinds.Prepared prepared, BufferDirectory buffer,
      Path dir, Options options, Map<String, Object> runConfig, PrintWriter log,
      List<DistillListener> attached) {
    RunLayout.Distill files = new RunLayout.Distill(dir);
    Path checkpointFile = files.checkpoint();
    if (!options.resume() && Files.exists(checkpointFile)) {
      throw new IllegalArgumentException(dir + " already holds a run (checkpoint.bin); pass "
          + "--resume to continue it, or --out to start another");
    }
    ExpertScan experts = buffer.scan();
    for (SkippedExpert s : experts.skipped()) {
      log.printf("skipping %s%n", s.describe());
    }
    log.flush();
    experts.requireUsable(config.get(DistillConfig.MIN_EXPERTS));
    // checked (CheckpointException naming the changed settings) before anything is written
    Optional<DistillState> resumed = options.resume()
        ? Checkpoint.loadIfPresent(checkpointFile, config) : Optional.empty();
    Dataset d = prepared.data();
    Map<String, Object> plainConfig = ConfigJson.plain(runConfig);
    Map<String, Object> preprocessing = prepared.preprocessing().describe();
    // the EMA files' metadata says which images they hold
    Map<String, Object> emaConfig = new LinkedHashMap<>(plainConfig);
    emaConfig.put("images", "ema");
    try {
      Files.createDirectories(dir);
      AtomicFiles.writeString(files.config(), ConfigJson.text(plainConfig));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + files.config(), e);
    }
    int iterations = config.iterations();
    // the preprocessed training images' range, which a pixel-range regularizer reads
    PixelRange range = config.regularizers().isEmpty() ? PixelRange.UNKNOWN
        : PixelRange.of(d.train());
    try (Distiller distiller = new Distiller(model, config, sessionOptions, range)) {
      DistillState state = resumed.isPresent() ? resumed.get()
          : distiller.start(distiller.initialSet(d, buffer));
      var spec = model.spec();
      log.printf("distill %s: %s-d%d-w%d, ipc %d, N %d, M %d, T+ %d, %d iterations from %d "
              + "(buffer %s, %d experts); unroll %s%n", dir, spec.name(), spec.depth(),
          spec.width(), config.ipc(), config.synSteps(), config.expertEpochs(),
          config.maxStartEpoch(), iterations, state.nextIteration(), buffer.root(),
          experts.usable().size(), distiller.unrollMode());
      if (!config.regularizers().isEmpty()) {
        log.printf("objective: matching loss + %s%n", config.regularizers().describe());
      }
      log.flush();
      List<DistillListener> listeners = new ArrayList<>();
      // a resumed run redoes the iterations after its checkpoint: one line per iteration
      DistillMetricsFile.dropFrom(files.metrics(), state.nextIteration());
      listeners.add(new DistillMetricsFile(files.metrics()));
      listeners.add(new DistillListener() {
        @Override
        public void onSkipped(SkippedIteration s) {
          log.printf("iteration %d skipped: %s (%d in a row)%n", s.iteration(), s.reason(),
              s.consecutive());
          log.flush();
        }
      });
      DistillProgressBar bar = options.progress()
          ? new DistillProgressBar(state.nextIteration(), iterations) : null;
      if (bar != null) {
        listeners.add(bar);
      }
      listeners.addAll(attached);
      for (DistillListener l : listeners) {
        l.onStart(state.nextIteration(), iterations);
      }
      CheckpointPolicy policy = new CheckpointPolicy(checkpointFile, options.saveEvery());
      try {
        while (state.nextIteration() < iterations) {
          int until = nextBoundary(state.nextIteration(), options);
          state = distiller.runUntil(buffer, state, until, listeners, policy);
          SyntheticSetFile.write(files.synLatest(), state.set(), until,
              plainConfig, preprocessing);
          if (state.emaSet().isPresent()) {
            SyntheticSetFile.write(files.synEmaLatest(), state.emaSet().get(),
                until, emaConfig, preprocessing);
          }
          for (DistillListener l : listeners) {
            l.onSaved(until, state.set(), state.emaSet());
          }
          if (options.evalEvery() > 0 && until % options.evalEvery() == 0
              && until < iterations) {
            for (DistillListener l : listeners) {
              l.onEvaluationPoint(until, state.set(), state.emaSet());
            }
          }
        }
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
      SyntheticSet fin = state.set();
      SyntheticSetFile.write(files.synFinal(), fin, iterations, plainConfig,
          preprocessing);
      ImageGrid.write(files.synFinalPng(), fin, prepared.preprocessing(),
          ImageGrid.autoScale(fin.shape()));
      Optional<SyntheticSet> ema = state.emaSet();
      if (ema.isPresent()) {
        SyntheticSetFile.write(files.synEmaFinal(), ema.get(), iterations,
            emaConfig, preprocessing);
        ImageGrid.write(files.synEmaFinalPng(), ema.get(), prepared.preprocessing(),
            ImageGrid.autoScale(ema.get().shape()));
      }
      return new Result(fin, ema);
    }
  }

  /** The next iteration at which to stop and save (and maybe evaluate). */
  private int nextBoundary(int from, Options options) {
    int next = config.iterations();
    for (int every : new int[] {options.saveEvery(), options.evalEvery()}) {
      if (every > 0) {
        next = Math.min(next, (from / every + 1) * every);
      }
    }
    return next;
  }
}
