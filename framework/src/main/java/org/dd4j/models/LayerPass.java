package org.dd4j.models;

import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * One forward pass through a layered network: hands out the parameters (and batch-norm
 * running statistics) in the order the network's {@link LayerPlan} declared them, and
 * collects the batch statistics of a training pass.
 *
 * @param <T> float type of the graph
 */
final class LayerPass<T extends TFloating> {

  private enum Mode {
    /** Batch norm on batch statistics; elementary ops, differentiable twice. */
    TRAINING,
    /** Batch norm on batch statistics; fused kernels where faster (first order only). */
    TRAINING_FIRST_ORDER,
    /** Batch norm on the running statistics fed in; fused kernels. */
    INFERENCE
  }

  private final Ops tf;
  private final Params<T> params;
  private final Mode mode;
  private final List<Operand<T>> runningState;
  private final List<Operand<T>> batchStatistics = new ArrayList<>();
  private int nextParam;
  private int nextState;

  private LayerPass(Ops tf, Params<T> params, Mode mode, List<Operand<T>> runningState) {
    this.tf = tf;
    this.params = params;
    this.mode = mode;
    this.runningState = List.copyOf(runningState);
  }

  /** A training-mode pass; {@code firstOrder} allows fused kernels with no second gradient. */
  static <T extends TFloating> LayerPass<T> training(Ops tf, Params<T> params,
      boolean firstOrder) {
    return new LayerPass<>(tf, params, firstOrder ? Mode.TRAINING_FIRST_ORDER : Mode.TRAINING,
        List.of());
  }

  /** An inference-mode pass reading batch norm's running statistics from {@code state}. */
  static <T extends TFloating> LayerPass<T> inference(Ops tf, Params<T> params,
      List<Operand<T>> state) {
    return new LayerPass<>(tf, params, Mode.INFERENCE, state);
  }

  Ops tf() {
    return tf;
  }

  private Operand<T> nextParam() {
    return params.get(nextParam++);
  }

  /**
   * The next convolution of the plan (PyTorch {@code Conv2d}).
   *
   * @param x shape [B, H, W, Cin]
   * @return shape [B, (H + 2 pad - k) / stride + 1, ..., Cout]
   */
  Operand<T> conv(Operand<T> x, int stride, int pad, boolean bias) {
    int k = (int) params.layout().get(nextParam).shape()[0];
    Operand<T> y = Layers.conv2d(tf, x, nextParam(), k, stride, pad);
    return bias ? tf.nn.biasAdd(y, nextParam()) : y;
  }

  /** The next norm layer of the plan; [B, H, W, C] in and out. */
  Operand<T> norm(Operand<T> x, Norm norm) {
    if (norm == Norm.NONE) {
      return x;
    }
    Operand<T> gamma = nextParam();
    Operand<T> beta = nextParam();
    boolean fused = mode != Mode.TRAINING && x.type() == TFloat32.class;
    if (norm == Norm.INSTANCE) {
      return fused ? Layers.fusedInstanceNorm(tf, x, gamma, beta)
          : Layers.instanceNorm(tf, x, gamma, beta);
    }
    if (mode == Mode.INFERENCE) {
      checkState(nextState + 2 <= runningState.size(),
          "the network needs more running statistics than the %s given",
          runningState.size());
      Operand<T> mean = runningState.get(nextState++);
      Operand<T> var = runningState.get(nextState++);
      return Layers.batchNormInference(tf, x, gamma, beta, mean, var);
    }
    Layers.BatchNormOutput<T> out = Layers.batchNormTraining(tf, x, gamma, beta);
    batchStatistics.add(out.mean());
    batchStatistics.add(out.unbiasedVar());
    return out.y();
  }

  /**
   * The next linear layer of the plan.
   *
   * @param features shape [B, F]
   * @return shape [B, out]
   */
  Operand<T> linear(Operand<T> features) {
    return tf.math.add(tf.linalg.matMul(features, nextParam()), nextParam());
  }

  /** Batch means and unbiased variances of a training pass, in state order. */
  List<Operand<T>> batchStatistics() {
    return List.copyOf(batchStatistics);
  }

  /** @throws IllegalStateException if the network did not use every parameter */
  void checkAllUsed() {
    checkState(nextParam == params.layout().count(),
        "the forward pass used %s of %s parameters", nextParam, params.layout().count());
    checkState(mode != Mode.INFERENCE || nextState == runningState.size(),
        "the forward pass used %s of %s running statistics", nextState, runningState.size());
  }
}
