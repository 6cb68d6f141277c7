package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.dd4j.engine.Grad;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

/**
 * The outer objective ({@link OuterObjective}: the configured {@link MatchingLoss} plus the
 * weighted {@link Regularizer}s) on a student path that was computed outside the graph, for
 * {@link AdjointUnroll}: the path w_0..w_N and the expert segment traj[t..t+M] are fed as
 * flat rows, the loss sees them through the usual {@link Matching}, and the graph returns L and
 * {@code dL/dw_k} for every k (zero for the steps the loss does not read). With regularizers
 * the images, the label logits, syn_lr and the weights are fed too, and the graph also returns
 * L's direct gradients w.r.t. the images, the label logits and syn_lr (those not through the
 * path), which the sweep adds to its own. No model, no unroll: its size depends on N only
 * through the loss itself.
 *
 * <p>Not thread-safe. Close it to free the graph and session.
 *
 * @param <T> TFloat32 (distillation) or TFloat64 (finite-difference checks)
 */
final class PathMatchingGraph<T extends TFloating> implements AutoCloseable {

  /**
   * @param loss L, the whole objective
   * @param pathGrad dL/dw_k, [N + 1, P] row-major
   * @param matchingLoss the matching loss alone
   * @param terms R_k, [K]
   * @param imageGrad L's direct gradient w.r.t. the images [n, H, W, C], or null without
   *     regularizers
   * @param lrGrad L's direct gradient w.r.t. syn_lr (0 without regularizers)
   * @param labelGrad L's direct gradient w.r.t. the label logits [n, C], or null without
   *     regularizers or soft labels
   */
  record Value(double loss, double[] pathGrad, double matchingLoss, double[] terms,
      double[] imageGrad, double lrGrad, double[] labelGrad) {}

  /**
   * The synthetic set as the regularizers read it: images [n, H, W, C], label logits [n, C]
   * or null, syn_lr, and the weights lambda_k [K].
   */
  record Synthetic(double[] images, double[] labelLogits, double synLr, double[] weights) {}

  private final Class<T> type;
  private final int pathRows;
  private final int segmentRows;
  private final int paramCount;
  private final Graph graph;
  private final Session session;
  private final Placeholder<T> path;
  private final Placeholder<T> expert;
  private final OuterObjective<T> objective;
  private final Operand<T> loss;
  private final Operand<T> pathGrad;
  private final int regularizers;
  private final long[] imageShape;
  private final int numClasses;
  private final Placeholder<T> images;
  private final Placeholder<T> labelLogits;
  private final Placeholder<T> synLr;
  private final Placeholder<T> weights;
  private final List<Operand<T>> directGrads; // d total / d images, syn_lr (, label logits)

  PathMatchingGraph(Model model, DistillConfig config, Class<T> type, SessionOptions options) {
    this(model, config, type, options, PixelRange.UNKNOWN);
  }

  /** The graph, with the data's pixel range that a range regularizer reads. */
  PathMatchingGraph(Model model, DistillConfig config, Class<T> type, SessionOptions options,
      PixelRange range) {
    this.type = type;
    this.pathRows = config.synSteps() + 1;
    this.segmentRows = config.expertEpochs() + 1;
    this.paramCount = Math.toIntExact(model.layout().totalSize());
    graph = new Graph();
    Ops tf = Ops.create(graph);
    path = tf.withName("student_path").placeholder(type,
        Placeholder.shape(Shape.of(pathRows, paramCount)));
    expert = tf.withName("expert_segment").placeholder(type,
        Placeholder.shape(Shape.of(segmentRows, paramCount)));
    List<Params<T>> student = rows(tf, model, path, pathRows); // w_0 .. w_N
    List<Params<T>> segment = rows(tf, model, expert, segmentRows); // traj[t .. t + M]
    this.regularizers = config.regularizers().size();
    this.numClasses = model.spec().numClasses();
    var in = model.spec().input();
    this.imageShape = new long[] {(long) numClasses * config.ipc(), in.height(), in.width(),
        in.channels()};
    // the synthetic set is fed only when a regularizer may read it
    boolean fed = regularizers > 0;
    images = fed ? tf.withName("syn_images").placeholder(type,
        Placeholder.shape(Shape.of(imageShape))) : null;
    labelLogits = fed && config.softLabels() ? tf.withName("label_logits").placeholder(type,
        Placeholder.shape(Shape.of(imageShape[0], numClasses))) : null;
    synLr = fed ? tf.withName("syn_lr").placeholder(type, Placeholder.shape(Shape.scalar()))
        : null;
    weights = fed ? tf.withName("regularizer_weights").placeholder(type,
        Placeholder.shape(Shape.of(regularizers))) : null;
    Matching<T> matching = new Matching<>(student, segment);
    if (fed) {
      objective = OuterObjective.build(tf, config, new RegularizerInputs<>(images,
          java.util.Optional.ofNullable(labelLogits), synLr, matching, range,
          config.get(DistillConfig.LABEL_TEMPERATURE)), weights);
    } else {
      objective = new OuterObjective<>(config.matchingLoss().apply(tf, matching), List.of(),
          null);
    }
    loss = fed ? objective.total() : objective.matching(); // scalar
    List<Operand<T>> wrt = new ArrayList<>(List.of(path));
    if (fed) {
      wrt.add(images);
      wrt.add(synLr);
      if (labelLogits != null) {
        wrt.add(labelLogits);
      }
    }
    // tf.gradients refuses an input the loss does not reach (syn_lr when no term reads it):
    // 0 * (the sum of every fed input) connects them and adds exactly 0 to every gradient
    // (the inputs are finite: the guard keeps the state so)
    Operand<T> connected = loss;
    if (fed) {
      Operand<T> sum = tf.math.add(tf.reduceSum(images, tf.constant(new int[] {0, 1, 2, 3})),
          synLr);
      if (labelLogits != null) {
        sum = tf.math.add(sum, tf.reduceSum(labelLogits, tf.constant(new int[] {0, 1})));
      }
      connected = tf.math.add(loss, tf.math.mul(tf.dtypes.cast(tf.constant(0.0), type), sum));
    }
    List<Operand<T>> g = Grad.of(tf, connected, wrt);
    pathGrad = g.get(0); // [N + 1, P]
    directGrads = g.subList(1, g.size());
    session = new Session(graph, options.toConfigProto());
  }

