package org.dd4j.interop;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A PyTorch tensor as a {@code .pt} file holds it: a dtype, a shape, strides and an offset
 * into a storage of elements. Read from a file ({@link TorchFile}) the storage is read from
 * the archive only when the values are asked for; made in Java ({@link #ofFloats} ...) it is
 * a row-major array.
 *
 * <p>Values come out row-major in PyTorch's shape (e.g. a conv weight [out, in, kh, kw],
 * images NCHW), whatever the strides.
 */
public final class TorchTensor {

  /** A storage of a file: its dtype, element count and bytes (read when asked for). */
  interface StorageSource {
    TorchDtype dtype();

    long numel();

    /** The whole storage, little-endian. */
    ByteBuffer read();
  }

  private final TorchDtype dtype;
  private final long[] shape;
  private final long[] stride;
  private final long offset;
  private final long storageSize;
  private final Supplier<ByteBuffer> storage;

  /**
   * @param storage supplies the whole storage, little-endian, {@code storageSize} elements
   * @throws IllegalArgumentException if shape, strides and offset reach outside the storage
   */
  TorchTensor(TorchDtype dtype, long[] shape, long[] stride, long offset, long storageSize,
      Supplier<ByteBuffer> storage) {
    this.dtype = checkNotNull(dtype, "dtype");
    this.shape = shape.clone();
    this.stride = stride.clone();
    this.offset = offset;
    this.storageSize = storageSize;
    this.storage = checkNotNull(storage, "storage");
    checkArgument(shape.length == stride.length, "shape %s and stride %s differ in rank",
        Arrays.toString(shape), Arrays.toString(stride));
    long last = offset;
    for (int d = 0; d < shape.length; d++) {
      checkArgument(shape[d] >= 0 && stride[d] >= 0, "negative size or stride in shape %s"
          + " stride %s", Arrays.toString(shape), Arrays.toString(stride));
      if (shape[d] == 0) {
        last = -1;
        break;
      }
      last += (shape[d] - 1) * stride[d];
    }
    checkArgument(offset >= 0 && last < storageSize, "shape %s stride %s offset %s reaches"
        + " outside a storage of %s elements", Arrays.toString(shape), Arrays.toString(stride),
        offset, storageSize);
    checkArgument(numel() <= Integer.MAX_VALUE - 8, "a tensor of %s elements does not fit a"
        + " Java array", numel());
  }

  /** A float32 tensor of row-major {@code values} in {@code shape} ([] for a 0-d tensor). */
  public static TorchTensor ofFloats(float[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return contiguous(TorchDtype.FLOAT32, shape, values.length, b);
  }

  /** A float64 tensor of row-major {@code values} in {@code shape}. */
  public static TorchTensor ofDoubles(double[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(values);
    return contiguous(TorchDtype.FLOAT64, shape, values.length, b);
  }

  /** An int64 tensor of row-major {@code values} in {@code shape}. */
  public static TorchTensor ofLongs(long[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return contiguous(TorchDtype.INT64, shape, values.length, b);
  }

  private static TorchTensor contiguous(TorchDtype dtype, long[] shape, int n, ByteBuffer b) {
    long count = 1;
    for (long s : shape) {
      count *= s;
    }
    checkArgument(count == n, "%s values do not fill shape %s", n, Arrays.toString(shape));
    ByteBuffer ro = b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    return new TorchTensor(dtype, shape, rowMajorStrides(shape), 0, n,
        () -> ro.duplicate().order(ByteOrder.LITTLE_ENDIAN));
  }

  static long[] rowMajorStrides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      s[d] = acc;
      acc *= shape[d];
    }
    return s;
  }

  public TorchDtype dtype() {
    return dtype;
  }

  /** The shape, PyTorch's order (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements (1 for a 0-d tensor). */
  public long numel() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /** The shape as PyTorch prints it, e.g. "[32, 3, 3, 3]". */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  /**
   * The values row-major as float32: float64 rounded to nearest, int64 converted.
   */
  public float[] toFloats() {
    ByteBuffer b = storage.get();
    float[] out = new float[(int) numel()];
    int[] k = {0};
    forEachIndex(i -> out[k[0]++] = switch (dtype) {
      case FLOAT32 -> b.getFloat((int) (i * 4));
      case FLOAT64 -> (float) b.getDouble((int) (i * 8));
      case INT64 -> (float) b.getLong((int) (i * 8));
    });
    return out;
  }

  /** The values row-major as float64 (exact for every dtype but large int64). */
  public double[] toDoubles() {
    ByteBuffer b = storage.get();
    double[] out = new double[(int) numel()];
    int[] k = {0};
    forEachIndex(i -> out[k[0]++] = switch (dtype) {
      case FLOAT32 -> b.getFloat((int) (i * 4));
      case FLOAT64 -> b.getDouble((int) (i * 8));
      case INT64 -> (double) b.getLong((int) (i * 8));
    });
    return out;
  }

  /**
   * The values row-major as int64.
   *
   * @throws IllegalStateException if the dtype is not int64
   */
  public long[] toLongs() {
    if (dtype != TorchDtype.INT64) {
      throw new IllegalStateException("a " + dtype.torchName() + " tensor, not int64");
    }
    ByteBuffer b = storage.get();
    long[] out = new long[(int) numel()];
    int[] k = {0};
    forEachIndex(i -> out[k[0]++] = b.getLong((int) (i * 8)));
    return out;
  }

  /** The values row-major, little-endian, as they go into a file. */
  public byte[] toBytes() {
    ByteBuffer b = storage.get();
    int size = dtype.bytes();
    byte[] out = new byte[(int) numel() * size];
    int[] k = {0};
    forEachIndex(i -> {
      for (int j = 0; j < size; j++) {
        out[k[0]++] = b.get((int) (i * size + j));
      }
    });
    return out;
  }

  private interface IndexConsumer {
    void accept(long storageIndex);
  }

  /** Storage indices of the elements in row-major order of the shape. */
  private void forEachIndex(IndexConsumer f) {
    long n = numel();
    if (n == 0) {
      return;
    }
    int rank = shape.length;
    long[] idx = new long[rank];
    long pos = offset;
    for (long e = 0; e < n; e++) {
      f.accept(pos);
      for (int d = rank - 1; d >= 0; d--) {
        idx[d]++;
        pos += stride[d];
        if (idx[d] < shape[d]) {
          break;
        }
        pos -= idx[d] * stride[d];
        idx[d] = 0;
      }
    }
  }

  long storageSize() {
    return storageSize;
  }

  @Override
  public String toString() {
    return "tensor(" + dtype.torchName() + ", " + shapeString() + ")";
  }
}
