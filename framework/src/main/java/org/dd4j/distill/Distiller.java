package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.dd4j.augment.DsaFeeds;
import org.dd4j.augment.DsaSampler;
import org.dd4j.data.Dataset;
import org.dd4j.engine.Grad;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.TrajectoryReader;
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
 * MTT distillation: learns the synthetic images and syn_lr so that a student trained on them
 * for N steps from an expert's epoch-t parameters lands near the expert's epoch-(t + M)
 * parameters.
 *
 * <p>The unrolled graph is built once per distiller: placeholders for the synthetic images
 * [n, H, W, C] (float32, preprocessed space), syn_lr (scalar), the expert's snapshots
 * traj[t..t+M] ([M + 1, P], row 0 the possibly perturbed start w_0, row M the target w*), the
 * inner-loss factor nu (scalar), the per-step minibatch indices [N, batch_syn] and, with DSA,
 * one draw per step; it fetches the configured {@link MatchingLoss} (default MTT eq. 2) and
 * its gradients w.r.t. the images and syn_lr. Each iteration (Algorithm 1): pick an expert
 * uniformly among the complete ones and t uniformly in {0, ..., T+ - 1}; read snapshots t to
 * t + M; perturb snapshot t with the configured {@link StartPerturbation} (AST eq. 23;
 * default none); compute nu(t, T+) of the {@link InnerLossTransform} (AST eq. 20; default
 * 1); draw the minibatches (a fresh
 * random permutation of the n images cut into chunks of batch_syn, a new permutation when one
 * is used up) and the DSA draws; run; update the images with SGD(lr_img, momentum) and syn_lr
 * with SGD(lr_lr, momentum), both in Java ({@link SgdMomentum}); with an
 * {@link DistillConfig#emaDecay()} > 0, update FTD's moving average of the images
 * ({@link ImageEma}) after every applied step.
 *
 * <p>Divergence guard (not in the reference code, which lets NaN and negative syn_lr
 * through): an iteration whose loss or gradients are not finite, or after which syn_lr would
 * be non-finite, &lt;= 0 or above {@link DistillConfig#maxSynLr()} (exploding), or the images
 * non-finite, is skipped (state kept) and reported
 * to {@link DistillListener#onSkipped}; after {@code maxConsecutiveFailures} skips in a row,
 * {@link #run} throws a {@link DistillationDivergedException}, rolled back to the last good
 * {@link Checkpoint} when run with a {@link CheckpointPolicy}.
 *
 * <p>Randomness: the initialization draws from {@code SplittableRandom(seed)}, iteration i
 * from a generator seeded by a SplitMix64 mix of (seed, i), so a run resumed from a
 * {@link DistillState} (e.g. a {@link Checkpoint}) continues exactly: (seed, iteration) is
 * the whole RNG state. A start perturbation draws from the same generator, after the expert
 * and start epoch and before the minibatches and DSA draws, so turning it on changes those
 * draws (reproducibly).
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
  private final int batchSyn;
  private final int paramCount;
  private final SgdMomentum imageOptimizer;
  private final SgdMomentum lrOptimizer;
  private final Optional<DsaSampler> sampler;

  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TFloat32> synLr;
  private final Placeholder<TFloat32> expert;
  private final Placeholder<TFloat32> innerFactor;
  private final Optional<ImageEma> ema;
  private final Placeholder<TInt32> batches;
  private final List<DsaFeeds<TFloat32>> dsaFeeds = new ArrayList<>();
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> imageGrad;
  private final Operand<TFloat32> lrGrad;

  /**
   * Builds the unrolled graph (N student steps; the larger N and the model, the longer this
   * takes).
   *
   * @throws IllegalArgumentException if batch_syn does not divide C * ipc
   */
  public Distiller(Model model, DistillConfig config, SessionOptions options) {
    this.model = checkNotNull(model, "model");
    this.config = checkNotNull(config, "config");
    this.numClasses = model.spec().numClasses();
    this.shape = model.spec().input();
    this.n = numClasses * config.ipc();
    this.batchSyn = config.batchSyn(numClasses);
    this.paramCount = Math.toIntExact(model.layout().totalSize());
    this.imageOptimizer = new SgdMomentum(config.lrImgSchedule(), config.imageMomentum());
    this.lrOptimizer = new SgdMomentum(config.lrLrSchedule(), config.lrMomentum());
    this.sampler = config.dsa().map(DsaSampler::new);
    this.ema = config.imageEma();

    graph = new Graph();
    Ops tf = Ops.create(graph);
    images = tf.withName("syn_images").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(n, shape.height(), shape.width(), shape.channels())));
    synLr = tf.withName("syn_lr").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    expert = tf.withName("expert_segment").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(config.expertEpochs() + 1, paramCount)));
    innerFactor = tf.withName("inner_loss_factor").placeholder(TFloat32.class,
        Placeholder.shape(Shape.scalar()));
    batches = tf.withName("batch_indices").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(config.synSteps(), batchSyn)));
    Operand<TInt32> labels = tf.constant(SyntheticSet.classMajorLabels(numClasses,
        config.ipc())); // [n]
    if (sampler.isPresent()) {
      for (int i = 0; i < config.synSteps(); i++) {
        dsaFeeds.add(DsaFeeds.create(tf.withSubScope("step" + i), TFloat32.class, shape));
      }
    }
    List<Params<TFloat32>> segment = new ArrayList<>();
    for (int k = 0; k <= config.expertEpochs(); k++) {
      Operand<TFloat32> row = tf.gather(expert, tf.constant(k), tf.constant(0)); // [P]
      segment.add(Params.fromFlat(tf, model.layout(), row));
    }
    var inner = new StudentUnroll.Options<TFloat32>(
        config.innerLoss() instanceof InnerLossTransform.Identity ? Optional.empty()
            : Optional.of(innerFactor), config.innerMomentum());
    List<Params<TFloat32>> path = StudentUnroll.unroll(tf, model, segment.get(0), images,
        labels, batches, synLr, config.synSteps(), dsaFeeds, inner);
    loss = config.matchingLoss().apply(tf, new Matching<>(path, segment));
    List<Operand<TFloat32>> g = Grad.of(tf, loss, List.of(images, synLr));
    imageGrad = g.get(0); // [n, H, W, C]
    lrGrad = g.get(1); // scalar
    session = new Session(graph, options.toConfigProto());
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

  /** Iteration 0's state: {@code set} with zero momentum in both optimizers. */
  public DistillState start(SyntheticSet set) {
    checkArgument(set.count() == n && set.shape().equals(shape),
        "synthetic set has %s images of %s, the distiller expects %s of %s", set.count(),
        set.shape(), n, shape);
    return new DistillState(set, imageOptimizer.init(set.images().length),
        lrOptimizer.init(1), 0, 0, ema.map(e -> e.init(set.images())));
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
      List<DistillListener> listeners, Optional<CheckpointPolicy> checkpoints) {
    checkBuffer(buffer);
    checkState(from);
    List<Integer> experts = buffer.completeExperts();
    DistillState state = from;
    int savedAt = -1;
    if (checkpoints.isPresent()) {
      Checkpoint.save(checkpoints.get().file(), from, config);
      savedAt = from.nextIteration();
    }
    for (int it = from.nextIteration(); it < until; it++) {
      Outcome o = iterate(buffer, experts, state, listeners);
      state = o.state();
      if (o.skipped() != null
          && state.consecutiveFailures() >= config.maxConsecutiveFailures()) {
        throw diverged(o.skipped(), checkpoints);
      }
      if (checkpoints.isPresent() && state.consecutiveFailures() == 0
          && state.nextIteration() - savedAt >= checkpoints.get().every()) {
        Checkpoint.save(checkpoints.get().file(), state, config);
        savedAt = state.nextIteration();
      }
    }
    if (checkpoints.isPresent() && savedAt != state.nextIteration()) {
      Checkpoint.save(checkpoints.get().file(), state, config);
    }
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
  }

  /** The stop after too many skips, rolled back to the checkpoint when there is one. */
  private DistillationDivergedException diverged(SkippedIteration s,
      Optional<CheckpointPolicy> checkpoints) {
    String msg = String.format("distillation diverged: %d iterations in a row were skipped,"
            + " the last at iteration %d (expert %d, start epoch %d): %s; lower lr_img (%s) or"
            + " lr_lr (%s), or check the buffer for non-finite parameters",
        s.consecutive(), s.iteration(), s.expert(), s.startEpoch(), s.reason(),
        config.lrImg(), config.lrLr());
    if (checkpoints.isEmpty()) {
      return new DistillationDivergedException(msg, null);
    }
    Path file = checkpoints.get().file();
    try {
      DistillState good = Checkpoint.load(file, config);
      return new DistillationDivergedException(msg + String.format("; rolled back to"
              + " iteration %d of checkpoint %s (the last good state; the %d iterations after"
              + " it are discarded): resume from it after lowering lr_img or lr_lr",
          good.nextIteration(), file, s.iteration() + 1 - good.nextIteration()), good);
    } catch (RuntimeException e) {
      var ex = new DistillationDivergedException(msg + "; could not roll back: checkpoint "
          + file + " cannot be read (" + e.getMessage() + ")", null);
      ex.addSuppressed(e);
      return ex;
    }
  }

  private void checkBuffer(BufferDirectory buffer) {
    buffer.checkModel(model.spec());
    int epochs = buffer.manifest().epochs();
    int needed = config.maxStartEpoch() - 1 + config.expertEpochs();
    checkArgument(needed <= epochs, "the buffer's experts have %s epochs, but max start epoch"
        + " T+ = %s and expert epochs M = %s need %s (the target of the last start epoch,"
        + " T+ - 1 + M); lower T+ or M, or train longer experts", epochs,
        config.maxStartEpoch(), config.expertEpochs(), needed);
    checkArgument(!buffer.completeExperts().isEmpty(), "buffer %s has no complete expert",
        buffer.root());
  }

  /**
   * An iteration's result: the next state, and the skip when the update was not applied.
   *
   * @param skipped null when the update was applied
   */
  private record Outcome(DistillState state, SkippedIteration skipped) {}

  /** One outer iteration: its draws depend only on (seed, iteration). */
  private Outcome iterate(BufferDirectory buffer, List<Integer> experts,
      DistillState state, List<DistillListener> listeners) {
    long t0 = System.nanoTime();
    int it = state.nextIteration();
    SplittableRandom rng = new SplittableRandom(mix(config.seed(), it));
    int expert = experts.get(rng.nextInt(experts.size()));
    int startEpoch = rng.nextInt(config.maxStartEpoch());
    int m = config.expertEpochs();
    float[] segment = new float[(m + 1) * paramCount]; // [M + 1, P]
    try (TrajectoryReader reader = buffer.openExpert(expert)) {
      int last = startEpoch + m;
      checkArgument(last < reader.numSnapshots(), "expert %s has %s snapshots, needs %s",
          expert, reader.numSnapshots(), last + 1);
      for (int k = 0; k <= m; k++) {
        float[] w = reader.snapshot(startEpoch + k);
        if (k == 0) {
          w = config.startPerturbation().perturb(w, model.layout(), rng);
          checkArgument(w.length == paramCount, "start perturbation %s returned %s values for"
              + " %s parameters", config.startPerturbation().describe(), w.length, paramCount);
        }
        System.arraycopy(w, 0, segment, k * paramCount, paramCount);
      }
    }
    double nu = config.innerLoss().factor(startEpoch, config.maxStartEpoch());
    int[] idx = batchIndices(rng);
    SyntheticSet set = state.set();
    float[] x = set.images();
    float lossValue;
    float[] gImg;
    float gLr;
    List<Tensor> owned = new ArrayList<>();
    List<DsaFeeds.Fed> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner()
          .feed(images, own(owned, Tensors.floats(x, n, shape.height(), shape.width(),
              shape.channels())))
          .feed(synLr, own(owned, Tensors.scalar((float) set.synLr())))
          .feed(this.expert, own(owned, Tensors.floats(segment, m + 1, paramCount)))
          .feed(innerFactor, own(owned, Tensors.scalar((float) nu)))
          .feed(batches, own(owned, Tensors.ints(idx, config.synSteps(), batchSyn)));
      for (DsaFeeds<TFloat32> f : dsaFeeds) {
        fed.add(f.feed(r, sampler.orElseThrow().draw(rng, batchSyn, shape.height(),
            shape.width())));
      }
      try (Result res = r.fetch(loss).fetch(imageGrad).fetch(lrGrad).run()) {
        lossValue = Tensors.scalarFloat(res.get(0));
        gImg = Tensors.toFloats(res.get(1));
        gLr = Tensors.scalarFloat(res.get(2));
      }
    } finally {
      fed.forEach(DsaFeeds.Fed::close);
      owned.forEach(Tensor::close);
    }

    String failure = null;
    SgdMomentum.Update imgStep = null;
    SgdMomentum.Update lrStep = null;
    if (!Float.isFinite(lossValue)) {
      failure = "loss is " + lossValue;
    } else if (!allFinite(gImg)) {
      failure = "image gradient is not finite";
    } else if (!Float.isFinite(gLr)) {
      failure = "syn_lr gradient is " + gLr;
    } else {
      imgStep = imageOptimizer.update(x, gImg, state.imageOptimizer());
      lrStep = lrOptimizer.update(new float[] {(float) set.synLr()}, new float[] {gLr},
          state.lrOptimizer());
      float newLr = lrStep.params()[0];
      if (!Float.isFinite(newLr) || newLr <= 0) {
        failure = "syn_lr would become " + newLr + " (from " + set.synLr() + ")";
      } else if (newLr > config.maxSynLr()) {
        failure = "syn_lr would explode to " + newLr + " (from " + set.synLr() + "; bound "
            + config.maxSynLr() + " = maxSynLrRatio x lr_teacher)";
      } else if (!allFinite(imgStep.params())) {
        failure = "images would become non-finite";
      }
    }
    if (failure != null) {
      int consecutive = state.consecutiveFailures() + 1;
      SkippedIteration s = new SkippedIteration(it, expert, startEpoch, failure, lossValue,
          consecutive);
      listeners.forEach(l -> l.onSkipped(s));
      return new Outcome(new DistillState(set, state.imageOptimizer(), state.lrOptimizer(),
          it + 1, consecutive, state.imageEma()), s);
    }
    double newLr = lrStep.params()[0];
    float[] newImages = imgStep.params();
    DistillState next = new DistillState(set.with(newImages, newLr), imgStep.state(),
        lrStep.state(), it + 1, 0,
        state.imageEma().map(e -> ema.orElseThrow().update(newImages, e)));
    IterationResult res = new IterationResult(it, expert, startEpoch, lossValue, newLr,
        (System.nanoTime() - t0) / 1e9);
    listeners.forEach(l -> l.onIteration(res));
    return new Outcome(next, null);
  }

  /**
   * [N, batch_syn] row-major: consecutive chunks of random permutations of 0..n-1, a new
   * permutation whenever the previous one is used up (MTT's {@code indices_chunks}).
   */
  private int[] batchIndices(SplittableRandom rng) {
    int[] out = new int[config.synSteps() * batchSyn];
    int[] perm = null;
    int used = n;
    for (int k = 0; k < out.length; k++) {
      if (used == n) {
        perm = Permutations.random(n, rng);
        used = 0;
      }
      out[k] = perm[used++];
    }
    return out;
  }

  private static <X extends Tensor> X own(List<Tensor> owned, X t) {
    owned.add(t);
    return t;
  }

  private static boolean allFinite(float[] a) {
    for (float v : a) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /** SplitMix64 of (seed, i): independent generators per iteration. */
  static long mix(long seed, long i) {
    long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
