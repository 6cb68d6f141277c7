package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.dd4j.data.Dataset;
import org.dd4j.engine.Seeds;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.synthetic.SyntheticSet;

/**
 * MTT distillation: learns the synthetic images and syn_lr so that a student trained on them
 * for N steps from an expert's epoch-t parameters lands near the expert's epoch-(t + M)
 * parameters.
 *
 * <p>Each outer iteration is Algorithm 1's loop body ({@code iterate}): sample a segment of
 * an expert trajectory ({@link SegmentSampler}: expert, start epoch t, traj[t..t + M], the
 * start perturbed by the configured {@link StartPerturbation}, AST eq. 23); unroll the student
 * and match ({@link MatchingGraph}: N steps on minibatches of the images, with the inner-loss
 * factor nu(t, T+) of the {@link InnerLossTransform}, AST eq. 20, and the configured
 * {@link MatchingLoss}, default MTT eq. 2, plus the configured {@link Regularizer}s weighted
 * by their schedules at the iteration, {@link DistillConfig#regularizers()}); guard
 * ({@link DivergenceGuard}); update the images
 * with SGD(lr_img, momentum) and syn_lr with SGD(lr_lr, momentum), both in Java
 * ({@link SgdMomentum}), and with {@link DistillConfig#emaDecay()} > 0 FTD's moving average of
 * the images ({@link ImageEma}). With learnable soft labels (DATM, label_init not "hard")
 * the student's steps use the soft cross-entropy against softmax(label logits / T), and the
 * label logits are updated by SGD(lr_y, label_momentum) through the same second-order
 * gradient; DATM's loss threshold skips an iteration whose loss is above it, and its
 * growing window bounds the start epochs ({@link DistillConfig#startEpochUpperBound}). A run
 * saves {@link Checkpoint}s on a
 * {@link CheckpointSchedule} when given a {@link CheckpointPolicy}.
 *
 * <p>Divergence: an iteration the guard rejects (non-finite loss or gradients, syn_lr
 * leaving (0, {@link DistillConfig#maxSynLr()}], non-finite images) is skipped, its state kept,
 * and reported to {@link DistillListener#onSkipped}; after {@code maxConsecutiveFailures} skips
 * in a row, {@link #run} throws a {@link DistillationDivergedException}, rolled back to the
 * last good checkpoint when run with a {@link CheckpointPolicy}.
 *
 * <p>Randomness: the initialization draws from {@code SplittableRandom(seed)}, iteration i
 * from a generator seeded by a SplitMix64 mix of (seed, i), so a run resumed from a
 * {@link DistillState} (e.g. a {@link Checkpoint}) continues exactly: (seed, iteration) is
 * the whole RNG state. Draw order within an iteration: the expert, the start epoch, the start
 * perturbation's draws, the minibatches, the DSA draws; so turning a perturbation on changes
 * the later draws (reproducibly).
 *
 * <p>Measured ({@code DistillerBenchmarkTest}, CPU, 2 cores shared with other work):
 * ConvNet-3 of width 32 on 28x28x1, ipc 10, N = 10, batch_syn = 100: graph build 3-4 s,
 * first iteration about 6.5 s, then about 3.5 s per iteration without DSA and 3.7 s with it.
 * The Java optimizer updates touch 78,401 floats per iteration, negligible against the run,
 * which is why they are not in the graph.
 *
 * <p>References: Cazenavette et al., CVPR 2022, Algorithm 1 and eq. 2; spec section 5.
 *
 * <p>Not thread-safe. Close it to free the graph and session.
 */
public final class Distiller implements AutoCloseable {

  private final Model model;
  private final DistillConfig config;
  private final int numClasses;
  private final InputShape shape;
  private final int n;
  private final SgdMomentum imageOptimizer;
  private final SgdMomentum lrOptimizer;
  private final Optional<SgdMomentum> labelOptimizer;
  private final SessionOptions options;
  private final Optional<ImageEma> ema;
  private final DivergenceGuard guard;
  private final UnrollMode.Choice unroll;
  private final StudentGradients graph;

  /**
   * Builds the unrolled graph (N student steps; the larger N and the model, the longer this
   * takes), without the data's pixel range (a pixel-range regularizer then throws).
   */
  public Distiller(Model model, DistillConfig config, SessionOptions options) {
    this(model, config, options, PixelRange.UNKNOWN);
  }

