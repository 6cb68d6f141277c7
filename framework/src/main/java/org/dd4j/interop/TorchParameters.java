package org.dd4j.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dd4j.models.Model;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;

/**
 * The parameter mapping between PyTorch's {@code net.parameters()} of the authors' networks
 * (MTT's {@code networks.py}: ConvNet, AlexNet, VGG11, ResNet18 and their norm and pooling
 * variants) and dd4j's flat parameter vector ({@link Model#layout()}), both ways.
 *
 * <ul>
 *   <li>Order: the same, tensor for tensor: PyTorch's module order ({@code named_parameters()})
 *       is dd4j's layout order for every architecture of the pool.
 *   <li>Conv weights: PyTorch [out, in, kh, kw] (OIHW) are dd4j [kh, kw, in, out] (HWIO).
 *   <li>The classifier's linear weight: PyTorch [classes, F] is dd4j [F, classes], with the
 *       F features flattened as dd4j's NHWC activations (H, W, C) instead of PyTorch's
 *       (C, H, W); C is the channel count of the last conv layer before it.
 *   <li>Biases, and the scale and shift of instance norm (MTT's {@code GroupNorm(C, C)}),
 *       group norm and batch norm: the same [C] vectors.
 *   <li>Batch norm's running statistics are buffers, not parameters: MTT's buffer.py saves
 *       only {@code parameters()}, and dd4j's trajectories hold only parameters too. They are
 *       not needed to distil: the unrolled student (MTT's {@code ReparamModule}, and dd4j's
 *       {@link Model#forward}) normalizes with batch statistics. A network evaluated at test
 *       time is trained from scratch and keeps its own.
 * </ul>
 */
public final class TorchParameters {

  private TorchParameters() {}

  /**
   * PyTorch tensors in {@code parameters()} order to dd4j's flat vector for {@code model}.
   *
   * @param params one tensor per parameter, float32 or float64 (float64 rounded)
   * @param file the file they came from, for the message
   * @param where which snapshot, e.g. "expert 3, epoch 5", for the message
   * @return [P] float32 in {@link Model#layout()} order
   * @throws TorchFormatException if the count, a shape or a dtype does not fit the model
   */
  public static float[] toDd4j(Model model, List<?> params, java.nio.file.Path file,
      String where) {
    ParamLayout layout = model.layout();
    if (params.size() != layout.count()) {
      throw new TorchFormatException(file, where + " holds " + params.size()
          + " parameter tensors, the model " + describe(model) + " has " + layout.count(),
          "give the model the experts were trained with (--model, --width, --depth,"
              + " --norm)");
    }
    float[] flat = new float[Math.toIntExact(layout.totalSize())];
    long lastConvOut = -1;
    for (int k = 0; k < layout.count(); k++) {
      if (!(params.get(k) instanceof TorchTensor t)) {
        throw new TorchFormatException(file, where + ": parameter " + k + " is a "
            + typeName(params.get(k)) + ", not a tensor", "pass a buffer saved by buffer.py");
      }
      if (t.dtype() == TorchDtype.INT64) {
        throw new TorchFormatException(file, where + ": parameter " + k + " is an int64"
            + " tensor", "parameters must be float32 or float64");
      }
      ParamShape d = layout.get(k);
      long[] ts = t.shape();
      long[] expected = torchShape(d, k, layout);
      if (!Arrays.equals(ts, expected)) {
        throw new TorchFormatException(file, where + ": parameter " + k + " (" + d.name()
            + ") has shape " + t.shapeString() + ", the model " + describe(model)
            + " expects " + Arrays.toString(expected),
            "give the model the experts were trained with (--model, --width, --depth,"
                + " --norm, and the dataset's image size and classes)");
      }
      float[] v = t.toFloats();
      float[] mapped;
      if (ts.length == 4) {
        mapped = oihwToHwio(v, (int) ts[0], (int) ts[1], (int) ts[2], (int) ts[3]);
        lastConvOut = ts[0];
      } else if (ts.length == 2) {
        mapped = linearToDd4j(v, (int) ts[0], (int) ts[1], lastConvOut);
      } else {
        mapped = v;
      }
      System.arraycopy(mapped, 0, flat, (int) layout.offset(k), mapped.length);
    }
    return flat;
  }

