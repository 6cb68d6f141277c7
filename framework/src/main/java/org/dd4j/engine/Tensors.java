package org.dd4j.engine;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/** Copies between Java arrays and TensorFlow tensors. Callers close the tensors. */
public final class Tensors {

  private Tensors() {}

  public static TFloat32 floats(float[] data, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  public static TFloat64 doubles(double[] data, long... shape) {
    return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  public static TInt32 ints(int[] data, long... shape) {
    return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  public static TFloat32 scalar(float v) {
    return TFloat32.scalarOf(v);
  }

  /** All elements of a float32 tensor, row-major. */
  public static float[] toFloats(Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] out = new float[Math.toIntExact(f.size())];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** All elements of a float64 tensor, row-major. */
  public static double[] toDoubles(Tensor t) {
    TFloat64 f = (TFloat64) t;
    double[] out = new double[Math.toIntExact(f.size())];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /**
   * A float32 or float64 tensor from doubles: for float32 each value is rounded to float
   * (exact for values that came from a float32 tensor).
   *
   * @param type TFloat32.class or TFloat64.class
   * @throws IllegalArgumentException for another type
   */
  public static Tensor ofType(Class<? extends TFloating> type, double[] data, long... shape) {
    if (type == TFloat64.class) {
      return doubles(data, shape);
    }
    if (type != TFloat32.class) {
      throw new IllegalArgumentException("float32 or float64 expected, got "
          + type.getSimpleName());
    }
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return floats(f, shape);
  }

  /** All elements of a float32 (widened exactly) or float64 tensor, row-major. */
  public static double[] toDoublesWidening(Tensor t) {
    if (t instanceof TFloat64) {
      return toDoubles(t);
    }
    float[] f = toFloats(t);
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = f[i];
    }
    return out;
  }

  public static float scalarFloat(Tensor t) {
    return ((TFloat32) t).getFloat();
  }
}
