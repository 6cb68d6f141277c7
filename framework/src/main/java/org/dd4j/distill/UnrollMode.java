package org.dd4j.distill;

import org.dd4j.engine.MachineMemory;
import org.dd4j.models.ModelSpec;

/**
 * Which way the student's N steps are differentiated ({@link DistillConfig#UNROLL}): "full"
 * ({@link MatchingGraph}), "adjoint" ({@link AdjointUnroll}), or "auto", the default: the
 * full unroll while its estimated memory fits the budget, else the adjoint sweep.
 *
 * <p>Why, measured with {@code dd4j bench distill} (docs/results.md, ConvNet-3, batch_syn 100,
 * 2 threads): the adjoint sweep gives the same gradient with memory nearly independent of N
 * (1.6 GB at N 20, 2.6 GB at N 80, width 128), and costs 5-7 % more per iteration than the
 * full unroll at width 128 and N 20 (17.1 vs 16.3 s without DSA, 18.7 vs 17.5 s with) but
 * 17-60 % more at width 64 (8.2 vs 5.1 s at N 20); the full unroll grows by about 0.6 GB per
 * step at width 128 and stops fitting a 24 GB machine between N 20 and N 50. So neither mode
 * is the better default everywhere: "auto" keeps the full unroll's speed wherever it fits and
 * the adjoint's memory where it does not.
 *
 * <p>The estimate, calibrated on ConvNet-3 width 128 at 28x28 (32x32 inside), batch_syn 100
 * (13.0 GB at N 20, 7.2 GB at N 10): {@code 1.1 GB + 35.5 bytes x sum over steps of the
 * step's images x the activations of one image}, where one image's activations are the
 * ConvNet's conv outputs {@code sum_d (H / 2^d) (W / 2^d) width} (H, W as the first conv sees
 * them: 1-channel images are padded by 2 on each side). Other architectures have
 * no estimate and use the full unroll. The budget is 80 % of the machine's memory
 * ({@code /proc/meminfo}); the choice is logged. Both modes give the same gradients to float
 * rounding (about 1e-6 relative), so "auto" choosing differently on another machine changes
 * results only at that level; set full or adjoint to pin it.
 */
public final class UnrollMode {

  /** Bytes the full unroll needs before any step (graph, session, buffers). */
  static final double BASE_BYTES = 1.1e9;
  /** Bytes per activation value of one image in one unrolled step. */
  static final double BYTES_PER_ACTIVATION = 35.5;
  /** The share of the machine's memory "auto" lets the full unroll use. */
  static final double BUDGET_SHARE = 0.8;

  /**
   * The mode chosen and why.
   *
   * @param mode "full" or "adjoint"
   * @param reason for the log, e.g. "auto: full unroll estimated 31.6 GB > 18.2 GB budget"
   */
  record Choice(String mode, String reason) {}

  private UnrollMode() {}

  /** The mode {@code config} asks for, "auto" resolved for {@code spec} and its batches. */
  static Choice choose(DistillConfig config, ModelSpec spec, StudentBatches batches) {
    String asked = config.get(DistillConfig.UNROLL);
    if (!asked.equals("auto")) {
      return new Choice(asked, "set");
    }
    double estimate = estimateFullBytes(spec, batches);
    if (Double.isNaN(estimate)) {
      return new Choice("full", "auto: no memory estimate for " + spec.name());
    }
    double budget = BUDGET_SHARE * MachineMemory.totalBytes();
    String mode = estimate <= budget ? "full" : "adjoint";
    return new Choice(mode, String.format("auto: full unroll estimated %.1f GB %s %.1f GB "
        + "budget", estimate / 1e9, estimate <= budget ? "<=" : ">", budget / 1e9));
  }

  /**
   * The full unroll's estimated peak memory in bytes, or NaN for a non-ConvNet model.
   *
   * @param images C * ipc
   * @param batchSyn images per student step (the last chunk of a permutation may be smaller)
   * @param steps N
   */
  public static double estimateFullBytes(ModelSpec spec, int images, int batchSyn,
      int steps) {
    return estimateFullBytes(spec, new StudentBatches(images, batchSyn, steps));
  }

  static double estimateFullBytes(ModelSpec spec, StudentBatches batches) {
    if (!spec.name().equals("convnet")) {
      return Double.NaN;
    }
    int pad = spec.input().channels() == 1 ? 4 : 0; // ConvNet pads 1-channel images by 2 more
    int h = spec.input().height() + pad;
    int w = spec.input().width() + pad;
    double activations = 0;
    for (int d = 0; d < spec.depth(); d++) {
      activations += (double) (h >> d) * (w >> d) * spec.width();
    }
    return BASE_BYTES + BYTES_PER_ACTIVATION * activations * batches.total();
  }
}
