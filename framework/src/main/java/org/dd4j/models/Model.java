package org.dd4j.models;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A classifier as a pure function of (parameters, input). Implementations hold only their
 * {@link ModelSpec}; parameters are operands passed in, so a student can be unrolled from
 * any point of an expert trajectory and differentiated twice (MTT, Cazenavette et al. 2022).
 *
 * <p>Networks with batch norm also have non-trainable state, the running statistics
 * ({@link #stateShapes()}): {@link #forward} and {@link #forwardTraining} normalize with
 * batch statistics (PyTorch's {@code train()} mode) and {@link #forwardInference} with the
 * running ones ({@code eval()} mode); whoever trains the network keeps the state and updates
 * it from {@link TrainingForward#batchStatistics()}.
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
   * The training-mode forward pass with the batch statistics a trainer needs to update the
   * running statistics; first-order kernels allowed, as {@link #forwardFirstOrder}.
   *
   * @param images shape [B, H, W, C]
   */
  default <T extends TFloating> TrainingForward<T> forwardTraining(Ops tf, Params<T> params,
      Operand<T> images) {
    return new TrainingForward<>(forwardFirstOrder(tf, params, images), List.of());
  }

  /**
   * The test-time forward pass: batch norm uses the running statistics {@code state}.
   * Networks without state ignore it and compute {@link #forwardFirstOrder}.
   *
   * @param state one tensor per {@link #stateShapes()} entry, same shapes
   * @param images shape [B, H, W, C]
   * @return logits, shape [B, numClasses]
   */
  default <T extends TFloating> Operand<T> forwardInference(Ops tf, Params<T> params,
      List<Operand<T>> state, Operand<T> images) {
    return forwardFirstOrder(tf, params, images);
  }

  /**
   * Names and shapes of the non-trainable state (batch norm's {@code running_mean} and
   * {@code running_var} per layer, in forward order); empty for networks without it.
   */
  default List<ParamShape> stateShapes() {
    return List.of();
  }

  /**
   * The state of a fresh network, as PyTorch: running means 0, running variances 1.
   *
   * @return the {@link #stateShapes()} tensors flattened and concatenated
   */
  default float[] initialState() {
    return new float[0];
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
