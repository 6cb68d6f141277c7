package org.dd4j.storage;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.dd4j.data.CacheDir;

/**
 * The names of every file dd4j writes in a run directory, whichever front end ({@code dd4j
 * run}, {@code dd4j buffer}, {@code dd4j distill}, the Java API) started the phase. Writers
 * and readers (the phases, the reports) take their paths from here, so that the outputs of
 * one path are always found by the other.
 *
 * <pre>
 * ROOT/experiment.json          the resolved experiment (dd4j run, a sweep, each sweep point)
 * ROOT/.dd4j.lock               while a writer runs ({@link #LOCK}; in every run directory)
 * ROOT/buffer/                  {@link Buffer}: config.json, manifest.json, expert-NNNNN.arrow,
 *                               metrics.jsonl, report.md, chart-*.png,
 *                               tensorboard/expert-NNNNN/ (TensorBoard event files)
 * ROOT/distill/                 {@link Distill}: config.json, metrics.jsonl, checkpoint.bin,
 *                               syn-latest.arrow, syn-final.arrow, syn-final.png,
 *                               syn-ema-*.arrow|png, eval.jsonl, summary.md, report.md,
 *                               chart-*.png, tensorboard/ (TensorBoard event files)
 * </pre>
 *
 * {@code dd4j buffer --out B} and {@code dd4j distill --out D} use the same phase layouts
 * with {@code B} and {@code D} as the phase directories and no root.
 *
 * @param root the experiment directory, or null when a single phase runs in its own directory
 * @param buffer the buffer phase's directory
 * @param distill the distillation phase's directory
 */
public record RunLayout(Path root, Buffer buffer, Distill distill) {

  /** The resolved experiment, in the root. */
  public static final String EXPERIMENT_JSON = "experiment.json";
  /** The buffer phase's subdirectory of the root. */
  public static final String BUFFER_DIR = "buffer";
  /** The distillation phase's subdirectory of the root. */
  public static final String DISTILL_DIR = "distill";

  /** The resolved configuration of a phase. */
  public static final String CONFIG = "config.json";
  /** One JSON line per expert epoch (buffer) or per iteration (distill). */
  public static final String METRICS = "metrics.jsonl";
  /** The phase's report (Markdown with its charts beside it). */
  public static final String REPORT = "report.md";
  /** The buffer's manifest. */
  public static final String MANIFEST = BufferDirectory.MANIFEST_FILE;
  /** Where an imported buffer came from (dd4j import buffer): its source files and hashes. */
  public static final String IMPORT = "import.json";
  /** The latest good distillation state. */
  public static final String CHECKPOINT = "checkpoint.bin";
  /** The synthetic set at the last save. */
  public static final String SYN_LATEST = "syn-latest.arrow";
  /** The final synthetic set. */
  public static final String SYN_FINAL = "syn-final.arrow";
  /** The final synthetic set's image grid. */
  public static final String SYN_FINAL_PNG = "syn-final.png";
  /** The image EMA at the last save (FTD). */
  public static final String SYN_EMA_LATEST = "syn-ema-latest.arrow";
  /** The final image EMA (FTD). */
  public static final String SYN_EMA_FINAL = "syn-ema-final.arrow";
  /** The final image EMA's grid (FTD). */
  public static final String SYN_EMA_FINAL_PNG = "syn-ema-final.png";
  /** One JSON line per evaluated (set, architecture), during and after distillation. */
  public static final String EVAL = "eval.jsonl";
  /** The final accuracy table (Markdown). */
  public static final String SUMMARY = "summary.md";
  /** A phase's TensorBoard event files ({@code tensorboard --logdir runs/}). */
  public static final String TENSORBOARD = "tensorboard";

  /**
   * The TensorBoard event files of a standalone evaluation ({@code dd4j evaluate --syn FILE
   * --results R}): {@code tensorboard/} beside its results file R.
   */
  public static Path evaluationEvents(Path results) {
    Path parent = results.toAbsolutePath().getParent();
    return parent.resolve(TENSORBOARD);
  }

  /**
   * The lock file of a run directory (experiment root, buffer, distill, sweep) while a writer
   * holds it ({@link RunLock}): hidden, and deleted when the writer finishes; one left by a
   * killed process only describes it and blocks nothing.
   */
  public static final String LOCK = ".dd4j.lock";

  /** The lock file {@link #LOCK} inside the run directory {@code dir}. */
  public static Path lockIn(Path dir) {
    return dir.resolve(LOCK);
  }