  /**
   * dd4j's flat vector to PyTorch tensors in {@code parameters()} order (float32), the
   * inverse of {@link #toDd4j}.
   *
   * @param flat [P] in {@link Model#layout()} order
   */
  public static List<TorchTensor> toTorch(Model model, float[] flat) {
    ParamLayout layout = model.layout();
    List<TorchTensor> out = new ArrayList<>();
    long lastConvOut = -1;
    for (int k = 0; k < layout.count(); k++) {
      ParamShape d = layout.get(k);
      long[] ts = torchShape(d, k, layout);
      float[] v = Arrays.copyOfRange(flat, (int) layout.offset(k),
          (int) (layout.offset(k) + d.size()));
      float[] mapped;
      if (ts.length == 4) {
        mapped = hwioToOihw(v, (int) ts[0], (int) ts[1], (int) ts[2], (int) ts[3]);
        lastConvOut = ts[0];
      } else if (ts.length == 2) {
        mapped = dd4jToLinear(v, (int) ts[0], (int) ts[1], lastConvOut);
      } else {
        mapped = v;
      }
      out.add(TorchTensor.ofFloats(mapped, ts));
    }
    return out;
  }

  /** PyTorch's shape of dd4j parameter k. */
  static long[] torchShape(ParamShape d, int k, ParamLayout layout) {
    long[] s = d.shape();
    if (s.length == 4) { // [kh, kw, in, out] -> [out, in, kh, kw]
      return new long[] {s[3], s[2], s[0], s[1]};
    }
    if (s.length == 2) { // [F, classes] -> [classes, F]
      return new long[] {s[1], s[0]};
    }
    return s;
  }

  static String describe(Model m) {
    var s = m.spec();
    return s.name() + (s.name().equals("convnet") ? "-d" + s.depth() + "-w" + s.width()
        + " (" + s.norm() + " norm)" : "") + " on " + s.input() + ", " + s.numClasses()
        + " classes";
  }

  private static String typeName(Object o) {
    return o == null ? "None" : o instanceof Object[] ? "tuple" : o.getClass().getSimpleName();
  }

  private static float[] oihwToHwio(float[] v, int out, int in, int kh, int kw) {
    float[] r = new float[v.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            r[((y * kw + x) * in + i) * out + o] = v[((o * in + i) * kh + y) * kw + x];
          }
        }
      }
    }
    return r;
  }

  private static float[] hwioToOihw(float[] v, int out, int in, int kh, int kw) {
    float[] r = new float[v.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            r[((o * in + i) * kh + y) * kw + x] = v[((y * kw + x) * in + i) * out + o];
          }
        }
      }
    }
    return r;
  }

  /** PyTorch's [classes, F] (F as C, H, W) to dd4j's [F, classes] (F as H, W, C). */
  private static float[] linearToDd4j(float[] v, int classes, int features, long channels) {
    int c = channels > 0 && features % channels == 0 ? (int) channels : features;
    int hw = features / c;
    float[] r = new float[v.length];
    for (int k = 0; k < classes; k++) {
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < hw; p++) {
          r[(p * c + ch) * classes + k] = v[k * features + ch * hw + p];
        }
      }
    }
    return r;
  }

  private static float[] dd4jToLinear(float[] v, int classes, int features, long channels) {
    int c = channels > 0 && features % channels == 0 ? (int) channels : features;
    int hw = features / c;
    float[] r = new float[v.length];
    for (int k = 0; k < classes; k++) {
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < hw; p++) {
          r[k * features + ch * hw + p] = v[(p * c + ch) * classes + k];
        }
      }
    }
    return r;
  }
}
