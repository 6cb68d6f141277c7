package org.dd4j.distill;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dd4j.augment.Dsa;
import org.dd4j.augment.DsaFeeds;
import org.dd4j.augment.DsaParams;
import org.dd4j.engine.Grad;
import org.dd4j.engine.HeavyBall;
import org.dd4j.engine.SecondOrderGradients;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.dd4j.models.Losses;
import org.dd4j.models.Model;
import org.dd4j.models.ParamLayout;
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
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * ONE student step of trajectory matching as a small graph whose size does not depend on N,
 * for {@link AdjointUnroll}: the same ops as one step of {@link StudentUnroll} (gather the
 * minibatch, DSA with this step's draw, nu * CE, its gradient g w.r.t. w, the heavy-ball
 * velocity and the SGD update), plus the step's vector-Jacobian product for the backward
 * sweep.
 *
 * <ul>
 *   <li>{@link #forward}: {@code g = grad_w [nu CE(model(w, DSA(x[B])), y[B])]},
 *       {@code v' = mu v + g} (with inner momentum; else {@code v' = g}) and
 *       {@code w' = w - syn_lr v'}; first order only.
 *   <li>{@link #backward}: for a fixed direction a, {@code s = g . a} and its gradients
 *       {@code ds/dx} (w.r.t. the images, through the minibatch gather and DSA), with soft
 *       labels {@code ds/dy} (w.r.t. the label logits) and
 *       {@code ds/dw = H a} (the Hessian-vector product of nu CE, by double backprop).
 * </ul>
 *
 * <p>Fed each run: the images [n, H, W, C], w (and v) as flat [P] vectors in the model's
 * {@link ParamLayout} order, this step's minibatch indices [b] (b is not fixed by the
 * graph, so a smaller last chunk can be fed), the step's DSA draw, nu (when the inner-loss
 * transform is not the identity) and syn_lr or a.
 *
 * <p>Not thread-safe. Close it to free the graph and session.
 *
 * @param <T> TFloat32 (distillation) or TFloat64 (finite-difference checks)
 */
final class StudentStepGraph<T extends TFloating> implements AutoCloseable {

  /** The student after the step: w' and v' (v' = g without inner momentum), flat [P]. */
  record Next(double[] w, double[] v) {}

  /**
   * The step's vector-Jacobian product: ds/dx [n, H, W, C] and ds/dw = H a [P], and the
   * step's gradient g [P] (recomputed by the same ops as the forward step, so the adjoint need
   * not store it).
   */
  record Vjp(double[] imageGrad, double[] paramGrad, double[] g, double[] labelGrad) {}

  private final Class<T> type;
  private final InputShape shape;
  private final int n;
  private final int paramCount;
  private final boolean momentum;
  private final boolean hasFactor;

  private final Graph graph;
  private final Session session;
  private final Placeholder<T> images;
  private final Placeholder<T> w;
  private final Placeholder<T> v;
  private final Placeholder<T> synLr;
  private final Placeholder<T> innerFactor;
  private final Placeholder<TInt32> batch;
  private final Placeholder<T> direction;
  private final Optional<Placeholder<T>> labelLogits;
  private final int numClasses;
  private final Operand<T> labelGrad;
  private final Optional<DsaFeeds<T>> dsa;
  private final Operand<T> wNext;
  private final Operand<T> vNext;
  private final Operand<T> imageGrad;
  private final Operand<T> paramGrad;
  private final Operand<T> gFlat;

