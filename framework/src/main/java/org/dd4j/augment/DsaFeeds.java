package org.dd4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The placeholders one {@link Dsa} application reads its draw from: {@code color} [B, 4],
 * {@code affine} [B, 6] and {@code cutout} [B, 4], of the images' float type (see
 * {@link DsaParams} for their meaning). Feed them before every run with
 * {@link #feed(Session.Runner, DsaParams)}; several applications may share one
 * {@code DsaFeeds} (they then get the same draw: siamese augmentation).
 *
 * @param <T> TFloat32 or TFloat64
 */
public final class DsaFeeds<T extends TFloating> {

  private final Class<T> type;
  private final InputShape shape;
  private final Placeholder<T> color;
  private final Placeholder<T> affine;
  private final Placeholder<T> cutout;

  private DsaFeeds(Class<T> type, InputShape shape, Placeholder<T> color, Placeholder<T> affine,
      Placeholder<T> cutout) {
    this.type = type;
    this.shape = shape;
    this.color = color;
    this.affine = affine;
    this.cutout = cutout;
  }

  /**
   * New placeholders in {@code tf}'s graph.
   *
   * @param type TFloat32.class or TFloat64.class, the images' type
   * @param shape the images' [H, W, C]
   */
  public static <T extends TFloating> DsaFeeds<T> create(Ops tf, Class<T> type,
      InputShape shape) {
    checkArgument(type == TFloat32.class || type == TFloat64.class,
        "DSA supports float32 and float64 images, got %s", type.getSimpleName());
    Ops s = tf.withSubScope("dsa");
    return new DsaFeeds<>(type, shape,
        s.withName("color").placeholder(type, Placeholder.shape(Shape.of(-1, 4))),
        s.withName("affine").placeholder(type, Placeholder.shape(Shape.of(-1, 6))),
        s.withName("cutout").placeholder(type, Placeholder.shape(Shape.of(-1, 4))));
  }

  public Class<T> type() {
    return type;
  }

  public InputShape shape() {
    return shape;
  }

  /** [B, 4]: (a, b, c, d) of {@code a x + b mean_C(x) + c mean_HWC(x) + d}. */
  public Placeholder<T> color() {
    return color;
  }

  /** [B, 6]: output (column x, row y) samples input column a0 x + a1 y + a2, row a3 x + a4 y + a5. */
  public Placeholder<T> affine() {
    return affine;
  }

  /** [B, 4]: (row0, row1, col0, col1) of the zeroed box, half-open. */
  public Placeholder<T> cutout() {
    return cutout;
  }

  /**
   * Feeds {@code params} to the runner. The tensors must stay open until the run has
   * finished: close the returned handle after {@code run()} (try-with-resources).
   *
   * @throws IllegalArgumentException if the draw's image size differs from {@link #shape()}
   */
  public Fed feed(Session.Runner runner, DsaParams params) {
    checkArgument(params.height() == shape.height() && params.width() == shape.width(),
        "draw is for %sx%s images, feeds for %s", params.height(), params.width(), shape);
    Fed fed = new Fed();
    int b = params.batch();
    runner.feed(color, fed.add(tensor(params.color(), b, 4)));
    runner.feed(affine, fed.add(tensor(params.affine(), b, 6)));
    runner.feed(cutout, fed.add(tensor(params.cutout(), b, 4)));
    return fed;
  }

  private Tensor tensor(double[] values, long rows, long cols) {
    if (type == TFloat64.class) {
      return Tensors.doubles(values, rows, cols);
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return Tensors.floats(f, rows, cols);
  }

  /** The tensors fed for one run; closing frees them. */
  public static final class Fed implements AutoCloseable {
    private final List<Tensor> tensors = new ArrayList<>();

    Fed() {}

    Tensor add(Tensor t) {
      tensors.add(t);
      return t;
    }

    void addAll(Fed other) {
      tensors.addAll(other.tensors);
      other.tensors.clear();
    }

    @Override
    public void close() {
      tensors.forEach(Tensor::close);
      tensors.clear();
    }
  }
}
