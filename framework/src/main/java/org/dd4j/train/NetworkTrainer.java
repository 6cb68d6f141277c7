package org.dd4j.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.ImageSet;
import org.dd4j.engine.HeavyBall;
import org.dd4j.engine.SecondOrderGradients;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.Losses;
import org.dd4j.models.Model;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;
import org.dd4j.models.Params;
import org.dd4j.models.TrainingForward;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains one network at a time on a set of images: the experts of the buffer phase on the
 * real training split ({@code buffer.BufferPhase}) and the evaluation networks on a synthetic
 * set or a baseline ({@code evaluate.Evaluator}) share this loop. The parameters are held in
 * TensorFlow resource
 * variables and updated in the graph by the configured {@link Optimizer} on the
 * configured {@link Objective}, its SGD step the rule of {@link HeavyBall} (weight
 * decay, momentum buffer in a variable zeroed by {@link #reset} and, when the step re-creates
 * its optimizer at an lr decay, before that epoch; per-epoch lr). The graph is built once and
 * reused for every network;
 * {@link #reset(float[])} starts a new one. Batches are fed from Java (at 256 x 784 floats a
 * copy costs far less than the step), and so are the learning rate and the objective's
 * scheduled scalars, at their value for the epoch being trained.
 *
 * <p>Networks with batch norm ({@link Model#stateShapes()} not empty) train on batch
 * statistics and keep their running statistics in variables too, updated every step as
 * PyTorch does ({@link TrainingForward#RUNNING_MOMENTUM}); {@link #accuracy} tests with the
 * running statistics.
 *
 * <p>Not thread-safe. Close it to free the session and graph.
 */
public final class NetworkTrainer implements AutoCloseable {

  private final Model model;
  private final Training config;
  private final Augmentation augment;
  private final Graph graph;
  private final Session session;
  private final int imageSize;
  private final long[] imageShape;
  private final boolean momentum;

  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> targets; // [B, C] label logits; null without soft labels
  private final int numClasses;
  private final Placeholder<TFloat32> lr;
  private final ScheduledScalars<TFloat32> scalars;
  private final Operand<TFloat32> loss;
  private final Operand<TInt32> correct;
  private final Op trainStep;
  private final Placeholder<TFloat32> evalImages;
  private final Placeholder<TInt32> evalLabels;
  private final Operand<TInt32> evalCorrect;
  private final Placeholder<TFloat32> newParams;
  private final Op assignParams;
  private final Op zeroMomentum;
  private final Op restartMomentum; // zeroes the buffer without feeding parameters
  private final Operand<TFloat32> flatParams;
  private final Placeholder<TFloat32> newState; // null without state
  private final Op assignState;
  private final Operand<TFloat32> flatState;

  /**
   * Builds the training and evaluation graph.
   *
   * @param augmentation applied to training batches when {@code config.augment()}; its draw
   *     is made once per step, so every evaluation of the objective in a step (GSAM's two
   *     passes) sees the same augmented batch
   * @throws IllegalArgumentException (from TensorFlow) if the objective needs a gradient that
   *     no registry has
   */
  public NetworkTrainer(Model model, Training config, Augmentation augmentation,
      SessionOptions options) {
    this.model = model;
    this.config = config;
    this.augment = config.augment() ? augmentation : Augmentation.none();
    if (config.objective().needsSecondOrder()) {
      SecondOrderGradients.register();
    }
    Sgd sgd = config.optimizer().sgd();
    this.momentum = sgd.momentum() > 0;
    var in = model.spec().input();
    this.imageSize = in.size();
    this.imageShape = new long[] {in.height(), in.width(), in.channels()};
    ParamLayout layout = model.layout();
    this.graph = new Graph();
    Ops tf = Ops.create(graph);

    List<Operand<?>> handles = new ArrayList<>();
    List<Operand<TFloat32>> reads = new ArrayList<>();
    List<Operand<?>> momentumHandles = new ArrayList<>();
    for (int k = 0; k < layout.count(); k++) {
      Shape s = Shape.of(layout.get(k).shape());
      // an empty shared_name would make every handle the same resource
      var h = tf.withName("param_" + k).varHandleOp(TFloat32.class, s,
          VarHandleOp.sharedName("param_" + k));
      handles.add(h);
      reads.add(tf.readVariableOp(h, TFloat32.class));
      if (momentum) {
        momentumHandles.add(tf.withName("momentum_" + k).varHandleOp(TFloat32.class, s,
            VarHandleOp.sharedName("momentum_" + k)));
      }
    }
    Params<TFloat32> w = new Params<>(layout, reads);
    List<ParamShape> stateShapes = model.stateShapes();
    List<Operand<?>> stateHandles = new ArrayList<>();
    List<Operand<TFloat32>> stateReads = new ArrayList<>();
    for (int k = 0; k < stateShapes.size(); k++) {
      var h = tf.withName("state_" + k).varHandleOp(TFloat32.class,
          Shape.of(stateShapes.get(k).shape()), VarHandleOp.sharedName("state_" + k));
      stateHandles.add(h);
      stateReads.add(tf.readVariableOp(h, TFloat32.class));
    }

    images = tf.placeholder(TFloat32.class); // [B, H, W, C]
    labels = tf.placeholder(TInt32.class); // [B]
    numClasses = model.spec().numClasses();
    targets = config.objective().needsTargets() ? tf.placeholder(TFloat32.class) : null;
    lr = tf.placeholder(TFloat32.class); // scalar
    scalars = new ScheduledScalars<>(tf, TFloat32.class);
    Operand<TFloat32> x = config.augment() ? augmentation.apply(tf, images) : images;
    ObjectiveInputs<TFloat32> inputs = new ObjectiveInputs<>(tf, model, w, images, x, labels,
        scalars, targets);
    loss = config.objective().loss(inputs); // []
    correct = Losses.correctCount(tf, inputs.augmentedLogits(), labels);
    List<Operand<TFloat32>> grads = config.optimizer().gradient(inputs, loss,
        config.objective());
    TrainingForward<TFloat32> pass = inputs.augmentedPass();

    List<Op> updates = new ArrayList<>();
    Operand<TFloat32> wd = tf.constant((float) sgd.weightDecay());
    Operand<TFloat32> mom = tf.constant((float) sgd.momentum());
    for (int k = 0; k < layout.count(); k++) { // HeavyBall's rule, v in a variable
      Operand<TFloat32> d = grads.get(k);
      if (sgd.weightDecay() > 0) {
        d = HeavyBall.withWeightDecay(tf, wd, reads.get(k), d);
      }
      if (momentum) {
        var mh = momentumHandles.get(k);
        Operand<TFloat32> buf = HeavyBall.velocity(tf, mom,
            Optional.of(tf.readVariableOp(mh, TFloat32.class)), d);
        updates.add(tf.assignVariableOp(mh, buf));
        d = buf;
      }
      updates.add(tf.assignSubVariableOp(handles.get(k), HeavyBall.delta(tf, lr, d)));
    }
    // running <- (1 - m) running + m batch, PyTorch's BatchNorm2d rule
    Operand<TFloat32> m = tf.constant((float) TrainingForward.RUNNING_MOMENTUM);
    Operand<TFloat32> keep = tf.constant((float) (1 - TrainingForward.RUNNING_MOMENTUM));
    for (int k = 0; k < stateHandles.size(); k++) {
      updates.add(tf.assignVariableOp(stateHandles.get(k), tf.math.add(
          tf.math.mul(keep, stateReads.get(k)),
          tf.math.mul(m, pass.batchStatistics().get(k)))));
    }
    trainStep = tf.withControlDependencies(updates).noOp();

    evalImages = tf.placeholder(TFloat32.class);
    evalLabels = tf.placeholder(TInt32.class);
    evalCorrect = Losses.correctCount(tf,
        model.forwardInference(tf, w, stateReads, evalImages), evalLabels);

    newParams = tf.placeholder(TFloat32.class); // [P]
    Params<TFloat32> split = Params.fromFlat(tf, layout, newParams);
    List<Op> assigns = new ArrayList<>();
    List<Op> zeros = new ArrayList<>();
    for (int k = 0; k < layout.count(); k++) {
      assigns.add(tf.assignVariableOp(handles.get(k), split.get(k)));
      if (momentum) {
        zeros.add(tf.assignVariableOp(momentumHandles.get(k), tf.zerosLike(split.get(k))));
      }
    }
    assignParams = tf.withControlDependencies(assigns).noOp();
    zeroMomentum = tf.withControlDependencies(zeros).noOp();
    List<Op> restarts = new ArrayList<>();
    for (int k = 0; k < momentumHandles.size(); k++) {
      restarts.add(tf.assignVariableOp(momentumHandles.get(k), tf.zeros(
          tf.constant(layout.get(k).shape()), TFloat32.class)));
    }
    restartMomentum = tf.withControlDependencies(restarts).noOp();
    flatParams = w.flatten(tf);
    if (stateShapes.isEmpty()) {
      newState = null;
      assignState = null;
      flatState = null;
    } else {
      ParamLayout stateLayout = new ParamLayout(stateShapes);
      newState = tf.placeholder(TFloat32.class); // [S]
      Params<TFloat32> splitState = Params.fromFlat(tf, stateLayout, newState);
      List<Op> stateAssigns = new ArrayList<>();
      for (int k = 0; k < stateHandles.size(); k++) {
        stateAssigns.add(tf.assignVariableOp(stateHandles.get(k), splitState.get(k)));
      }
      assignState = tf.withControlDependencies(stateAssigns).noOp();
      flatState = new Params<>(stateLayout, stateReads).flatten(tf);
    }
    this.session = new Session(graph, options.toConfigProto());
  }

  public Model model() {
    return model;
  }

  public Training config() {
    return config;
  }

  /**
   * Starts a new network from {@code params} with zero momentum (and, with batch norm, the
   * fresh running statistics {@link Model#initialState()}).
   *
   * @param params flat parameters, length {@code model().layout().totalSize()}
   */
  public void reset(float[] params) {
    checkArgument(params.length == model.layout().totalSize(),
        "expected %s parameters, got %s", model.layout().totalSize(), params.length);
    float[] state = model.initialState();
    try (TFloat32 t = Tensors.floats(params, params.length);
        TFloat32 st = Tensors.floats(state, state.length)) {
      Session.Runner r = session.runner().feed(newParams, t).addTarget(assignParams);
      if (momentum) {
        r.addTarget(zeroMomentum);
      }
      if (newState != null) {
        r.feed(newState, st).addTarget(assignState);
      }
      r.run().close();
    }
  }

  /**
   * The current running statistics (batch norm), flattened in {@link Model#stateShapes()}
   * order; empty for networks without state.
   */
  public float[] runningState() {
    if (flatState == null) {
      return new float[0];
    }
    try (Result r = session.runner().fetch(flatState).run()) {
      return Tensors.toFloats(r.get(0));
    }
  }

  /** The current parameters as a flat vector. */
  public float[] params() {
    try (Result r = session.runner().fetch(flatParams).run()) {
      return Tensors.toFloats(r.get(0));
    }
  }

  /**
   * Figures of one epoch's batches.
   *
   * @param meanLoss mean of the objective over the epoch's images (the cross-entropy for MTT;
   *     with AST's terms, lambda_e * CE + mu * GP)
   * @param accuracy fraction of the (augmented) training images classified right
   * @param learningRate lr_teacher of the epoch
   */
  public record EpochStats(double meanLoss, double accuracy, int images, double seconds,
      double learningRate) {}

  /** The scheduled scalars of the objective (e.g. "ce_scale") at {@code epoch} (0-based). */
  public Map<String, Double> scheduledValues(int epoch) {
    return scalars.valuesAt(epoch);
  }

  /** Per-step progress, e.g. for a progress bar. */
  @FunctionalInterface
  public interface StepListener {
    void onStep(int step, int stepsPerEpoch, double loss);
  }

  /**
   * One pass over {@code order}: batches of {@code batchSize} images taken in that order
   * (the last may be smaller), each one optimizer step, with the learning rate and the
   * scheduled scalars at their values for {@code epoch}. At a decay epoch of an SGD step with
   * {@link Sgd.OnLrDecay#NEW_OPTIMIZER} the momentum buffer is zeroed first, so epochs must be
   * trained in order, each once.
   *
   * @param order permutation of the training set's indices for this epoch
   * @param epoch 0-based epoch, the argument of the lr_teacher schedule and of the objective's
   *     schedules
   * @throws IllegalStateException if the loss becomes NaN or infinite
   */
  public EpochStats trainEpoch(ImageSet train, int[] order, int epoch, StepListener listener) {
    return trainEpoch(train, null, order, epoch, listener);
  }

  /**
   * {@link #trainEpoch(ImageSet, int[], int, StepListener)} with soft labels: each batch's
   * label logits are fed beside its images, for an objective that reads them
   * ({@link Objective#needsTargets()}, e.g. {@link Objective#softCrossEntropy}).
   * The hard labels of {@code train} still feed the training accuracy.
   *
   * @param labelLogits shape [train.count(), numClasses] row-major, or null for an objective
   *     that reads none
   * @throws IllegalArgumentException if label logits are missing for an objective that needs
   *     them, given to one that does not, or of the wrong length
   */
  public EpochStats trainEpoch(ImageSet train, float[] labelLogits, int[] order, int epoch,
      StepListener listener) {
    checkArgument(labelLogits != null || targets == null,
        "the objective trains on soft labels: give the label logits");
    checkArgument(labelLogits == null || targets != null,
        "label logits given, but the objective %s reads none",
        config.objective().describe(1));
    checkArgument(labelLogits == null
        || labelLogits.length == (long) train.count() * numClasses,
        "expected %s label logits (%s images x %s classes), got %s",
        (long) train.count() * numClasses, train.count(), numClasses,
        labelLogits == null ? 0 : labelLogits.length);
    checkArgument(epoch >= 0, "epoch must be >= 0, got %s", epoch);
    double learningRate = config.lrSchedule().at(epoch);
    if (momentum && config.optimizer().sgd().restartsMomentumAt(epoch)) {
      session.runner().addTarget(restartMomentum).run().close(); // the reference's new SGD
    }
    long start = System.nanoTime();
    int b = config.batchSize();
    int steps = (order.length + b - 1) / b;
    double lossSum = 0;
    long correctSum = 0;
    TFloat32 full = TFloat32.tensorOf(Shape.of(b, imageShape[0], imageShape[1], imageShape[2]));
    TInt32 fullLabels = TInt32.tensorOf(Shape.of(b));
    try (TFloat32 lrT = Tensors.scalar((float) learningRate)) {
      for (int s = 0; s < steps; s++) {
        int from = s * b;
        int n = Math.min(b, order.length - from);
        TFloat32 x = n == b ? full
            : TFloat32.tensorOf(Shape.of(n, imageShape[0], imageShape[1], imageShape[2]));
        TInt32 y = n == b ? fullLabels : TInt32.tensorOf(Shape.of(n));
        TFloat32 z = labelLogits == null ? null : TFloat32.tensorOf(Shape.of(n, numClasses));
        try {
          fill(train, order, from, n, x, y);
          Session.Runner runner = session.runner().feed(images, x).feed(labels, y)
              .feed(lr, lrT).addTarget(trainStep).fetch(loss).fetch(correct);
          if (z != null) {
            FloatDataBuffer zb = z.asRawTensor().data().asFloats();
            for (int i = 0; i < n; i++) {
              zb.offset((long) i * numClasses).write(labelLogits,
                  order[from + i] * numClasses, numClasses);
            }
            runner.feed(targets, z);
          }
          try (Augmentation.Feed fed = augment.feed(runner, n);
              Augmentation.Feed fedScalars = scalars.feed(runner, epoch);
              Result r = runner.run()) {
            double l = ((TFloat32) r.get(0)).getFloat();
            if (!Double.isFinite(l)) {
              throw new NetworkDivergedException(String.format(
                  "expert training diverged: loss %s at step %d of the epoch (lr %s);"
                      + " check the data for NaN/Inf pixels, or lower lr_teacher", l, s,
                  learningRate));
            }
            lossSum += l * n;
            correctSum += ((TInt32) r.get(1)).getInt();
            if (listener != null) {
              listener.onStep(s, steps, l);
            }
          }
        } finally {
          if (z != null) {
            z.close();
          }
          if (x != full) {
            x.close();
            y.close();
          }
        }
      }
    } finally {
      full.close();
      fullLabels.close();
    }
    return new EpochStats(lossSum / order.length, correctSum / (double) order.length,
        order.length, (System.nanoTime() - start) / 1e9, learningRate);
  }

  private void fill(ImageSet set, int[] order, int from, int n, TFloat32 x, TInt32 y) {
    FloatDataBuffer xb = x.asRawTensor().data().asFloats();
    IntDataBuffer yb = y.asRawTensor().data().asInts();
    float[] src = set.images();
    int[] lab = set.labels();
    for (int i = 0; i < n; i++) {
      int idx = order[from + i];
      xb.offset((long) i * imageSize).write(src, idx * imageSize, imageSize);
      yb.setInt(lab[idx], i);
    }
  }

  /** Top-1 accuracy of the current parameters on {@code set}, in batches of 1000. */
  public double accuracy(ImageSet set) {
    int batch = 1000;
    long right = 0;
    int[] all = new int[set.count()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    for (int from = 0; from < set.count(); from += batch) {
      int n = Math.min(batch, set.count() - from);
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, imageShape[0], imageShape[1],
              imageShape[2]));
          TInt32 y = TInt32.tensorOf(Shape.of(n))) {
        fill(set, all, from, n, x, y);
        try (Result r = session.runner().feed(evalImages, x).feed(evalLabels, y)
            .fetch(evalCorrect).run()) {
          right += ((TInt32) r.get(0)).getInt();
        }
      }
    }
    return right / (double) set.count();
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