  /**
   * Builds the unrolled graph with the data's pixel range ({@link PixelRange#of}, the
   * preprocessed training images), which a pixel-range regularizer reads.
   *
   * @throws IllegalArgumentException if a regularizer needs an input the run does not have
   *     (label logits with hard labels, an unknown pixel range)
   */
  public Distiller(Model model, DistillConfig config, SessionOptions options,
      PixelRange range) {
    this.model = checkNotNull(model, "model");
    this.config = checkNotNull(config, "config");
    this.numClasses = model.spec().numClasses();
    this.shape = model.spec().input();
    this.n = numClasses * config.ipc();
    this.imageOptimizer = new SgdMomentum(config.lrImgSchedule(), config.imageMomentum());
    this.lrOptimizer = new SgdMomentum(config.lrLrSchedule(), config.lrMomentum());
    this.labelOptimizer = config.softLabels() ? Optional.of(SgdMomentum.of(
        config.get(DistillConfig.LR_Y), config.get(DistillConfig.LABEL_MOMENTUM)))
        : Optional.empty();
    this.options = options;
    this.ema = config.imageEma();
    this.guard = new DivergenceGuard(config);
    this.unroll = UnrollMode.choose(config, model.spec(), new StudentBatches(n,
        config.batchSyn(numClasses), config.synSteps()));
    // full or adjoint
    this.graph = StudentGradients.create(model, config, options, unroll, range);
  }

  /** How the student is differentiated, "full" or "adjoint", and why (for the log). */
  public String unrollMode() {
    return unroll.mode() + " (" + unroll.reason() + ")";
  }

  public DistillConfig config() {
    return config;
  }

  public Model model() {
    return model;
  }

  /**
   * The starting synthetic set of {@code config().imageInit()}, drawn from
   * {@code SplittableRandom(seed)}, with syn_lr = lr_teacher.
   *
   * @param data preprocessed dataset (the buffer's); its train split is used for 'real'
   *     and 'representative'
   * @throws IllegalArgumentException if its images or classes do not match the model
   */
  public SyntheticSet initialSet(Dataset data) {
    var tr = data.train();
    checkArgument(tr.height() == shape.height() && tr.width() == shape.width()
            && tr.channels() == shape.channels() && data.numClasses() == numClasses,
        "dataset %s has %sx%sx%s images and %s classes but the model expects %s and %s",
        data.name(), tr.height(), tr.width(), tr.channels(), data.numClasses(), shape,
        numClasses);
    SplittableRandom rng = new SplittableRandom(config.seed());
    return config.imageInit().initialize(new SyntheticInit.Context(model, tr, numClasses,
        config.ipc(), config.lrTeacher(), rng));
  }

  /**
   * {@link #initialSet(Dataset)} and, with learnable soft labels (label_init not "hard"),
   * DATM's initial label logits from {@code buffer}'s experts on the initial images
   * ({@link SoftLabelInit}).
   *
   * @param buffer the run's buffer (its first max_experts complete experts are read)
   * @throws IllegalArgumentException as {@link #initialSet(Dataset)}, or if an image has no
   *     correct expert under label_init correct-experts
   */
  public SyntheticSet initialSet(Dataset data, BufferDirectory buffer) {
    SyntheticSet set = initialSet(data);
    if (!config.softLabels()) {
      return set;
    }
    return set.withLabelLogits(SoftLabelInit.initialize(config.get(DistillConfig.LABEL_INIT),
        set, model, buffer, SegmentSampler.experts(buffer, config), options));
  }

  /**
   * Iteration 0's state: {@code set} with zero momentum in every optimizer.
   *
   * @throws IllegalArgumentException if the set's size or shape differs from the
   *     configuration's, or it has soft labels and the configuration not (or the reverse)
   */
  public DistillState start(SyntheticSet set) {
    checkArgument(set.count() == n && set.shape().equals(shape),
        "synthetic set has %s images of %s, the distiller expects %s of %s", set.count(),
        set.shape(), n, shape);
    checkArgument(set.hasSoftLabels() == config.softLabels(), "the synthetic set %s soft"
        + " labels but label_init is %s", set.hasSoftLabels() ? "has" : "has no",
        config.get(DistillConfig.LABEL_INIT));
    return new DistillState(set, imageOptimizer.init(set.images().length),
        lrOptimizer.init(1), 0, 0, ema.map(e -> e.init(set.images())),
        labelOptimizer.map(o -> o.init(n * numClasses)));
  }

