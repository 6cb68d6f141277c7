package org.dd4j.models;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A network written once as a sequence of layers over a {@link LayerPass}: the feature
 * extractor {@link #body} followed by one linear classifier. The same body gives the
 * training-mode pass (twice differentiable, or with fused first-order kernels) and the
 * inference pass on batch norm's running statistics.
 */
abstract class LayeredModel implements Model {

  private final ModelSpec spec;
  private final LayerPlan plan;
  private final ParamLayout layout;

  /** @param plan every layer of the network, the final linear layer last */
  LayeredModel(ModelSpec spec, LayerPlan plan) {
    this.spec = spec;
    this.plan = plan;
    this.layout = plan.layout();
  }

  /**
   * The feature extractor.
   *
   * @param images shape [B, H, W, C]
   * @return features, shape [B, F], the input of the final linear layer
   */
  abstract <T extends TFloating> Operand<T> body(LayerPass<T> pass, Operand<T> images);

  @Override
  public final ModelSpec spec() {
    return spec;
  }

  @Override
  public final ParamLayout layout() {
    return layout;
  }

  @Override
  public final List<ParamShape> stateShapes() {
    return plan.stateShapes();
  }

  @Override
  public final float[] initialParams(long seed) {
    return plan.initialParams(seed);
  }

  @Override
  public final float[] initialState() {
    return plan.initialState();
  }

  private <T extends TFloating> Operand<T> logits(LayerPass<T> pass, Operand<T> images) {
    Operand<T> logits = pass.linear(body(pass, images)); // [B, C]
    pass.checkAllUsed();
    return logits;
  }

  @Override
  public final <T extends TFloating> Operand<T> forward(Ops tf, Params<T> p, Operand<T> images) {
    return logits(LayerPass.training(tf, p, false), images);
  }

  @Override
  public final <T extends TFloating> Operand<T> forwardFirstOrder(Ops tf, Params<T> p,
      Operand<T> images) {
    return logits(LayerPass.training(tf, p, true), images);
  }

  @Override
  public final <T extends TFloating> TrainingForward<T> forwardTraining(Ops tf, Params<T> p,
      Operand<T> images) {
    LayerPass<T> pass = LayerPass.training(tf, p, true);
    return new TrainingForward<>(logits(pass, images), pass.batchStatistics());
  }

  @Override
  public final <T extends TFloating> Operand<T> forwardInference(Ops tf, Params<T> p,
      List<Operand<T>> state, Operand<T> images) {
    return logits(LayerPass.inference(tf, p, state), images);
  }

  /** Training-mode features (batch norm on batch statistics), shape [B, F]. */
  @Override
  public final <T extends TFloating> Operand<T> features(Ops tf, Params<T> p,
      Operand<T> images) {
    return body(LayerPass.training(tf, p, false), images);
  }
}