  /**
   * The lock file of a single file a run appends to (an evaluation's {@code --results}):
   * {@code .NAME.dd4j.lock} beside {@code NAME}.
   */
  public static Path lockBeside(Path file) {
    return file.toAbsolutePath().resolveSibling("." + file.getFileName() + LOCK);
  }

  /**
   * Where measured full-data accuracies (DD-Ranking's HLR) are cached: one JSON per (dataset,
   * preprocessing, model, protocol), with its settings; {@code full-data-accuracy/} in dd4j's
   * cache when env {@code DD4J_CACHE} names one ({@link CacheDir}), else relative to the
   * working directory, where the run scripts of docs/runs read them.
   */
  public static final String FULL_DATA_CACHE = "cache/full-data-accuracy";

  /** The cache file {@code name}.json of {@link #FULL_DATA_CACHE}, in this environment. */
  public static Path fullDataAccuracy(String name) {
    return fullDataAccuracy(name, System::getenv);
  }

  /** The cache file {@code name}.json of {@link #FULL_DATA_CACHE}, in environment {@code env}. */
  public static Path fullDataAccuracy(String name, Function<String, String> env) {
    Path dir = CacheDir.fromEnv(env).map(c -> c.resolve("full-data-accuracy"))
        .orElse(Path.of(FULL_DATA_CACHE));
    return dir.resolve(name + ".json");
  }

  public RunLayout {
    checkNotNull(buffer, "buffer");
    checkNotNull(distill, "distill");
  }

  /** An experiment directory: {@code root/buffer}, {@code root/distill}. */
  public static RunLayout experiment(Path root) {
    checkNotNull(root, "root");
    return new RunLayout(root, new Buffer(root.resolve(BUFFER_DIR)),
        new Distill(root.resolve(DISTILL_DIR)));
  }

  /**
   * Phases in directories of their own, without an experiment root (the phase commands).
   *
   * @param bufferDir the buffer's directory (written by a buffer phase, read by distillation)
   * @param distillDir the distillation's directory; may be null when there is none
   */
  public static RunLayout phases(Path bufferDir, Path distillDir) {
    checkNotNull(bufferDir, "bufferDir");
    return new RunLayout(null, new Buffer(bufferDir),
        new Distill(distillDir != null ? distillDir : bufferDir.resolveSibling("distill")));
  }

  /** {@code root/experiment.json}, when there is a root. */
  public Optional<Path> experimentJson() {
    return Optional.ofNullable(root).map(r -> r.resolve(EXPERIMENT_JSON));
  }

  /** The directory a summary of the whole run is named by: the root, else the distill dir. */
  public Path dir() {
    return root != null ? root : distill.dir();
  }

  /** A buffer directory: the experts and what describes them. */
  public record Buffer(Path dir) {
    public Buffer {
      checkNotNull(dir, "dir");
    }

    public Path config() {
      return dir.resolve(CONFIG);
    }

    public Path manifest() {
      return dir.resolve(MANIFEST);
    }

    public Path metrics() {
      return dir.resolve(METRICS);
    }

    public Path report() {
      return dir.resolve(REPORT);
    }

    /** TensorBoard event files, one subdirectory per expert. */
    public Path tensorboard() {
      return dir.resolve(TENSORBOARD);
    }
  }

  /** A distillation directory: the synthetic sets, their training and evaluations. */
  public record Distill(Path dir) {
    public Distill {
      checkNotNull(dir, "dir");
    }

    public Path config() {
      return dir.resolve(CONFIG);
    }

    public Path metrics() {
      return dir.resolve(METRICS);
    }

    public Path checkpoint() {
      return dir.resolve(CHECKPOINT);
    }

    public Path synLatest() {
      return dir.resolve(SYN_LATEST);
    }

    public Path synFinal() {
      return dir.resolve(SYN_FINAL);
    }

    public Path synFinalPng() {
      return dir.resolve(SYN_FINAL_PNG);
    }

    public Path synEmaLatest() {
      return dir.resolve(SYN_EMA_LATEST);
    }

    public Path synEmaFinal() {
      return dir.resolve(SYN_EMA_FINAL);
    }

    public Path synEmaFinalPng() {
      return dir.resolve(SYN_EMA_FINAL_PNG);
    }

    public Path eval() {
      return dir.resolve(EVAL);
    }

    public Path summary() {
      return dir.resolve(SUMMARY);
    }

    public Path report() {
      return dir.resolve(REPORT);
    }

    /** TensorBoard event files of the distillation and its evaluations. */
    public Path tensorboard() {
      return dir.resolve(TENSORBOARD);
    }
  }
}
