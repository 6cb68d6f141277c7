package org.dd4j.monitor;

import static com.google.common.base.Preconditions.checkState;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.dd4j.data.Preprocessing;
import org.dd4j.distill.DistillListener;
import org.dd4j.distill.IterationResult;
import org.dd4j.distill.SkippedIteration;
import org.dd4j.evaluate.ResultRow;
import org.dd4j.storage.ImageGrid;
import org.dd4j.synthetic.SyntheticSet;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * A distillation's TensorBoard events in its {@code tensorboard/} directory ({@link Tags}):
 * per iteration the matching loss, syn_lr, start epoch, expert and seconds (or that it was
 * skipped); at every save the image grid (as {@code syn-final.png} draws it) and a histogram
 * of the pixels, for the EMA too; every evaluation's accuracy mean and std; at step 0 the
 * configuration as text and as hparams.
 *
 * <p>Flushed after every iteration, save and evaluation. A resumed run ({@link #onStart}
 * from iteration k &gt; 0) first drops from the earlier files what it is about to write again
 * (per-iteration tags at steps &gt;= k, everything else at steps &gt; k, the configuration, a
 * damaged tail), then writes a new file; so the steps continue without duplicates.
 */
public final class DistillEvents implements DistillListener, AutoCloseable {

  private final Path dir;
  private final Preprocessing inverse;
  private final Map<String, Object> config;
  private EventWriter writer;

  /**
   * @param dir the run's tensorboard directory ({@code RunLayout.Distill#tensorboard})
   * @param inverse the dataset's preprocessing, inverted to draw the image grid
   * @param config the run's resolved configuration (its config.json)
   */
  public DistillEvents(Path dir, Preprocessing inverse, Map<String, Object> config) {
    this.dir = dir;
    this.inverse = inverse;
    this.config = config;
  }

  @Override
  public void onStart(int fromIteration, int iterations) {
    checkState(writer == null, "onStart twice");
    // a resumed run redoes the iterations from its checkpoint, a fresh one everything; the
    // configuration (a resume may have changed a resumable setting) is written anew
    EventFiles.drop(dir, e -> e.hasSummary() && (fromIteration == 0
        || redone(e, fromIteration)));
    writer = new EventWriter(dir);
    RunConfig.write(writer, config);
    writer.flush();
  }

  /**
   * Whether a run starting at iteration {@code from} writes this event again: per-iteration
   * tags at steps &gt;= from, the rest (sets saved or evaluated after {@code from} iterations)
   * at steps &gt; from, and the configuration.
   */
  static boolean redone(Event e, int from) {
    for (Summary.Value v : e.getSummary().getValueList()) {
      String tag = v.getTag();
      if (tag.equals(Tags.CONFIG) || tag.equals(HParams.SESSION_START_TAG) || e.getStep() > from
          || (e.getStep() == from && Tags.perIteration(tag))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void onIteration(IterationResult r) {
    EventWriter w = writer();
    w.scalar(Tags.GRAND_LOSS, r.iteration(), r.loss());
    w.scalar(Tags.SYN_LR, r.iteration(), r.synLr());
    w.scalar(Tags.START_EPOCH, r.iteration(), r.startEpoch());
    w.scalar(Tags.EXPERT, r.iteration(), r.expert());
    w.scalar(Tags.SECONDS, r.iteration(), r.seconds());
    if (!r.terms().isEmpty()) {
      w.scalar(Tags.OBJECTIVE, r.iteration(), r.objective());
      for (IterationResult.Term t : r.terms()) {
        w.scalar(Tags.REGULARIZER + t.label(), r.iteration(), t.value());
        w.scalar(Tags.REGULARIZER_WEIGHT + t.label(), r.iteration(), t.weight());
      }
    }
    w.flush();
  }

  @Override
  public void onSkipped(SkippedIteration s) {
    EventWriter w = writer();
    w.scalar(Tags.SKIPPED, s.iteration(), s.consecutive());
    w.flush();
  }

  @Override
  public void onSaved(int iteration, SyntheticSet set, Optional<SyntheticSet> ema) {
    EventWriter w = writer();
    images(w, Tags.SYNTHETIC_IMAGES, Tags.PIXELS, iteration, set);
    if (ema.isPresent()) {
      images(w, Tags.SYNTHETIC_IMAGES_EMA, Tags.PIXELS_EMA, iteration, ema.get());
    }
    w.flush();
  }

  private void images(EventWriter w, String gridTag, String pixelTag, int iteration,
      SyntheticSet set) {
    if (set.shape().channels() == 1 || set.shape().channels() == 3) {
      w.image(gridTag, iteration, ImageGrid.render(set, inverse,
          ImageGrid.autoScale(set.shape())));
    }
    w.histogram(pixelTag, iteration, finite(set.images()));
  }

  /** MTT's torch.nan_to_num of the pixels: NaN to 0, infinities to the float extremes. */
  private static float[] finite(float[] pixels) {
    float[] out = pixels.clone();
    for (int i = 0; i < out.length; i++) {
      if (Float.isNaN(out[i])) {
        out[i] = 0;
      } else if (Float.isInfinite(out[i])) {
        out[i] = out[i] > 0 ? Float.MAX_VALUE : -Float.MAX_VALUE;
      }
    }
    return out;
  }

  /** An evaluation during the run, of the set after {@code iteration} iterations. */
  public void onEvaluation(ResultRow row, int iteration) {
    EventWriter w = writer();
    evaluation(w, iteration, row);
    w.flush();
  }

  /** {@code Accuracy/...} and {@code Std/...} of a row; nothing for a diverged one. */
  static void evaluation(EventWriter w, long iteration, ResultRow row) {
    if (row.diverged()) {
      return;
    }
    w.scalar(Tags.accuracy(row.id(), row.model()), iteration, row.result().mean());
    w.scalar(Tags.std(row.id(), row.model()), iteration, row.result().std());
  }

  /**
   * The rows of an evaluation after the run (the experiment's evaluation phase), at step
   * {@code iteration} (the run's last), in a new file of {@code dir}; the same tags at that
   * step from an earlier evaluation are dropped first, so a repeated evaluation replaces its
   * points.
   */
  public static void writeEvaluation(Path dir, int iteration, List<ResultRow> rows) {
    Set<String> tags = rows.stream().flatMap(r -> java.util.stream.Stream.of(
        Tags.accuracy(r.id(), r.model()), Tags.std(r.id(), r.model())))
        .collect(Collectors.toSet());
    EventFiles.drop(dir, e -> e.getStep() == iteration && e.hasSummary()
        && e.getSummary().getValueList().stream().anyMatch(v -> tags.contains(v.getTag())));
    try (EventWriter w = new EventWriter(dir)) {
      for (ResultRow r : rows) {
        evaluation(w, iteration, r);
      }
    }
  }

  private EventWriter writer() {
    checkState(writer != null, "onStart was not called");
    return writer;
  }

  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
  }
}
