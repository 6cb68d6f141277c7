package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.dd4j.augment.DsaParams;
import org.dd4j.augment.DsaSampler;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The exact second-order gradient of trajectory matching by an adjoint (reverse-mode) sweep
 * over the N student steps, {@code unroll = adjoint}: the same loss and the same gradients
 * w.r.t. the images and syn_lr as {@link MatchingGraph}'s full unroll (not TESLA's
 * approximation), with the memory of ONE step's activations plus the N + 1 flat parameter
 * vectors w_0..w_N (and, with inner momentum, the velocities v_1..v_N), instead of all N
 * steps' activations (about 0.6 GB per step for ConvNet-3 of width 128). The vectors are Java
 * float64 arrays: w_0..w_N and dL/dw_0..dL/dw_N, about 2 (N + 1) P doubles (P = 320k, N = 80:
 * 0.4 GB; float32 storage would halve it), plus v_1..v_N with momentum; without it
 * v_{i+1} = g_i is taken from the backward step, which recomputes g_i by the same ops. Cost:
 * each step's forward pass runs twice (once in the forward sweep, once inside the backward
 * sweep's Hessian-vector product); measured 5-7 % more time per iteration than the full
 * unroll at ConvNet-3 width 128, N 20, and 17-60 % more at width 64 ({@code dd4j bench
 * distill}, docs/results.md).
 *
 * <p>Two small graphs, built once: {@link StudentStepGraph} (one step and its
 * vector-Jacobian product; its size does not depend on N) and {@link PathMatchingGraph} (the
 * configured {@link MatchingLoss} on a fed path, whatever loss a user wrote, so intermediate
 * matching contributes at its steps by itself).
 *
 * <p>The recurrence (eta = syn_lr, nu the inner-loss factor, mu the inner momentum, B_i and
 * D_i step i's minibatch and DSA draw, both from {@link #draw}):
 *
 * <pre>
 *   g_i     = grad_w [nu CE(model(w_i, D_i(X[B_i])), y[B_i])]
 *   v_{i+1} = mu v_i + g_i  (v_0 = 0; without momentum v_{i+1} = g_i)
 *   w_{i+1} = w_i - eta v_{i+1},   i = 0..N-1;   L = L(w_0..w_N; traj[t..t+M])
 * </pre>
 *
 * <p>With learnable soft labels y (DATM) the step's loss is the soft cross-entropy against
 * softmax(y[B_i] / T); y enters only through g_i, like X, so {@code dL/dy += ds/dy} beside
 * {@code dL/dX += ds/dX} below.
 *
 * <p>Reverse mode, with lambda_w the adjoint of w_{i+1} and lambda_v that of v_{i+1} coming
 * from later steps; start lambda_w = dL/dw_N, lambda_v = 0; for i = N-1 down to 0:
 *
 * <pre>
 *   lambda_w += dL/dw_{i+1}                (direct term; i + 1 &lt; N, w_N's is the start)
 *   a         = lambda_v - eta lambda_w    (adjoint of v_{i+1}, hence of g_i)
 *   dL/deta  += -lambda_w . v_{i+1}
 *   s         = g_i . a                    (a held fixed)
 *   dL/dX    += ds/dX
 *   lambda_w += ds/dw_i = H_i a            (now the adjoint of w_i)
 *   lambda_v  = mu a                       (adjoint of v_i)
 * </pre>
 *
 * <p>With mu = 0 this is {@code dX += -eta d(g_i . lambda)/dX}, {@code deta += -g_i . lambda},
 * {@code lambda_i = lambda_{i+1} - eta H_i lambda_{i+1}}. dL/dw_0 is not needed (w_0 does not
 * depend on X or eta).
 *
 * <p>Random inputs: {@link #draw} is {@link MatchingGraph#draw}'s, so both modes draw the
 * same minibatches and DSA parameters in the same order, and step i replays its draw in both
 * sweeps.
 *
 * <p>Float rounding against the full unroll (float32): the forward sweep runs the same ops
 * on the same values (the step's w and v pass through Java exactly, float to double and
 * back), so w_1..w_N and the loss agree up to kernel-level differences between the two
 * graphs (e.g. the sign of a zero velocity at step 0, which the full unroll does not
 * compute). The backward sweep differs: its sums run in a different order (per step instead
 * of TensorFlow's accumulation over the whole graph), the adjoints lambda_w, lambda_v, a, the
 * image gradient and dL/deta are accumulated in float64 in Java, and a is rounded to float32
 * when fed to each Hessian-vector product. Measured ({@code AdjointUnrollTest}, ConvNet depth
 * 1-2 width 4-8, 8x8x1, N 3-4): the loss bit-identical, dL/dsyn_lr within 1.2e-7 relative,
 * dL/dimages within 6e-6 relative (entries above 1% of the largest; at most 3 of 512 tiny
 * entries outside 1e-4 relative), four whole distiller iterations within 1e-5.
 *
 * <p>References: reverse-mode differentiation of an iterated map (Griewank and Walther,
 * "Evaluating Derivatives", 2008, ch. 3-4; Maclaurin et al., "Gradient-based Hyperparameter
 * Optimization through Reversible Learning", ICML 2015, Algorithm 2 without the reversal);
 * MTT (Cazenavette et al., CVPR 2022) Algorithm 1; spec section 5 and 5b.
 *
 * <p>Not thread-safe. Close it to free the graphs and sessions.
 */
final class AdjointUnroll implements StudentGradients {

  /**
   * The sweep's result in float64.
   *
   * @param loss L, the whole objective (matching loss plus weighted regularizers)
   * @param imageGrad dL/dX, [n, H, W, C]
   * @param lrGrad dL/d syn_lr
   * @param labelGrad dL/d label logits [n, C] with soft labels, else null
   * @param matchingLoss the matching loss alone
   * @param terms the regularizers' values R_k, [K]
   */
  record Sweep(double loss, double[] imageGrad, double lrGrad, double[] labelGrad,
      double matchingLoss, double[] terms) {

    /** A sweep without regularizers. */
    Sweep(double loss, double[] imageGrad, double lrGrad, double[] labelGrad) {
      this(loss, imageGrad, lrGrad, labelGrad, loss, new double[0]);
    }
  }

  private final Class<? extends TFloating> type;
  private final InputShape shape;
  private final int n;
  private final int synSteps;
  private final StudentBatches batchPlan;
  private final int[] offsets; // where step i's chunk starts in Draws.batchIndices
  private final int segmentRows;
  private final int paramCount;
  private final double momentum;
  private final boolean softLabels;
  private final int numClasses;
  private final Optional<DsaSampler> sampler;
  private final StudentStepGraph<?> step;
  private final PathMatchingGraph<?> matching;
  private final DistillConfig config;

  private AdjointUnroll(Model model, DistillConfig config, SessionOptions options,
      Class<? extends TFloating> type, PixelRange range) {
    int numClasses = model.spec().numClasses();
    this.type = type;
    this.shape = model.spec().input();
    this.n = numClasses * config.ipc();
    this.synSteps = config.synSteps();
    this.batchPlan = new StudentBatches(n, config.batchSyn(numClasses), synSteps);
    this.offsets = new int[synSteps];
    for (int i = 1; i < synSteps; i++) {
      offsets[i] = offsets[i - 1] + batchPlan.size(i - 1);
    }
    this.segmentRows = config.expertEpochs() + 1;
    this.paramCount = Math.toIntExact(model.layout().totalSize());
    // mu and eta as the graph holds them, so the sweep differentiates the computed recurrence
    this.momentum = rounded(config.innerMomentum());
    this.softLabels = config.softLabels();
    this.numClasses = numClasses;
    this.sampler = config.dsa().map(DsaSampler::new);
    this.config = config;
    StudentStepGraph<?> s = new StudentStepGraph<>(model, config, sampler.isPresent(), type,
        options);
    try {
      this.matching = new PathMatchingGraph<>(model, config, type, options, range);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    this.step = s;
  }

  /**
   * The distillation's adjoint, in float32 like {@link MatchingGraph}.
   *
   * @throws IllegalArgumentException if batch_syn does not divide C * ipc
   */
  static AdjointUnroll float32(Model model, DistillConfig config, SessionOptions options) {
    return float32(model, config, options, PixelRange.UNKNOWN);
  }

  /** The float32 sweep with the data's pixel range, which a range regularizer reads. */
  static AdjointUnroll float32(Model model, DistillConfig config, SessionOptions options,
      PixelRange range) {
    return new AdjointUnroll(model, config, options, TFloat32.class, range);
  }

  /** The same sweep in float64 graphs, for finite-difference checks ({@link #sweep}). */
  static AdjointUnroll float64(Model model, DistillConfig config, SessionOptions options) {
    return float64(model, config, options, PixelRange.UNKNOWN);
  }

  /** The float64 sweep with the data's pixel range. */
  static AdjointUnroll float64(Model model, DistillConfig config, SessionOptions options,
      PixelRange range) {
    return new AdjointUnroll(model, config, options, TFloat64.class, range);
  }

  @Override
  public MatchingGraph.Draws draw(SplittableRandom rng) {
    return MatchingGraph.draw(rng, batchPlan, sampler, shape);
  }

  @Override
  public MatchingGraph.Gradients run(float[] x, float[] y, double lr, float[] segment,
      double nu, MatchingGraph.Draws draws, double[] lambda) {
    Sweep s = sweep(widen(x), y == null ? null : widen(y), lr, widen(segment), nu, draws,
        lambda);
    float[] terms = narrow(s.terms());
    if (s.imageGrad() == null) {
      return MatchingGraph.Gradients.lossOnly((float) s.loss(), (float) s.matchingLoss(),
          terms);
    }
    return new MatchingGraph.Gradients((float) s.loss(), narrow(s.imageGrad()),
        (float) s.lrGrad(), s.labelGrad() == null ? new float[0] : narrow(s.labelGrad()),
        (float) s.matchingLoss(), terms);
  }

  /** The sweep with hard labels. */
  Sweep sweep(double[] x, double lr, double[] segment, double nu, MatchingGraph.Draws draws) {
    return sweep(x, null, lr, segment, nu, draws);
  }

  /** The sweep without regularizer weights (none configured). */
  Sweep sweep(double[] x, double[] y, double lr, double[] segment, double nu,
      MatchingGraph.Draws draws) {
    return sweep(x, y, lr, segment, nu, draws, new double[0]);
  }

  /**
   * The forward sweep, the matching loss and the backward sweep (see the class doc).
   *
   * @param x the synthetic images, [n, H, W, C]
   * @param y the label logits [n, C] with soft labels (dL/dy accumulates like dL/dx: each
   *     step's {@code ds/dy}), else null
   * @param lr syn_lr (rounded to float in a float32 sweep)
   * @param segment traj[t..t + M], [M + 1, P], row 0 the (perturbed) w_0
   * @param nu the inner-loss factor
   * @param lambda the regularizers' weights at this iteration, [K]
   */
  Sweep sweep(double[] x, double[] y, double lr, double[] segment, double nu,
      MatchingGraph.Draws draws, double[] lambda) {
    checkArgument(lambda.length == config.regularizers().size(), "expected %s regularizer"
        + " weights, got %s", config.regularizers().size(), lambda.length);
    checkArgument((y != null) == softLabels, "the adjoint was built for %s labels but %s"
        + " label logits were given", softLabels ? "soft" : "hard", y == null ? "no" : "");
    checkArgument(y == null || y.length == n * numClasses, "expected %s label logits, got %s",
        n * numClasses, y == null ? 0 : y.length);
    checkArgument(segment.length == segmentRows * paramCount, "segment has %s values, the"
        + " graph expects %s x %s", segment.length, segmentRows, paramCount);
    checkArgument(x.length == n * shape.size(), "expected %s image values, got %s",
        n * shape.size(), x.length);
    double eta = rounded(lr);
    boolean withMomentum = momentum != 0;

    // forward: w_0..w_N as the rows of the path, and v_1..v_N (g_0..g_{N-1} without
    // momentum); first order only
    double[] path = new double[(synSteps + 1) * paramCount]; // [N + 1, P]
    System.arraycopy(segment, 0, path, 0, paramCount); // w_0
    // v_1..v_N are kept only with inner momentum: without it v_{i+1} = g_i, which the
    // backward step recomputes by the same ops
    double[][] v = new double[synSteps + 1][];
    double[] vi = new double[paramCount]; // v_0 = 0
    for (int i = 0; i < synSteps; i++) {
      StudentStepGraph.Next next = step.forward(x, y, row(path, i), vi, lr, nu, batch(draws, i),
          dsa(draws, i));
      System.arraycopy(next.w(), 0, path, (i + 1) * paramCount, paramCount);
      if (withMomentum) {
        v[i + 1] = next.v();
        vi = next.v();
      }
    }

    // the objective: L, dL/dw_k for k = 0..N, and with regularizers L's direct gradients
    // w.r.t. X, y and eta
    PathMatchingGraph.Value m = matching.run(path, segment,
        new PathMatchingGraph.Synthetic(x, y, eta, lambda));
    if (DivergenceGuard.aboveThreshold(config, (float) m.matchingLoss())) {
      // skipped: no backward pass (DATM's threshold, on the matching loss alone)
      return new Sweep(m.loss(), null, Double.NaN, null, m.matchingLoss(), m.terms());
    }
    double[] dPath = m.pathGrad();

    // backward: i = N-1 .. 0
    double[] lambdaW = Arrays.copyOfRange(dPath, synSteps * paramCount,
        (synSteps + 1) * paramCount); // dL/dw_N
    double[] lambdaV = new double[paramCount];
    double[] a = new double[paramCount];
    // direct terms (regularizers reading X, y or eta), then the sweep adds the path's
    double[] dX = m.imageGrad() != null ? m.imageGrad().clone() : new double[x.length];
    double[] dY = y == null ? null
        : m.labelGrad() != null ? m.labelGrad().clone() : new double[y.length];
    double dEta = m.lrGrad();
    for (int i = synSteps - 1; i >= 0; i--) {
      if (i + 1 < synSteps) {
        int off = (i + 1) * paramCount;
        for (int p = 0; p < paramCount; p++) {
          lambdaW[p] += dPath[off + p]; // direct dL/dw_{i+1}
        }
      }
      for (int p = 0; p < paramCount; p++) {
        a[p] = (withMomentum ? lambdaV[p] : 0) - eta * lambdaW[p];
      }
      StudentStepGraph.Vjp vjp = step.backward(x, y, row(path, i), a, nu, batch(draws, i),
          dsa(draws, i));
      double[] vNext = withMomentum ? v[i + 1] : vjp.g(); // v_{i+1}
      double dot = 0;
      for (int p = 0; p < paramCount; p++) {
        dot += lambdaW[p] * vNext[p]; // lambda_w is still the adjoint of w_{i+1}
      }
      dEta -= dot;
      double[] dxi = vjp.imageGrad();
      for (int j = 0; j < dX.length; j++) {
        dX[j] += dxi[j];
      }
      if (dY != null) {
        double[] dyi = vjp.labelGrad(); // d(g_i . a)/dy, as for the images
        for (int j = 0; j < dY.length; j++) {
          dY[j] += dyi[j];
        }
      }
      double[] hvp = vjp.paramGrad();
      for (int p = 0; p < paramCount; p++) {
        lambdaW[p] += hvp[p]; // adjoint of w_i
        lambdaV[p] = momentum * a[p]; // adjoint of v_i
      }
      v[i + 1] = null;
    }
    return new Sweep(m.loss(), dX, dEta, dY, m.matchingLoss(), m.terms());
  }

  /** w_k, row k of the path [N + 1, P]. */
  private double[] row(double[] path, int k) {
    return Arrays.copyOfRange(path, k * paramCount, (k + 1) * paramCount);
  }

  /** Step i's minibatch indices, [b]. */
  private int[] batch(MatchingGraph.Draws draws, int i) {
    int from = offsets[i];
    return Arrays.copyOfRange(draws.batchIndices(), from, from + batchPlan.size(i));
  }

  /** Step i's DSA draw, or null without DSA. */
  private DsaParams dsa(MatchingGraph.Draws draws, int i) {
    return sampler.isPresent() ? draws.dsa().get(i) : null;
  }

  /** A value as the graph's float type holds it. */
  private double rounded(double value) {
    return type == TFloat32.class ? (float) value : value;
  }

  private static float[] narrow(double[] d) {
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) d[i];
    }
    return out;
  }

  private static double[] widen(float[] f) {
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = f[i];
    }
    return out;
  }

  @Override
  public void close() {
    try {
      step.close();
    } finally {
      matching.close();
    }
  }
}