  private static <T extends TFloating> List<Params<T>> rows(Ops tf, Model model,
      Operand<T> matrix, int count) {
    List<Params<T>> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      Operand<T> row = tf.gather(matrix, tf.constant(k), tf.constant(0)); // [P]
      out.add(Params.fromFlat(tf, model.layout(), row));
    }
    return out;
  }

  /**
   * The matching loss alone (no regularizers configured).
   *
   * @param studentPath w_0..w_N, [N + 1, P] row-major
   * @param segment traj[t..t + M], [M + 1, P] row-major
   */
  Value run(double[] studentPath, double[] segment) {
    return run(studentPath, segment, null);
  }

  /**
   * @param studentPath w_0..w_N, [N + 1, P] row-major
   * @param segment traj[t..t + M], [M + 1, P] row-major
   * @param set the synthetic set and the weights; required with regularizers, else ignored
   * @throws IllegalArgumentException if regularizers are configured and {@code set} is null
   *     or has the wrong number of weights
   */
  Value run(double[] studentPath, double[] segment, Synthetic set) {
    boolean fed = regularizers > 0;
    if (fed) {
      checkArgument(set != null && set.weights().length == regularizers, "expected the"
          + " synthetic set and %s regularizer weights", regularizers);
    }
    List<Tensor> owned = new ArrayList<>();
    try {
      Tensor p = own(owned, Tensors.ofType(type, studentPath, pathRows, paramCount));
      Tensor e = own(owned, Tensors.ofType(type, segment, segmentRows, paramCount));
      Session.Runner r = session.runner().feed(path, p).feed(expert, e).fetch(loss)
          .fetch(pathGrad);
      if (fed) { // without regularizers the matching loss is the loss itself
        r.fetch(objective.matching());
        objective.terms().forEach(r::fetch);
      }
      if (fed) {
        r.feed(images, own(owned, Tensors.ofType(type, set.images(), imageShape)));
        r.feed(synLr, own(owned, Tensors.ofType(type, new double[] {set.synLr()})));
        r.feed(weights, own(owned, Tensors.ofType(type, set.weights(), regularizers)));
        if (labelLogits != null) {
          checkArgument(set.labelLogits() != null, "the graph was built for soft labels");
          r.feed(labelLogits, own(owned, Tensors.ofType(type, set.labelLogits(),
              imageShape[0], numClasses)));
        }
        directGrads.forEach(r::fetch);
      }
      try (Result res = r.run()) {
        double[] terms = new double[regularizers];
        for (int k = 0; k < terms.length; k++) {
          terms[k] = Tensors.toDoublesWidening(res.get(3 + k))[0];
        }
        int d = 3 + regularizers;
        double l = Tensors.toDoublesWidening(res.get(0))[0];
        return new Value(l, Tensors.toDoublesWidening(res.get(1)),
            fed ? Tensors.toDoublesWidening(res.get(2))[0] : l, terms,
            fed ? Tensors.toDoublesWidening(res.get(d)) : null,
            fed ? Tensors.toDoublesWidening(res.get(d + 1))[0] : 0,
            fed && labelLogits != null ? Tensors.toDoublesWidening(res.get(d + 2)) : null);
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  private static Tensor own(List<Tensor> owned, Tensor t) {
    owned.add(t);
    return t;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
