package org.dd4j.augment;

import java.util.ArrayList;
import java.util.List;
import org.dd4j.models.InputShape;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Differentiable siamese augmentation (DSA) in the graph: applies a fed draw
 * ({@link DsaFeeds}, drawn by {@link DsaSampler}) to a batch of images, as a function that
 * is differentiable w.r.t. the images (the draw is data, not differentiated).
 *
 * <p>Design: the group is chosen in Java, and every group is folded into one fixed graph,
 * {@code y = resample(a x + b mean_C(x) + c mean_HWC(x) + d) * mask}, with identity
 * parameters for the ops not chosen. The resampling is a 4-tap gather per output pixel
 * (bilinear taps of a per-sample affine map; crop and flip are integer maps with a single
 * tap of weight 1, so they copy pixels exactly; taps outside the image read a zero row), and
 * the cutout mask multiplies the tap weights. Hence no control flow: TensorFlow's C++
 * gradient registry, which {@code tf.gradients} uses from Java, has no gradient for the
 * functional {@code If}/{@code Case} ops, and Switch/Merge conditionals are brittle under
 * second-order differentiation; a per-group graph fetched by the caller cannot serve an
 * unrolled student, whose N steps each choose a group (6^N graphs). The price is that every
 * call pays for colour and resampling, about 4 + 4 gathered/multiplied values per input
 * value plus two means. Measured ({@code DsaBenchmarkTest}, 256 x 32 x 32 x 3 float32, CPU,
 * 2 shared cores, forward + d/d(images)): about 96 ms for DSA against 266 ms for ConvNet-3's
 * first conv layer (3 -> 128) alone, whose 128 -> 128 layers cost roughly ten times more:
 * a few percent of a student step; the Java draw takes under 1 ms. Gradients w.r.t. the images go through Mul, Mean, AddV2,
 * Reshape, Pad, GatherV2 and Sum, which all have C++ gradients (checked against finite
 * differences in float64 in {@code DsaGradientTest}).
 *
 * <p>Scale and rotate reproduce PyTorch's {@code affine_grid} + {@code grid_sample}
 * (bilinear, zeros padding) as DSA uses them. TensorFlow's ImageProjectiveTransformV3 is
 * not used: it has no gradient w.r.t. the image.
 *
 * <p>References: Zhao &amp; Bilen, "Dataset Condensation with Differentiable Siamese
 * Augmentation", ICML 2021; MTT (Cazenavette et al., CVPR 2022) applies DSA to the real
 * batches of the buffer, to each synthetic minibatch of the unrolled student and in
 * evaluation; spec section 3.
 */
public final class Dsa {

  private Dsa() {}

