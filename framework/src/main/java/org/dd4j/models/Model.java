package org.dd4j.models;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A classifier as a pure function of (parameters, input). Implementations hold only their
 * {@link ModelSpec}; parameters are operands passed in, so a student can be unrolled from
 * any point of an expert trajectory and differentiated twice (MTT, Cazenavette et al. 2022).
 */
public interface Model {

  /** The architecture and shapes this model was built for. */
  ModelSpec spec();

  /** Parameter names and shapes, in the fixed order of the flat vector. */
  ParamLayout layout();

  /**
   * Builds the forward pass.
   *
   * @param params parameters in {@link #layout()} order
   * @param images shape [B, H, W, C] matching {@code spec().input()}, preprocessed
   * @return logits, shape [B, numClasses]
   */
  <T extends TFloating> Operand<T> forward(Ops tf, Params<T> params, Operand<T> images);

  /**
   * The same function as {@link #forward}, possibly built from fused kernels whose gradients
   * cannot be differentiated a second time. Use it where only first-order gradients are taken
   * (expert training, evaluation); the unrolled student must use {@link #forward}.
   *
   * @param images shape [B, H, W, C]
   * @return logits, shape [B, numClasses]
   */
  default <T extends TFloating> Operand<T> forwardFirstOrder(Ops tf, Params<T> params,
      Operand<T> images) {
    return forward(tf, params, images);
  }

  /**
   * Penultimate features (the input of the final linear layer), e.g. for representative
   * initialization and herding.
   *
   * @return shape [B, F]
   */
  <T extends TFloating> Operand<T> features(Ops tf, Params<T> params, Operand<T> images);

  /**
   * A fresh initialization with PyTorch's default rules, deterministic in {@code seed}.
   *
   * @return flat parameter vector, length {@code layout().totalSize()}
   */
  float[] initialParams(long seed);
}
