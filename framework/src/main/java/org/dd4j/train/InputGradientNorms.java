package org.dd4j.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The per-sample input-gradient norm {@code ||d sum(logits(x)) / dx||_2} that AST's gradient
 * penalty pulls towards K (eq. 19, {@link GradientPenalty#inputGradientNorms} with
 * {@link GradientPenalty.Norm#PER_SAMPLE}), measured for any
 * parameter vector, e.g. every snapshot of a stored expert trajectory. It tells whether the
 * two-sided penalty {@code (||g|| - K)^2} pushes the norm down (||g|| above K) or up (below K).
 *
 * <p>One graph with the parameters as a placeholder is built once; not thread-safe. Close it
 * to free the graph and session.
 */
public final class InputGradientNorms implements AutoCloseable {

  /** Images per session run. */
  private static final int BATCH = 250;

  private final InputShape shape;
  private final int paramCount;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> params;
  private final Placeholder<TFloat32> images;
  private final Operand<TFloat32> norms;

  public InputGradientNorms(Model model, SessionOptions options) {
    checkNotNull(model, "model");
    shape = model.spec().input();
    paramCount = Math.toIntExact(model.layout().totalSize());
    graph = new Graph();
    Ops tf = Ops.create(graph);
    params = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(paramCount))); // [P]
    images = tf.placeholder(TFloat32.class, Placeholder.shape(
        Shape.of(-1, shape.height(), shape.width(), shape.channels()))); // [B, H, W, C]
    norms = GradientPenalty.inputGradientNorms(tf, model,
        Params.fromFlat(tf, model.layout(), params), images,
        GradientPenalty.Norm.PER_SAMPLE); // [B]
    session = new Session(graph, checkNotNull(options, "options").toConfigProto());
  }

  /**
   * Per-sample norms for the first {@code count} images of {@code set}.
   *
   * @param p flat parameter vector in the model's layout order, length P
   * @param set images of the model's input shape, preprocessed as the expert's training data
   * @param count how many images, in [1, set.count()]
   * @return ||g|| per image, length {@code count}, in logit units per input unit
   * @throws IllegalArgumentException on a wrong parameter length, image shape or count
   */
  public double[] norms(float[] p, ImageSet set, int count) {
    checkArgument(p.length == paramCount, "params has %s values but the model has %s",
        p.length, paramCount);
    checkArgument(set.height() == shape.height() && set.width() == shape.width()
            && set.channels() == shape.channels(), "images are %sx%sx%s, the model expects %s",
        set.height(), set.width(), set.channels(), shape);
    checkArgument(count >= 1 && count <= set.count(), "count must be in [1, %s], got %s",
        set.count(), count);
    int size = set.imageSize();
    float[] src = set.images();
    double[] out = new double[count];
    try (TFloat32 pt = Tensors.floats(p, paramCount)) {
      for (int from = 0; from < count; from += BATCH) {
        int b = Math.min(BATCH, count - from);
        float[] x = new float[b * size];
        System.arraycopy(src, from * size, x, 0, b * size);
        try (TFloat32 xt = Tensors.floats(x, b, shape.height(), shape.width(), shape.channels());
            Result r = session.runner().feed(params, pt).feed(images, xt).fetch(norms).run()) {
          float[] n = Tensors.toFloats(r.get(0));
          for (int i = 0; i < b; i++) {
            out[from + i] = n[i];
          }
        }
      }
    }
    return out;
  }

  /** Mean of {@link #norms}. */
  public double meanNorm(float[] p, ImageSet set, int count) {
    double s = 0;
    for (double n : norms(p, set, count)) {
      s += n;
    }
    return s / count;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
