package org.dd4j.distill;

import java.util.SplittableRandom;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;

/**
 * How {@link Distiller} gets the matching loss and its gradients w.r.t. the images and
 * syn_lr for one outer iteration: {@link MatchingGraph} (the full unroll, {@code unroll =
 * full}) or {@link AdjointUnroll} (the adjoint sweep, {@code unroll = adjoint}). Both draw
 * the same random inputs from the same generator in the same order, so the two modes see the
 * same minibatches and DSA draws and a resumed run continues exactly in either.
 *
 * <p>Not thread-safe. Close it to free its graphs and sessions.
 */
interface StudentGradients extends AutoCloseable {

  /** The run's random inputs: the minibatches, then with DSA one draw per step. */
  MatchingGraph.Draws draw(SplittableRandom rng);

  /**
   * The matching loss after N student steps from the segment's w_0, and its gradients.
   *
   * @param x the synthetic images, shape [n, H, W, C]
   * @param lr syn_lr
   * @param segment traj[t..t + M], shape [M + 1, P], row 0 the (perturbed) start
   * @param nu the inner-loss factor of the start epoch
   */
  default MatchingGraph.Gradients run(float[] x, double lr, float[] segment, double nu,
      MatchingGraph.Draws draws) {
    return run(x, null, lr, segment, nu, draws);
  }

  /**
   * {@link #run(float[], double, float[], double, MatchingGraph.Draws)} with learnable soft
   * labels: the student's steps use the soft cross-entropy against softmax(y / T), and the
   * result carries dL/dy.
   *
   * @param y the label logits [n, C] when the configuration has soft labels, else null
   * @throws IllegalArgumentException if y is given to a graph built for hard labels, or not
   */
  default MatchingGraph.Gradients run(float[] x, float[] y, double lr, float[] segment,
      double nu, MatchingGraph.Draws draws) {
    return run(x, y, lr, segment, nu, draws, new double[0]);
  }

  /**
   * The whole objective {@code L = matching + sum_k lambda_k R_k} and its gradients, as
   * {@link #run(float[], float[], double, float[], double, MatchingGraph.Draws)}.
   *
   * @param lambda the configured regularizers' weights at this iteration, [K]
   * @throws IllegalArgumentException if lambda does not have one weight per regularizer
   */
  MatchingGraph.Gradients run(float[] x, float[] y, double lr, float[] segment, double nu,
      MatchingGraph.Draws draws, double[] lambda);

  @Override
  void close();

  /**
   * The implementation {@code choice} names ({@link UnrollMode#choose}), its graph built;
   * {@code range} is the data's pixel range a range regularizer reads.
   */
  static StudentGradients create(Model model, DistillConfig config, SessionOptions options,
      UnrollMode.Choice choice, PixelRange range) {
    String unroll = choice.mode();
    return switch (unroll) {
      case "full" -> new MatchingGraph(model, config, options, range);
      case "adjoint" -> AdjointUnroll.float32(model, config, options, range);
      default -> throw new IllegalArgumentException("unknown unroll mode '" + unroll
          + "': full or adjoint");
    };
  }
}