  /**
   * Runs iterations {@code from.nextIteration()} to {@code config().iterations() - 1}, without
   * checkpoints.
   *
   * @param buffer expert trajectories of this distiller's model, with at least
   *     T+ - 1 + M epochs
   * @return the state after the last iteration
   * @throws IllegalArgumentException if the buffer is for another model, has no complete
   *     expert or too few epochs, or {@code from} holds another number or shape of images
   * @throws DistillationDivergedException (an IllegalStateException) after
   *     {@code maxConsecutiveFailures} skipped iterations in a row
   */
  public DistillState run(BufferDirectory buffer, DistillState from,
      List<DistillListener> listeners) {
    return loop(buffer, from, config.iterations(), listeners, Optional.empty());
  }

  /**
   * {@link #run(BufferDirectory, DistillState, List)}, saving {@code from} and then every
   * {@code checkpoints.every()} iterations and the final state to {@code checkpoints.file()}.
   * A save that falls due inside a run of skipped iterations waits for the next applied one,
   * so the file always holds a good state. On divergence the run is rolled back: the
   * checkpoint is read back and the exception says which iteration it holds.
   *
   * <p>To resume: {@code Checkpoint.loadIfPresent(policy.file(), config)} and pass the state
   * as {@code from}.
   *
   * @throws java.io.UncheckedIOException if a checkpoint cannot be written
   */
  public DistillState run(BufferDirectory buffer, DistillState from,
      List<DistillListener> listeners, CheckpointPolicy checkpoints) {
    return loop(buffer, from, config.iterations(), listeners, Optional.of(checkpoints));
  }

  /**
   * {@link #run(BufferDirectory, DistillState, List, CheckpointPolicy)} up to iteration
   * {@code until} (exclusive) instead of the configured end, so that a caller can save or
   * evaluate the synthetic set between chunks; the state continues exactly across chunks.
   *
   * @param until the iteration to stop before, in ({@code from.nextIteration()},
   *     {@code config().iterations()}]
   */
  public DistillState runUntil(BufferDirectory buffer, DistillState from, int until,
      List<DistillListener> listeners, CheckpointPolicy checkpoints) {
    checkArgument(until > from.nextIteration() && until <= config.iterations(),
        "until must be in (%s, %s], got %s", from.nextIteration(), config.iterations(), until);
    return loop(buffer, from, until, listeners, Optional.of(checkpoints));
  }

  private DistillState loop(BufferDirectory buffer, DistillState from, int until,
      List<DistillListener> listeners, Optional<CheckpointPolicy> policy) {
    SegmentSampler segments = new SegmentSampler(buffer, model, config);
    checkState(from);
    CheckpointSchedule checkpoints = new CheckpointSchedule(policy, config);
    checkpoints.begin(from);
    DistillState state = from;
    for (int it = from.nextIteration(); it < until; it++) {
      Outcome o = iterate(segments, state, listeners);
      state = o.state();
      if (o.skipped().isPresent() && guard.givesUp(o.skipped().get())) {
        throw guard.diverged(o.skipped().get(), checkpoints.file());
      }
      checkpoints.after(state);
    }
    checkpoints.end(state);
    return state;
  }

  private void checkState(DistillState s) {
    SyntheticSet set = s.set();
    checkArgument(set.count() == n && set.shape().equals(shape),
        "the state to run from has %s images of %s, the distiller expects %s of %s",
        set.count(), set.shape(), n, shape);
    checkArgument(s.imageEma().isPresent() == ema.isPresent(), "the state to run from %s an"
        + " image EMA but ema_decay is %s", s.imageEma().isPresent() ? "has" : "has no",
        config.emaDecay());
    checkArgument(set.hasSoftLabels() == config.softLabels(), "the state to run from %s soft"
        + " labels but label_init is %s", set.hasSoftLabels() ? "has" : "has no",
        config.get(DistillConfig.LABEL_INIT));
  }

  /** An iteration's result: the next state, and the skip when the update was not applied. */
  private record Outcome(DistillState state, Optional<SkippedIteration> skipped) {}

