package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.dd4j.augment.DsaFeeds;
import org.dd4j.augment.DsaParams;
import org.dd4j.augment.DsaSampler;
import org.dd4j.engine.Grad;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.dd4j.synthetic.SyntheticSet;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The unrolled student and the matching loss as one TensorFlow graph, built once per
 * distiller: from the (possibly perturbed) expert start w_0 the {@link StudentUnroll} takes
 * N steps on minibatches of the synthetic images, and the configured {@link MatchingLoss}
 * (default MTT eq. 2, {@code ||w_N - w*||^2 / ||w_0 - w*||^2}) compares the path with the
 * expert's, plus the configured {@link Regularizer}s weighted by fed weights
 * ({@link OuterObjective}); {@link #run} returns the objective, its terms and its gradients w.r.t.
 * the images and syn_lr (second order, through all N steps).
 *
 * <p>Fed each run: the images [n, H, W, C] (float32, preprocessed space), syn_lr (scalar), the
 * expert segment traj[t..t+M] ([M + 1, P]), the inner-loss factor nu (scalar, AST eq. 20;
 * fed but unused with the identity transform), the minibatch indices of all N steps
 * concatenated ({@link StudentBatches}: step i sees {@code size(i)} images, batch_syn or
 * the remainder chunk of a permutation) and, with DSA, one augmentation draw per step
 * ({@link #draw}).
 *
 * <p>References: Cazenavette et al., CVPR 2022, Algorithm 1 lines 7-13 and eq. 2; spec
 * section 5, steps 3-5.
 *
 * <p>Not thread-safe. Close it to free the graph and session.
 */
final class MatchingGraph implements StudentGradients {

  /**
   * The random inputs of one run of the student.
   *
   * @param batchIndices every step's image indices concatenated in step order (step i's
   *     chunk is {@link StudentBatches#size}(i) long), values in [0, n)
   * @param dsa one draw per student step, or empty without DSA
   */
  record Draws(int[] batchIndices, List<DsaParams> dsa) {}

  /**
   * The objective and its gradients.
   *
   * @param loss L, the whole objective: the matching loss plus the weighted regularizers
   * @param imageGrad dL/d images, shape [n, H, W, C]
   * @param lrGrad dL/d syn_lr
   * @param labelGrad dL/d label logits, shape [n, C], or empty (length 0) with hard labels
   * @param matchingLoss the matching loss alone (= loss without regularizers)
   * @param terms the regularizers' values R_k, unweighted, [K]
   */
  record Gradients(float loss, float[] imageGrad, float lrGrad, float[] labelGrad,
      float matchingLoss, float[] terms) {

    /** Gradients without regularizers. */
    Gradients(float loss, float[] imageGrad, float lrGrad, float[] labelGrad) {
      this(loss, imageGrad, lrGrad, labelGrad, loss, new float[0]);
    }

    /** Gradients of a run with hard labels (no label gradient). */
    Gradients(float loss, float[] imageGrad, float lrGrad) {
      this(loss, imageGrad, lrGrad, new float[0]);
    }

    /**
     * The values alone, of a run stopped before its gradients (above the loss threshold).
     */
    static Gradients lossOnly(float loss, float matchingLoss, float[] terms) {
      return new Gradients(loss, new float[0], Float.NaN, new float[0], matchingLoss, terms);
    }
  }

  private final InputShape shape;
  private final int n;
  private final int synSteps;
  private final StudentBatches batchPlan;
  private final int segmentRows;
  private final int paramCount;
  private final Optional<DsaSampler> sampler;

  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TFloat32> synLr;
  private final Placeholder<TFloat32> expert;
  private final Placeholder<TFloat32> innerFactor;
  private final Placeholder<TInt32> batches;
  private final Optional<Placeholder<TFloat32>> labelLogits;
  private final int numClasses;
  private final List<DsaFeeds<TFloat32>> dsaFeeds = new ArrayList<>();
  private final Optional<Placeholder<TFloat32>> weights;
  private final int regularizers;
  private final OuterObjective<TFloat32> objective;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> imageGrad;
  private final Operand<TFloat32> lrGrad;
  private final Operand<TFloat32> labelGrad;

  /**
   * Builds the graph (N student steps; the larger N and the model, the longer this takes).
   */
  MatchingGraph(Model model, DistillConfig config, SessionOptions options) {
    this(model, config, options, PixelRange.UNKNOWN);
  }

  /**
   * Builds the graph with the data's pixel range, which a range regularizer reads.
   */
  MatchingGraph(Model model, DistillConfig config, SessionOptions options, PixelRange range) {
    this.numClasses = model.spec().numClasses();
    this.shape = model.spec().input();
    this.n = numClasses * config.ipc();
    this.synSteps = config.synSteps();
    this.batchPlan = new StudentBatches(n, config.batchSyn(numClasses), synSteps);
    this.segmentRows = config.expertEpochs() + 1;
    this.paramCount = Math.toIntExact(model.layout().totalSize());
    this.sampler = config.dsa().map(DsaSampler::new);

    graph = new Graph();
    Ops tf = Ops.create(graph);
    images = tf.withName("syn_images").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(n, shape.height(), shape.width(), shape.channels())));
    synLr = tf.withName("syn_lr").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    expert = tf.withName("expert_segment").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(segmentRows, paramCount)));
    innerFactor = tf.withName("inner_loss_factor").placeholder(TFloat32.class,
        Placeholder.shape(Shape.scalar()));
    batches = tf.withName("batch_indices").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(batchPlan.total())));
    Operand<TInt32> labels = tf.constant(SyntheticSet.classMajorLabels(numClasses,
        config.ipc())); // [n]
    labelLogits = config.softLabels() ? Optional.of(tf.withName("label_logits").placeholder(
        TFloat32.class, Placeholder.shape(Shape.of(n, numClasses)))) : Optional.empty();
    if (sampler.isPresent()) {
      for (int i = 0; i < synSteps; i++) {
        dsaFeeds.add(DsaFeeds.create(tf.withSubScope("step" + i), TFloat32.class, shape));
      }
    }
    List<Params<TFloat32>> segment = new ArrayList<>();
    for (int k = 0; k < segmentRows; k++) {
      Operand<TFloat32> row = tf.gather(expert, tf.constant(k), tf.constant(0)); // [P]
      segment.add(Params.fromFlat(tf, model.layout(), row));
    }
    var inner = new StudentUnroll.Options<TFloat32>(
        config.innerLoss() instanceof InnerLossTransform.Identity ? Optional.empty()
            : Optional.of(innerFactor), config.innerMomentum(),
        labelLogits.map(p -> (Operand<TFloat32>) p),
        config.get(DistillConfig.LABEL_TEMPERATURE));
    List<Params<TFloat32>> path = StudentUnroll.unroll(tf, model, segment.get(0), images,
        labels, StudentUnroll.Minibatches.chunks(batches, batchPlan.sizes()), synLr, synSteps,
        dsaFeeds, inner); // w_0 .. w_N
    this.regularizers = config.regularizers().size();
    weights = regularizers == 0 ? Optional.empty() : Optional.of(tf.withName(
        "regularizer_weights").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(regularizers))));
    objective = OuterObjective.build(tf, config, new RegularizerInputs<>(images,
        labelLogits.map(p -> (Operand<TFloat32>) p), synLr, new Matching<>(path, segment),
        range, config.get(DistillConfig.LABEL_TEMPERATURE)),
        weights.map(p -> (Operand<TFloat32>) p).orElse(null));
    loss = objective.total(); // scalar: matching loss + sum_k lambda_k R_k
    List<Operand<TFloat32>> wrt = new ArrayList<>(List.of(images, synLr));
    labelLogits.ifPresent(wrt::add);
    List<Operand<TFloat32>> g = Grad.of(tf, loss, wrt);
    imageGrad = g.get(0); // [n, H, W, C]
    lrGrad = g.get(1); // scalar
    labelGrad = labelLogits.isPresent() ? g.get(2) : null; // [n, C]
    session = new Session(graph, options.toConfigProto());
  }

  /**
   * The run's random inputs, drawn from {@code rng} in this order: the minibatches (a fresh
   * random permutation of the n images cut into chunks of batch_syn, popped last chunk
   * first, a new permutation whenever all are used: MTT's {@code indices_chunks},
   * {@link StudentBatches}), then with DSA one draw per step for its chunk's size.
   */
  @Override
  public Draws draw(SplittableRandom rng) {
    return draw(rng, batchPlan, sampler, shape);
  }

  /** {@link #draw(SplittableRandom)} for any student of these sizes ({@link AdjointUnroll}). */
  static Draws draw(SplittableRandom rng, StudentBatches plan, Optional<DsaSampler> sampler,
      InputShape shape) {
    int[] idx = plan.indices(() -> Permutations.random(plan.images(), rng)); // [sum of b_i]
    List<DsaParams> dsa = new ArrayList<>();
    for (int i = 0; sampler.isPresent() && i < plan.steps(); i++) {
      dsa.add(sampler.orElseThrow().draw(rng, plan.size(i), shape.height(), shape.width()));
    }
    return new Draws(idx, dsa);
  }

  /** Which images each step sees (sizes and chunking of the fed indices). */
  StudentBatches batches() {
    return batchPlan;
  }

  /**
   * Runs the student from the segment's w_0 and matches it to the segment.
   *
   * @param x the synthetic images, shape [n, H, W, C]
   * @param lr syn_lr
   * @param segment traj[t..t + M], shape [M + 1, P]
   * @param nu the inner-loss factor of the start epoch
   * @param y the label logits [n, C] with soft labels, else null
   */
  @Override
  public Gradients run(float[] x, float[] y, double lr, float[] segment, double nu,
      Draws draws, double[] lambda) {
    checkArgument(lambda.length == regularizers, "expected %s regularizer weights, got %s",
        regularizers, lambda.length);
    checkArgument(segment.length == segmentRows * paramCount, "segment has %s values, the"
        + " graph expects %s x %s", segment.length, segmentRows, paramCount);
    checkArgument((y != null) == labelLogits.isPresent(), "the graph was built for %s labels"
        + " but %s label logits were given", labelLogits.isPresent() ? "soft" : "hard",
        y == null ? "no" : "");
    if (y != null) {
      checkArgument(y.length == n * numClasses, "expected %s label logits, got %s",
          n * numClasses, y.length);
    }
    List<Tensor> owned = new ArrayList<>();
    List<DsaFeeds.Fed> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner()
          .feed(images, own(owned, Tensors.floats(x, n, shape.height(), shape.width(),
              shape.channels())))
          .feed(synLr, own(owned, Tensors.scalar((float) lr)))
          .feed(expert, own(owned, Tensors.floats(segment, segmentRows, paramCount)))
          .feed(innerFactor, own(owned, Tensors.scalar((float) nu)))
          .feed(batches, own(owned, Tensors.ints(draws.batchIndices(), batchPlan.total())));
      for (int i = 0; i < dsaFeeds.size(); i++) {
        fed.add(dsaFeeds.get(i).feed(r, draws.dsa().get(i)));
      }
      r.fetch(loss).fetch(imageGrad).fetch(lrGrad);
      if (weights.isPresent()) { // without regularizers the matching loss is the loss itself
        r.fetch(objective.matching());
        objective.terms().forEach(r::fetch);
        float[] w = new float[regularizers];
        for (int k = 0; k < w.length; k++) {
          w[k] = (float) lambda[k];
        }
        r.feed(weights.get(), own(owned, Tensors.floats(w, regularizers)));
      }
      if (y != null) {
        r.feed(labelLogits.get(), own(owned, Tensors.floats(y, n, numClasses)));
        r.fetch(labelGrad);
      }
      try (Result res = r.run()) {
        int fetchedTerms = weights.isPresent() ? 1 + regularizers : 0;
        float[] terms = new float[regularizers];
        for (int k = 0; k < terms.length; k++) {
          terms[k] = Tensors.scalarFloat(res.get(4 + k));
        }
        float total = Tensors.scalarFloat(res.get(0));
        return new Gradients(total, Tensors.toFloats(res.get(1)),
            Tensors.scalarFloat(res.get(2)),
            y != null ? Tensors.toFloats(res.get(3 + fetchedTerms)) : new float[0],
            weights.isPresent() ? Tensors.scalarFloat(res.get(3)) : total, terms);
      }
    } finally {
      fed.forEach(DsaFeeds.Fed::close);
      owned.forEach(Tensor::close);
    }
  }

  private static <X extends Tensor> X own(List<Tensor> owned, X t) {
    owned.add(t);
    return t;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
