package org.dd4j.evaluate;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.models.ModelChoice;

/**
 * The evaluation phase of an experiment: K fresh networks of each architecture trained on
 * the distilled set with its learned syn_lr (or on a given synthetic-set file), beside the
 * same protocol on coreset baselines at the same ipc, random real images by default (spec
 * section 6).
 *
 * @param models evaluation architectures, at least one (the first is the headline)
 * @param config epochs, K runs, optimizer and DSA of every evaluation network
 * @param syntheticSet a synthetic-set file to evaluate, or null for the experiment's own
 *     distilled set (none if the experiment does not distill)
 * @param synLr the learning rate of the synthetic set's networks, or null for its learned
 *     syn_lr
 * @param modelLr the synthetic set's learning rate for some architectures, by model name
 *     as in {@code models} (e.g. "resnet18" -&gt; 0.005)
 * @param baselines the coreset baselines evaluated beside it
 * @param results a JSON Lines file to which each row is appended as soon as it is known, or
 *     null
 * @param scores the robustness scores of the synthetic set (DD-Ranking's), on the first
 *     model
 * @param tensorboard whether a standalone evaluation ({@code syntheticSet} and
 *     {@code results} given, no distillation) writes its accuracies as TensorBoard event
 *     files beside {@code results} ({@link org.dd4j.settings.EventSettings#TENSORBOARD})
 */
public record EvaluationPlan(List<ModelChoice> models, EvalConfig config, Path syntheticSet,
    Double synLr, Map<String, Double> modelLr, Baselines baselines, Path results,
    ScoreConfig scores, boolean tensorboard) {

  /** A plan that writes TensorBoard event files (beside {@code results}, if any). */
  public EvaluationPlan(List<ModelChoice> models, EvalConfig config, Path syntheticSet,
      Double synLr, Map<String, Double> modelLr, Baselines baselines, Path results,
      ScoreConfig scores) {
    this(models, config, syntheticSet, synLr, modelLr, baselines, results, scores, true);
  }

  /**
   * Coreset baselines: real images chosen per class by a registered selection (spec section
   * 6, AST's Table 9).
   *
   * @param names registered coresets, e.g. "random", "herding", "k-center", "k-means"; empty
   *     for none
   * @param ipc images per class, or null for the synthetic set's
   * @param lr the learning rate of their networks, or null for the distillation's lr_teacher
   *     ({@link #DEFAULT_LR} when there is none)
   * @param seed seeds the draws (random images, k-means seeding)
   * @param embedBuffer the buffer whose expert embeds the real images for the selections that
   *     use embeddings, or null for the experiment's own buffer
   * @param embedExpert which expert of it (its final checkpoint)
   * @param embedding "features" or "logits"
   */
  public record Baselines(List<String> names, Integer ipc, Double lr, long seed,
      Path embedBuffer, int embedExpert, String embedding) {

    /**
     * The learning rate of the baselines' networks when neither given nor taken from a
     * distillation's lr_teacher: MTT's lr_teacher.
     */
    public static final double DEFAULT_LR = 0.01;

    /** @throws IllegalArgumentException for ipc &lt; 1 or a negative expert */
    public Baselines {
      names = List.copyOf(names);
      checkArgument(ipc == null || ipc >= 1, "ipc must be >= 1, got %s", ipc);
      checkArgument(embedExpert >= 0, "embedExpert must be >= 0, got %s", embedExpert);
      checkNotNull(embedding, "embedding");
    }

    /** Random real images alone (or nothing), seeded. */
    public static Baselines random(boolean on, long seed) {
      return new Baselines(on ? List.of("random") : List.of(), null, null, seed, null, 0,
          "features");
    }
  }

  /** @throws IllegalArgumentException if {@code models} is empty or a lr is not positive */
  public EvaluationPlan {
    checkNotNull(config, "config");
    checkNotNull(baselines, "baselines");
    checkNotNull(scores, "scores");
    models = List.copyOf(models);
    checkArgument(!models.isEmpty(), "models must name at least one architecture");
    checkArgument(synLr == null || synLr > 0, "synLr must be > 0, got %s", synLr);
    modelLr = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modelLr));
    modelLr.forEach((k, v) -> checkArgument(v > 0, "the learning rate of %s must be > 0, "
        + "got %s", k, v));
  }

  /**
   * The experiment's distilled set on {@code models}, beside random real images when
   * {@code randomBaseline} (seeded by {@code config.seed()}, trained at lr_teacher), with
   * {@code scores}.
   */
  public EvaluationPlan(List<ModelChoice> models, EvalConfig config, boolean randomBaseline,
      ScoreConfig scores) {
    this(models, config, null, null, Map.of(), Baselines.random(randomBaseline, config.seed()),
        null, scores);
  }

  /** Whether random real images are among the baselines. */
  public boolean randomBaseline() {
    return baselines.names().contains("random");
  }
}
