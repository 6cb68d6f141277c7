package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * AST's intermediate matching loss: the student is also matched to the expert's
 * intermediate epochs. For k = 1..M, at student step n_k = floor(k N / M),
 * {@code L_k = ||w_{n_k} - traj[t + k]||^2 / ||traj[t] - traj[t + k]||^2}, and
 * {@code L = sum_{k=1..M} beta_k L_k}; the last term (n_M = N) is MTT's loss. traj[t] is the
 * possibly perturbed start. With M = 1 it equals {@link NormalizedParameterDistance}. When N
 * &lt; M some n_k are 0 and their terms are the constant 1 (no gradient).
 *
 * <p>{@link Points#CODE} places the intermediate points as AST's distill.py does:
 * {@code n_k = (N // M) * k} for k &lt; M (e.g. N 50, M 3: 16 and 32 rather than 16 and 33),
 * and a point at step 0 (N &lt; M) adds no term.
 *
 * <p>References: Shen et al., "Effective Dataset Distillation through Alignment with Smooth
 * and High-Quality Expert Trajectories" (AST, arXiv 2310.10541), section IV-D1, eq. 22; spec
 * section 5b.
 *
 * @param weights beta_k: equal (1) or linear (k / M)
 * @param points where the intermediate matches are: {@link Points#EVEN} floor(k N / M),
 *     {@link Points#CODE} (N // M) * k
 */
public record IntermediateMatching(IntermediateWeights weights, Points points)
    implements MatchingLoss {

  /** Where the student is matched to traj[t + k], k &lt; M. */
  public enum Points {
    /** floor(k N / M) (spec section 5b). */
    EVEN("even"),
    /** (N // M) * k, AST's distill.py ({@code (args.syn_steps//args.expert_epochs)*(i+1)}). */
    CODE("code");

    private final String id;

    Points(String id) {
      this.id = id;
    }

    /** "even" or "code". */
    public String id() {
      return id;
    }

    /** @throws IllegalArgumentException for another name */
    public static Points named(String id) {
      for (Points p : values()) {
        if (p.id.equals(id)) {
          return p;
        }
      }
      throw new IllegalArgumentException("points must be even or code, got '" + id + "'");
    }
  }

  /** Evenly spaced points, floor(k N / M). */
  public IntermediateMatching(IntermediateWeights weights) {
    this(weights, Points.EVEN);
  }

  /** Its registry name. */
  public static final String NAME = "intermediate";

  public IntermediateMatching {
    checkNotNull(weights, "weights");
    checkNotNull(points, "points");
  }

  /** beta_k = 1, the paper's best setting. */
  public static IntermediateMatching equal() {
    return new IntermediateMatching(IntermediateWeights.EQUAL);
  }

  /** beta_k = k / M. */
  public static IntermediateMatching linear() {
    return new IntermediateMatching(IntermediateWeights.LINEAR);
  }

  /**
   * The student steps matched to traj[t + 1], ..., traj[t + M]: {@code floor(k N / M)} for k
   * = 1..M (the last is N).
   *
   * @param synSteps N, > 0
   * @param expertEpochs M, > 0
   * @return M steps, entry k - 1 for traj[t + k]
   */
  public static int[] matchPoints(int synSteps, int expertEpochs) {
    checkArgument(synSteps > 0, "synSteps must be > 0, got %s", synSteps);
    checkArgument(expertEpochs > 0, "expertEpochs must be > 0, got %s", expertEpochs);
    int[] p = new int[expertEpochs];
    for (int k = 1; k <= expertEpochs; k++) {
      p[k - 1] = (int) ((long) k * synSteps / expertEpochs);
    }
    return p;
  }

  /**
   * As {@link #matchPoints(int, int)} with the points placed by {@code rule}.
   *
   * @return M steps, entry k - 1 for traj[t + k]
   */
  public static int[] matchPoints(int synSteps, int expertEpochs, Points rule) {
    int[] p = matchPoints(synSteps, expertEpochs);
    if (rule == Points.CODE) {
      for (int k = 1; k < expertEpochs; k++) {
        p[k - 1] = synSteps / expertEpochs * k;
      }
    }
    return p;
  }

  @Override
  public <T extends TFloating> Operand<T> apply(Ops tf, Matching<T> m) {
    int mEpochs = m.expertEpochs();
    int[] points = matchPoints(m.synSteps(), mEpochs, this.points);
    Operand<T> total = null;
    for (int k = 1; k <= mEpochs; k++) {
      if (this.points == Points.CODE && points[k - 1] == 0) {
        continue; // the code matches after a step only ("step+1 in match_pool")
      }
      Operand<T> lk = NormalizedParameterDistance.normalized(tf, m.student().get(points[k - 1]),
          m.expertStart(), m.expert().get(k)); // scalar
      double beta = weights.beta(k, mEpochs);
      if (beta != 1.0) {
        lk = tf.math.mul(lk, tf.dtypes.cast(tf.constant(beta), lk.type()));
      }
      total = total == null ? lk : tf.math.add(total, lk);
    }
    return total;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return NAME + "(weights=" + weights.id()
        + (points == Points.EVEN ? "" : ", points=" + points.id()) + ")";
  }
}
