package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A model's parameters as graph operands, in the model's {@link ParamLayout} order. Models
 * own no variables: the same {@code forward} runs on an expert's trained weights, on a
 * student's unrolled weights {@code w_i}, or on resource-variable reads.
 *
 * @param <T> float type of the graph (TFloat32 in training, TFloat64 in gradient checks)
 */
public record Params<T extends TFloating>(ParamLayout layout, List<Operand<T>> tensors) {

  public Params {
    tensors = List.copyOf(tensors);
    checkArgument(tensors.size() == layout.count(), "layout has %s tensors but %s were given",
        layout.count(), tensors.size());
  }

  /** Tensor k, shaped as {@code layout.get(k)}. */
  public Operand<T> get(int k) {
    return tensors.get(k);
  }

  /**
   * Splits a flat vector into shaped tensors.
   *
   * @param flat shape [P] with P = {@code layout.totalSize()}
   * @throws ArithmeticException if P does not fit an int (it must fit a Java array anyway)
   */
  public static <T extends TFloating> Params<T> fromFlat(Ops tf, ParamLayout layout,
      Operand<T> flat) {
    List<Operand<T>> out = new ArrayList<>(layout.count());
    for (int k = 0; k < layout.count(); k++) {
      ParamShape p = layout.get(k);
      // int32 offsets: TensorFlow's Slice gradient fails on int64 ones
      Operand<T> piece = tf.slice(flat,
          tf.constant(new int[] {Math.toIntExact(layout.offset(k))}),
          tf.constant(new int[] {Math.toIntExact(p.size())}));
      out.add(tf.reshape(piece, tf.constant(p.shape())));
    }
    return new Params<>(layout, out);
  }

  /** The flat vector, shape [P], tensors concatenated in layout order (row-major). */
  public Operand<T> flatten(Ops tf) {
    List<Operand<T>> pieces = new ArrayList<>(tensors.size());
    for (Operand<T> t : tensors) {
      pieces.add(tf.reshape(t, tf.constant(new long[] {-1})));
    }
    return tf.concat(pieces, tf.constant(0));
  }

  /** {@code this - scale * grads}, tensor by tensor (one plain SGD step). */
  public Params<T> minusScaled(Ops tf, Operand<T> scale, List<? extends Operand<T>> grads) {
    checkArgument(grads.size() == tensors.size(), "expected %s gradients, got %s",
        tensors.size(), grads.size());
    List<Operand<T>> out = new ArrayList<>(tensors.size());
    for (int k = 0; k < tensors.size(); k++) {
      out.add(tf.math.sub(tensors.get(k), tf.math.mul(scale, grads.get(k))));
    }
    return new Params<>(layout, out);
  }
}