  /**
   * Augments a batch.
   *
   * @param images shape [B, H, W, C] with H, W, C = {@code feeds.shape()}; B must equal the
   *     fed draw's batch
   * @param feeds the placeholders holding this run's draw
   * @return the augmented images, shape [B, H, W, C], same type
   */
  public static <T extends TFloating> Operand<T> apply(Ops tf, Operand<T> images,
      DsaFeeds<T> feeds) {
    Ops s = tf.withSubScope("dsa");
    InputShape shape = feeds.shape();
    Class<T> type = feeds.type();
    int h = shape.height();
    int w = shape.width();
    int c = shape.channels();
    int hw = h * w;

    // colour: a x + b mean_C(x) + c mean_HWC(x) + d
    List<Operand<T>> col = columns(s, feeds.color(), 4, new long[] {-1, 1, 1, 1}); // [B,1,1,1]
    Operand<T> meanC = s.math.mean(images, s.constant(3), Mean.keepDims(true));
    Operand<T> meanAll = s.math.mean(images, s.constant(new int[] {1, 2, 3}),
        Mean.keepDims(true)); // [B,1,1,1]
    Operand<T> colored = s.math.add(
        s.math.add(s.math.mul(col.get(0), images), s.math.mul(col.get(1), meanC)),
        s.math.add(s.math.mul(col.get(2), meanAll), col.get(3))); // [B,H,W,C]

    // sampling positions of the output pixels
    double[] xs = new double[hw];
    double[] ys = new double[hw];
    for (int p = 0; p < hw; p++) {
      xs[p] = p % w;
      ys[p] = p / w;
    }
    Operand<T> gridX = grid(s, xs, type); // [1, HW]
    Operand<T> gridY = grid(s, ys, type); // [1, HW]
    List<Operand<T>> m = columns(s, feeds.affine(), 6, new long[] {-1, 1}); // [B,1]
    Operand<T> srcX = s.math.add(s.math.add(s.math.mul(m.get(0), gridX),
        s.math.mul(m.get(1), gridY)), m.get(2)); // [B, HW]
    Operand<T> srcY = s.math.add(s.math.add(s.math.mul(m.get(3), gridX),
        s.math.mul(m.get(4), gridY)), m.get(5)); // [B, HW]
    Operand<T> x0 = s.math.floor(srcX);
    Operand<T> y0 = s.math.floor(srcY);
    Operand<T> fx = s.math.sub(srcX, x0);
    Operand<T> fy = s.math.sub(srcY, y0);
    Operand<T> one = s.dtypes.cast(s.constant(1.0), type);
    Operand<TInt32> x0i = s.dtypes.cast(x0, TInt32.class);
    Operand<TInt32> y0i = s.dtypes.cast(y0, TInt32.class);

    Operand<TInt32> batch = s.gather(s.shape(images), s.constant(0), s.constant(0));
    Operand<TInt32> zeroRow = s.math.mul(batch, s.constant(hw)); // index of the padded zero
    Operand<TInt32> offsets = s.reshape(s.math.mul(s.range(s.constant(0), batch,
        s.constant(1)), s.constant(hw)), s.constant(new int[] {-1, 1})); // [B,1]

    // cutout: keep = 1 - [row0 <= y < row1 and col0 <= x < col1]
    List<Operand<T>> box = columns(s, feeds.cutout(), 4, new long[] {-1, 1}); // [B,1]
    Operand<TBool> inside = s.math.logicalAnd(
        s.math.logicalAnd(s.math.greaterEqual(gridY, box.get(0)), s.math.less(gridY, box.get(1))),
        s.math.logicalAnd(s.math.greaterEqual(gridX, box.get(2)), s.math.less(gridX, box.get(3))));
    Operand<T> keep = s.math.sub(one, s.dtypes.cast(inside, type)); // [B, HW]

    List<Operand<TInt32>> taps = new ArrayList<>(4);
    List<Operand<T>> weights = new ArrayList<>(4);
    for (int dy = 0; dy <= 1; dy++) {
      for (int dx = 0; dx <= 1; dx++) {
        Operand<TInt32> xi = s.math.add(x0i, s.constant(dx));
        Operand<TInt32> yi = s.math.add(y0i, s.constant(dy));
        Operand<TBool> valid = s.math.logicalAnd(
            s.math.logicalAnd(s.math.greaterEqual(xi, s.constant(0)), s.math.less(xi,
                s.constant(w))),
            s.math.logicalAnd(s.math.greaterEqual(yi, s.constant(0)), s.math.less(yi,
                s.constant(h))));
        Operand<TInt32> v = s.dtypes.cast(valid, TInt32.class);
        Operand<TInt32> inImage = s.math.add(offsets, s.math.add(s.math.mul(yi, s.constant(w)),
            xi));
        // valid ? inImage : zeroRow
        taps.add(s.math.add(s.math.mul(v, inImage),
            s.math.mul(s.math.sub(s.constant(1), v), zeroRow))); // [B, HW]
        Operand<T> wx = dx == 1 ? fx : s.math.sub(one, fx);
        Operand<T> wy = dy == 1 ? fy : s.math.sub(one, fy);
        weights.add(s.math.mul(s.math.mul(wx, wy), s.math.mul(keep, s.dtypes.cast(valid,
            type)))); // [B, HW]
      }
    }
    Operand<TInt32> idx = s.stack(taps, org.tensorflow.op.core.Stack.axis(2L)); // [B, HW, 4]
    Operand<T> wgt = s.expandDims(s.stack(weights, org.tensorflow.op.core.Stack.axis(2L)),
        s.constant(3)); // [B, HW, 4, 1]

    Operand<T> flat = s.reshape(colored, s.constant(new int[] {-1, c})); // [B*HW, C]
    Operand<T> padded = s.pad(flat, s.constant(new int[][] {{0, 1}, {0, 0}}),
        s.dtypes.cast(s.constant(0.0), type)); // [B*HW + 1, C]
    Operand<T> gathered = s.gather(padded, idx, s.constant(0)); // [B, HW, 4, C]
    Operand<T> out = s.reduceSum(s.math.mul(gathered, wgt), s.constant(2),
        ReduceSum.keepDims(false)); // [B, HW, C]
    return tf.withName("dsa_out").reshape(out, s.constant(new int[] {-1, h, w, c}));
  }

  /** The columns of a [B, k] table, each reshaped to {@code shape}. */
  private static <T extends TFloating> List<Operand<T>> columns(Ops s, Operand<T> table, int k,
      long[] shape) {
    List<Operand<T>> out = new ArrayList<>(k);
    for (Operand<T> col : s.unstack(table, (long) k, org.tensorflow.op.core.Unstack.axis(1L))
        .output()) {
      out.add(s.reshape(col, s.constant(shape)));
    }
    return out;
  }

  private static <T extends TFloating> Operand<T> grid(Ops s, double[] values, Class<T> type) {
    Operand<TFloat64> g = s.constant(Shape.of(1, values.length), DataBuffers.of(values));
    return s.dtypes.cast(g, type);
  }
}
