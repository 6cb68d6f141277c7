package org.dd4j.golden;

import java.util.List;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;
import org.dd4j.models.Params;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The small network of tools/golden/ast_pieces.py: images [B, H, W, C] flattened in NHWC
 * order to [B, D], {@code relu(x W1 + b1) W2 + b2} with W1 [D, hidden], W2 [hidden, K]. The
 * generator holds its parameters in the same orientation, so the flat vectors agree without
 * a permutation. Test-only: the expert-step goldens need a model both sides build alike.
 */
final class GoldenMlp implements Model {

  private final ModelSpec spec;
  private final ParamLayout layout;
  private final int features;

  GoldenMlp(int height, int width, int channels, int hidden, int classes) {
    // only input() and numClasses of the spec are read by the trainer
    this.spec = ModelSpec.convNet(1, hidden, new InputShape(height, width, channels), classes);
    this.features = height * width * channels;
    this.layout = new ParamLayout(List.of(
        new ParamShape("w1", new long[] {features, hidden}),
        new ParamShape("b1", new long[] {hidden}),
        new ParamShape("w2", new long[] {hidden, classes}),
        new ParamShape("b2", new long[] {classes})));
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public ParamLayout layout() {
    return layout;
  }

  @Override
  public <T extends TFloating> Operand<T> forward(Ops tf, Params<T> params, Operand<T> images) {
    Operand<T> h = features(tf, params, images); // [B, hidden]
    return tf.math.add(tf.linalg.matMul(h, params.get(2)), params.get(3)); // [B, K]
  }

  @Override
  public <T extends TFloating> Operand<T> features(Ops tf, Params<T> params,
      Operand<T> images) {
    Operand<T> x = tf.reshape(images, tf.constant(new long[] {-1, features})); // [B, D]
    return tf.nn.relu(tf.math.add(tf.linalg.matMul(x, params.get(0)), params.get(1)));
  }

  @Override
  public float[] initialParams(long seed) {
    throw new UnsupportedOperationException("the golden tests feed their parameters");
  }
}