  /**
   * @param type TFloat32.class or TFloat64.class
   * @param withDsa whether the minibatch is augmented (a draw must then be fed every run)
   */
  StudentStepGraph(Model model, DistillConfig config, boolean withDsa, Class<T> type,
      SessionOptions options) {
    SecondOrderGradients.register();
    this.numClasses = model.spec().numClasses();
    ParamLayout layout = model.layout();
    this.type = type;
    this.shape = model.spec().input();
    this.n = numClasses * config.ipc();
    this.paramCount = Math.toIntExact(layout.totalSize());
    this.momentum = config.innerMomentum() != 0;
    this.hasFactor = !(config.innerLoss() instanceof InnerLossTransform.Identity);

    graph = new Graph();
    Ops tf = Ops.create(graph);
    images = tf.withName("syn_images").placeholder(type,
        Placeholder.shape(Shape.of(n, shape.height(), shape.width(), shape.channels())));
    w = tf.withName("w").placeholder(type, Placeholder.shape(Shape.of(paramCount)));
    v = tf.withName("v").placeholder(type, Placeholder.shape(Shape.of(paramCount)));
    synLr = tf.withName("syn_lr").placeholder(type, Placeholder.shape(Shape.scalar()));
    innerFactor = tf.withName("inner_loss_factor").placeholder(type,
        Placeholder.shape(Shape.scalar()));
    batch = tf.withName("batch_indices").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1))); // [b], one step's minibatch
    direction = tf.withName("direction").placeholder(type,
        Placeholder.shape(Shape.of(paramCount)));
    dsa = withDsa ? Optional.of(DsaFeeds.create(tf, type, shape)) : Optional.empty();

    // the step, op for op as in StudentUnroll.unroll
    Operand<TInt32> labels = tf.constant(SyntheticSet.classMajorLabels(numClasses,
        config.ipc())); // [n]
    Params<T> wi = Params.fromFlat(tf, layout, w);
    Operand<T> x = tf.gather(images, batch, tf.constant(0)); // [b, H, W, C]
    if (dsa.isPresent()) {
      x = Dsa.apply(tf, x, dsa.get()); // [b, H, W, C]
    }
    labelLogits = config.softLabels() ? Optional.of(tf.withName("label_logits").placeholder(
        type, Placeholder.shape(Shape.of(n, numClasses)))) : Optional.empty(); // [n, C]
    Operand<T> ce = StudentUnroll.stepLoss(tf, model.forward(tf, wi, x), labels, batch,
        numClasses, labelLogits, config.get(DistillConfig.LABEL_TEMPERATURE)); // scalar
    if (hasFactor) {
      ce = tf.math.mul(innerFactor, ce);
    }
    List<Operand<T>> g = Grad.of(tf, ce, wi.tensors()); // shaped as the layout
    List<Operand<T>> step = g;
    if (momentum) {
      Operand<T> mu = tf.dtypes.cast(tf.constant(config.innerMomentum()), type);
      step = HeavyBall.velocities(tf, mu, Params.fromFlat(tf, layout, v).tensors(), g);
    }
    wNext = wi.minusScaled(tf, synLr, step).flatten(tf); // [P]
    vNext = new Params<>(layout, step).flatten(tf); // [P]
    gFlat = new Params<>(layout, g).flatten(tf); // [P]

    // the step's VJP: s = g . a, a fed (a constant of this graph: stop_gradient)
    Params<T> a = Params.fromFlat(tf, layout, direction);
    Operand<T> s = null;
    for (int k = 0; k < g.size(); k++) {
      Operand<T> gk = g.get(k);
      Operand<T> dot = tf.reduceSum(tf.math.mul(gk, a.get(k)),
          tf.range(tf.constant(0), tf.rank(gk), tf.constant(1))); // scalar
      s = s == null ? dot : tf.math.add(s, dot);
    }
    List<Operand<T>> wrt = new ArrayList<>(List.of(images, w));
    labelLogits.ifPresent(wrt::add);
    List<Operand<T>> vjp = Grad.of(tf, s, wrt);
    imageGrad = vjp.get(0); // [n, H, W, C]
    paramGrad = vjp.get(1); // [P]
    labelGrad = labelLogits.isPresent() ? vjp.get(2) : null; // [n, C]
    session = new Session(graph, options.toConfigProto());
  }

  /**
   * One forward step.
   *
   * @param x images [n, H, W, C]
   * @param wi w_i [P]
   * @param y the label logits [n, C] with soft labels (else ignored, may be null)
   * @param vi v_i [P] (zeros at step 0); ignored without inner momentum
   * @param lr syn_lr
   * @param nu the inner-loss factor
   * @param batchIndices this step's minibatch, values in [0, n)
   * @param draw this step's DSA draw, or null without DSA
   */
  Next forward(double[] x, double[] y, double[] wi, double[] vi, double lr, double nu,
      int[] batchIndices, DsaParams draw) {
    List<Tensor> owned = new ArrayList<>();
    List<DsaFeeds.Fed> fed = new ArrayList<>();
    try {
      Session.Runner r = feedCommon(session.runner(), owned, fed, x, y, wi, nu, batchIndices,
          draw).feed(synLr, own(owned, Tensors.ofType(type, new double[] {lr})));
      if (momentum) {
        r.feed(v, own(owned, Tensors.ofType(type, vi, paramCount)));
      }
      try (Result res = r.fetch(wNext).fetch(vNext).run()) {
        return new Next(Tensors.toDoublesWidening(res.get(0)),
            Tensors.toDoublesWidening(res.get(1)));
      }
    } finally {
      fed.forEach(DsaFeeds.Fed::close);
      owned.forEach(Tensor::close);
    }
  }

  /**
   * The step's vector-Jacobian product with direction {@code a} (the adjoint of g_i).
   *
   * @param y the label logits [n, C] with soft labels (else ignored, may be null)
   * @param a [P]
   */
  Vjp backward(double[] x, double[] y, double[] wi, double[] a, double nu,
      int[] batchIndices, DsaParams draw) {
    List<Tensor> owned = new ArrayList<>();
    List<DsaFeeds.Fed> fed = new ArrayList<>();
    try {
      Session.Runner r = feedCommon(session.runner(), owned, fed, x, y, wi, nu, batchIndices,
          draw).feed(direction, own(owned, Tensors.ofType(type, a, paramCount)));
      r.fetch(imageGrad).fetch(paramGrad).fetch(gFlat);
      if (labelGrad != null) {
        r.fetch(labelGrad);
      }
      try (Result res = r.run()) {
        return new Vjp(Tensors.toDoublesWidening(res.get(0)),
            Tensors.toDoublesWidening(res.get(1)), Tensors.toDoublesWidening(res.get(2)),
            labelGrad != null ? Tensors.toDoublesWidening(res.get(3)) : null);
      }
    } finally {
      fed.forEach(DsaFeeds.Fed::close);
      owned.forEach(Tensor::close);
    }
  }

  private Session.Runner feedCommon(Session.Runner r, List<Tensor> owned,
      List<DsaFeeds.Fed> fed, double[] x, double[] y, double[] wi, double nu,
      int[] batchIndices, DsaParams draw) {
    if (labelLogits.isPresent()) {
      r.feed(labelLogits.get(), own(owned, Tensors.ofType(type, y, n, numClasses)));
    }
    r.feed(images, own(owned, Tensors.ofType(type, x, n, shape.height(), shape.width(),
            shape.channels())))
        .feed(w, own(owned, Tensors.ofType(type, wi, paramCount)))
        .feed(batch, own(owned, Tensors.ints(batchIndices, batchIndices.length)));
    if (hasFactor) {
      r.feed(innerFactor, own(owned, Tensors.ofType(type, new double[] {nu})));
    }
    if (dsa.isPresent()) {
      fed.add(dsa.get().feed(r, draw));
    }
    return r;
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
