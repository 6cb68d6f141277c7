package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.SplittableRandom;
import org.dd4j.models.Model;
import org.dd4j.models.ParamLayout;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.TrajectoryReader;

/**
 * Draws the expert segment an outer iteration matches (MTT Algorithm 1, lines 4-6; spec
 * section 5, steps 1-2): an expert uniformly among the buffer's complete ones (the first
 * max_experts of them when that is set), a start epoch t uniformly in [T-, upper(it))
 * ({@link #minStartEpoch}; MTT: T- = 0; upper = T+, or DATM's window growing from
 * current_max_start_epoch to T+ by iteration expansion_end,
 * {@link DistillConfig#startEpochUpperBound}), and the snapshots
 * traj[t], ..., traj[t + M] read from the buffer, the first replaced by the configured
 * {@link StartPerturbation} of it (AST eq. 23; default none).
 *
 * <p>Draw order from the iteration's generator, which resumed runs rely on: the expert, the
 * start epoch, then whatever the start perturbation draws.
 *
 * <p>One sampler per run over one buffer; not thread-safe (it opens the expert files).
 */
final class SegmentSampler {

  /**
   * An expert segment, flat.
   *
   * @param expert index of the expert in the buffer
   * @param startEpoch t, the epoch of w_0
   * @param params traj[t..t + M] row-major, shape [M + 1, P], float32; row 0 the (possibly
   *     perturbed) student start w_0, row M the target w*
   */
  record Segment(int expert, int startEpoch, float[] params) {}

  private final BufferDirectory buffer;
  private final List<Integer> experts;
  private final ParamLayout layout;
  private final int paramCount;
  private final int minStartEpoch;
  private final int maxStartEpoch;
  private final int expertEpochs;
  private final StartPerturbation perturbation;
  private final DistillConfig config;

  /** T-, the lowest start epoch drawn: min_start_epoch (DATM; MTT's 0 by default). */
  static int minStartEpoch(DistillConfig config) {
    return config.get(DistillConfig.MIN_START_EPOCH);
  }

  /** The experts a run distils from: the first max_experts complete ones (0 = all). */
  static List<Integer> experts(BufferDirectory buffer, DistillConfig config) {
    List<Integer> complete = buffer.completeExperts();
    int max = config.get(DistillConfig.MAX_EXPERTS);
    return max == 0 || max >= complete.size() ? complete : complete.subList(0, max);
  }

  /**
   * @param buffer expert trajectories of {@code model}, with at least T+ - 1 + M epochs
   * @throws IllegalArgumentException if the buffer is for another model, has too few epochs
   *     or no complete expert
   */
  SegmentSampler(BufferDirectory buffer, Model model, DistillConfig config) {
    buffer.checkModel(model.spec());
    this.minStartEpoch = minStartEpoch(config);
    this.maxStartEpoch = config.maxStartEpoch();
    this.expertEpochs = config.expertEpochs();
    checkArgument(minStartEpoch >= 0 && minStartEpoch < maxStartEpoch,
        "start epochs are drawn from [%s, %s), which is empty", minStartEpoch, maxStartEpoch);
    int epochs = buffer.manifest().epochs();
    int needed = maxStartEpoch - 1 + expertEpochs;
    checkArgument(needed <= epochs, "the buffer's experts have %s epochs, but max start epoch"
        + " T+ = %s and expert epochs M = %s need %s (the target of the last start epoch,"
        + " T+ - 1 + M); lower T+ or M, or train longer experts", epochs, maxStartEpoch,
        expertEpochs, needed);
    this.experts = experts(buffer, config);
    checkArgument(!experts.isEmpty(), "buffer %s has no complete expert", buffer.root());
    this.buffer = buffer;
    this.layout = model.layout();
    this.paramCount = Math.toIntExact(layout.totalSize());
    this.perturbation = config.startPerturbation();
    this.config = config;
  }

  /** The segment of iteration 0 (the whole window when it does not grow). */
  Segment sample(SplittableRandom rng) {
    return sample(rng, 0);
  }

  /**
   * Iteration {@code it}'s segment, drawn from {@code rng} (advanced by the draws): start
   * epochs from [T-, {@link DistillConfig#startEpochUpperBound}(it)).
   */
  Segment sample(SplittableRandom rng, int it) {
    int expert = experts.get(rng.nextInt(experts.size()));
    int upper = config.startEpochUpperBound(it);
    int startEpoch = minStartEpoch + rng.nextInt(upper - minStartEpoch);
    int m = expertEpochs;
    float[] segment = new float[(m + 1) * paramCount]; // [M + 1, P]
    try (TrajectoryReader reader = buffer.openExpert(expert)) {
      int last = startEpoch + m;
      checkArgument(last < reader.numSnapshots(), "expert %s has %s snapshots, needs %s",
          expert, reader.numSnapshots(), last + 1);
      for (int k = 0; k <= m; k++) {
        float[] w = reader.snapshot(startEpoch + k); // [P]
        if (k == 0) {
          w = perturbation.perturb(w, layout, rng);
          checkArgument(w.length == paramCount, "start perturbation %s returned %s values for"
              + " %s parameters", perturbation.describe(), w.length, paramCount);
        }
        System.arraycopy(w, 0, segment, k * paramCount, paramCount);
      }
    }
    return new Segment(expert, startEpoch, segment);
  }
}
