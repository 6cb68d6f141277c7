package org.dd4j.select;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.dd4j.data.ImageSet;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.Params;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.TrajectoryReader;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Embeds real images with one fixed parameter vector of a model (e.g. an expert's final
 * checkpoint), in batches, in a TensorFlow graph built once: penultimate features [n, F] or
 * logits [n, numClasses], float32. The shared first step of representative initialization
 * (AST IV-C1), herding and k-center selection.
 *
 * <p>Not thread-safe. Close it to free the graph and session.
 */
public final class ExpertEmbedder implements AutoCloseable {

  /** Images per session run when none is given. */
  public static final int DEFAULT_BATCH = 500;

  private final InputShape shape;
  private final EmbeddingLayer layer;
  private final int batchSize;
  private final int dim;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Operand<TFloat32> output;

  /**
   * Builds the embedding graph with {@code params} as constants.
   *
   * @param params flat parameter vector in {@code model.layout()} order, length P
   * @param layer features or logits
   * @param batchSize images per session run, > 0 (memory: batchSize x the model's
   *     activations)
   * @throws IllegalArgumentException if {@code params} has the wrong length
   */
  public ExpertEmbedder(Model model, float[] params, EmbeddingLayer layer, int batchSize,
      SessionOptions options) {
    checkNotNull(model, "model");
    checkNotNull(params, "params");
    this.layer = checkNotNull(layer, "layer");
    checkArgument(batchSize > 0, "batchSize must be > 0, got %s", batchSize);
    checkArgument(params.length == model.layout().totalSize(),
        "params has %s values but the model has %s", params.length, model.layout().totalSize());
    this.shape = model.spec().input();
    this.batchSize = batchSize;
    graph = new Graph();
    Ops tf = Ops.create(graph);
    images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(
        Shape.of(-1, shape.height(), shape.width(), shape.channels()))); // [B, H, W, C]
    Params<TFloat32> p = Params.fromFlat(tf, model.layout(), tf.constant(params)); // [P]
    output = layer == EmbeddingLayer.FEATURES
        ? model.features(tf, p, images) // [B, F]
        : model.forwardFirstOrder(tf, p, images); // [B, numClasses]
    session = new Session(graph, checkNotNull(options, "options").toConfigProto());
    dim = Math.toIntExact(output.shape().size(1) > 0 ? output.shape().size(1)
        : probeDim());
  }

  /**
   * An embedder for expert {@code expert}'s final checkpoint (its last epoch's snapshot) in
   * {@code buffer}, with the buffer's own model.
   *
   * @param expert index of a complete expert
   * @throws IllegalArgumentException if that expert is not complete
   * @throws org.dd4j.storage.TrajectoryFormatException if its file cannot be read
   */
  public static ExpertEmbedder fromBuffer(BufferDirectory buffer, int expert,
      EmbeddingLayer layer, SessionOptions options) {
    checkArgument(buffer.completeExperts().contains(expert),
        "expert %s of buffer %s is not complete; complete experts: %s", expert, buffer.root(),
        buffer.completeExperts());
    Model model = ModelRegistry.create(buffer.manifest().model());
    return new ExpertEmbedder(model, finalSnapshot(buffer, expert), layer, DEFAULT_BATCH,
        options);
  }

  /**
   * The parameters of expert {@code expert}'s last epoch: the snapshot with the largest
   * epoch number.
   *
   * @return flat vector, length P
   */
  public static float[] finalSnapshot(BufferDirectory buffer, int expert) {
    try (TrajectoryReader r = buffer.openExpert(expert)) {
      int[] epochs = r.epochs();
      int last = 0;
      for (int t = 1; t < epochs.length; t++) {
        if (epochs[t] > epochs[last]) {
          last = t;
        }
      }
      return r.snapshot(last);
    }
  }

  /** Where the embedding is taken. */
  public EmbeddingLayer layer() {
    return layer;
  }

  /** F, the length of one embedding. */
  public int dimension() {
    return dim;
  }

  /**
   * Embeds the images of {@code set} at {@code indices}, in that order.
   *
   * @param set images of the model's input shape, preprocessed as the expert's training data
   * @param indices rows of {@code set}, each in [0, set.count())
   * @return shape [indices.length, F], float32, row i embedding image indices[i]
   * @throws IllegalArgumentException if the image shape differs from the model's
   */
  public float[][] embed(ImageSet set, int[] indices) {
    checkArgument(set.height() == shape.height() && set.width() == shape.width()
            && set.channels() == shape.channels(), "images are %sx%sx%s, the model expects %s",
        set.height(), set.width(), set.channels(), shape);
    int size = set.imageSize();
    float[] src = set.images();
    float[][] out = new float[indices.length][];
    for (int from = 0; from < indices.length; from += batchSize) {
      int b = Math.min(batchSize, indices.length - from);
      float[] x = new float[b * size];
      for (int i = 0; i < b; i++) {
        checkArgument(indices[from + i] >= 0 && indices[from + i] < set.count(),
            "index %s is not in [0, %s)", indices[from + i], set.count());
        System.arraycopy(src, indices[from + i] * size, x, i * size, size);
      }
      float[] e = run(x, b); // [b, F]
      for (int i = 0; i < b; i++) {
        float[] row = new float[dim];
        System.arraycopy(e, i * dim, row, 0, dim);
        out[from + i] = row;
      }
    }
    return out;
  }

  /** Embeds every image of {@code set}: shape [set.count(), F]. */
  public float[][] embedAll(ImageSet set) {
    int[] all = new int[set.count()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return embed(set, all);
  }

  private float[] run(float[] x, int b) {
    try (TFloat32 t = Tensors.floats(x, b, shape.height(), shape.width(), shape.channels());
        Result r = session.runner().feed(images, t).fetch(output).run()) {
      return Tensors.toFloats(r.get(0));
    }
  }

  /** F from one run on a zero image, for a model whose graph leaves it unknown. */
  private int probeDim() {
    return run(new float[shape.size()], 1).length;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