  /**
   * One outer iteration, MTT's Algorithm 1 loop body: sample a segment, unroll and match,
   * guard, update. Its draws depend only on (seed, iteration).
   */
  private Outcome iterate(SegmentSampler segments, DistillState state,
      List<DistillListener> listeners) {
    long t0 = System.nanoTime();
    int it = state.nextIteration();
    SplittableRandom rng = new SplittableRandom(Seeds.mix(config.seed(), it));
    SyntheticSet set = state.set();
    float[] x = set.images(); // [n, H, W, C]
    float[] y = set.labelLogits(); // [n, C] soft labels (DATM), or null

    // sample: expert, t in [T-, upper(it)), w_0 (perturbed) .. w_M = traj[t .. t + M]
    SegmentSampler.Segment segment = segments.sample(rng, it);
    double nu = config.innerLoss().factor(segment.startEpoch(), config.maxStartEpoch());
    // unroll N student steps from w_0 on minibatches of x (and y), match w_N to w_M, add the
    // weighted regularizers, L = matching + sum_k lambda_k(it) R_k: L, dL/dx, dL/dlr (, dL/dy)
    double[] lambda = config.regularizers().weightsAt(it);
    MatchingGraph.Gradients g = graph.run(x, y, set.synLr(), segment.params(), nu,
        graph.draw(rng), lambda);

    // above DATM's loss threshold (the matching loss alone, as DATM): skipped, not a failure
    // (the adjoint sweep has not even run its backward pass)
    Optional<String> above = guard.checkThreshold(g.matchingLoss());
    if (above.isPresent()) {
      SkippedIteration s = guard.thresholdSkip(state, segment, above.get(), g.matchingLoss());
      listeners.forEach(l -> l.onSkipped(s));
      return new Outcome(DivergenceGuard.kept(state, s), Optional.of(s));
    }
    checkTermsFinite(g, it);
    // guard, then update images, syn_lr (and label logits) with SGD + momentum, and the
    // images' EMA
    Optional<String> failure = guard.checkRun(g.loss(), g.imageGrad(), g.lrGrad());
    if (failure.isEmpty() && y != null) {
      failure = guard.checkLabels(g.labelGrad(), null);
    }
    SgdMomentum.Update img = null;
    SgdMomentum.Update lr = null;
    SgdMomentum.Update lab = null;
    if (failure.isEmpty()) {
      img = imageOptimizer.update(x, g.imageGrad(), state.imageOptimizer());
      lr = lrOptimizer.update(new float[] {(float) set.synLr()}, new float[] {g.lrGrad()},
          state.lrOptimizer());
      failure = guard.checkUpdate(set.synLr(), lr.params()[0], img.params());
      if (failure.isEmpty() && y != null) {
        lab = labelOptimizer.orElseThrow().update(y, g.labelGrad(),
            state.labelOptimizer().orElseThrow());
        failure = guard.checkLabels(g.labelGrad(), lab.params());
      }
    }
    if (failure.isPresent()) {
      SkippedIteration s = guard.skip(state, segment, failure.get(), g.matchingLoss());
      listeners.forEach(l -> l.onSkipped(s));
      return new Outcome(DivergenceGuard.kept(state, s), Optional.of(s));
    }
    double newLr = lr.params()[0];
    float[] newImages = img.params();
    SyntheticSet nextSet = lab == null ? set.with(newImages, newLr)
        : set.with(newImages, newLr, lab.params());
    DistillState next = new DistillState(nextSet, img.state(), lr.state(),
        it + 1, 0, state.imageEma().map(e -> ema.orElseThrow().update(newImages, e)),
        lab == null ? Optional.empty() : Optional.of(lab.state()));
    IterationResult res = new IterationResult(it, segment.expert(), segment.startEpoch(),
        g.matchingLoss(), newLr, (System.nanoTime() - t0) / 1e9, g.loss(),
        terms(lambda, g.terms()));
    listeners.forEach(l -> l.onIteration(res));
    return new Outcome(next, Optional.empty());
  }

  /**
   * A regularizer that is not finite while the matching loss is (the state the run feeds is
   * finite: the guard keeps it so) is a bug of the term, not a divergence: a one-line error
   * naming it (and for a script's lambda its line).
   */
  private void checkTermsFinite(MatchingGraph.Gradients g, int it) {
    float[] terms = g.terms();
    for (int k = 0; k < terms.length && Float.isFinite(g.matchingLoss()); k++) {
      if (!Float.isFinite(terms[k])) {
        throw new IllegalArgumentException(config.regularizers().terms().get(k).term().origin()
            + " returned " + terms[k] + " at iteration " + it + " on finite images, labels and"
            + " syn_lr; make the term finite (e.g. add an epsilon under a sqrt or log)");
      }
    }
  }

  /** Each regularizer's label, weight and value, in the configuration's order. */
  private List<IterationResult.Term> terms(double[] lambda, float[] values) {
    List<String> labels = config.regularizers().labels();
    List<IterationResult.Term> out = new java.util.ArrayList<>(labels.size());
    for (int k = 0; k < labels.size(); k++) {
      out.add(new IterationResult.Term(labels.get(k), lambda[k], values[k]));
    }
    return out;
  }

  @Override
  public void close() {
    graph.close();
  }
}
