package org.dd4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.dd4j.augment.Augmentation;
import org.dd4j.data.ImageSet;
import org.dd4j.data.ToyBands;
import org.dd4j.engine.Permutations;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * AST's loss-scale ramp lambda_e (eq. 19) is fed per epoch: one SGD step from the same w in
 * epoch e moves the parameters lambda_e times as far as a step on the plain cross-entropy.
 */
class LossScaleRampTest {

  @Test
  void feedsTheEpochsLambda() {
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    ImageSet set = ToyBands.bands(32, 4);
    float[] w0 = model.initialParams(6);
    Sgd sgd = Optimizer.sgd(0.5);
    var plain = new Training(1, 32, sgd, Objective.crossEntropy(), false);
    var ramped = plain.withObjective(Objective.crossEntropy(
        Objective.astLossRamp()));
    double[] step;
    try (NetworkTrainer t = new NetworkTrainer(model, plain, Augmentation.none(),
        SessionOptions.threads(2))) {
      step = stepFrom(t, w0, set, 0);
    }
    try (NetworkTrainer t = new NetworkTrainer(model, ramped, Augmentation.none(),
        SessionOptions.threads(2))) {
      double[] lambdas = {0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0};
      int[] epochs = {0, 1, 2, 3, 4, 5, 9};
      for (int j = 0; j < epochs.length; j++) {
        double lambda = lambdas[j];
        assertEquals(Map.of(CrossEntropyTerm.SCALE_NAME, lambda),
            roundValues(t.scheduledValues(epochs[j])));
        double[] got = stepFrom(t, w0, set, epochs[j]);
        double max = 0;
        for (double s : step) {
          max = Math.max(max, Math.abs(lambda * s));
        }
        for (int i = 0; i < step.length; i++) {
          assertEquals(lambda * step[i], got[i], 1e-5 * Math.abs(lambda * step[i])
              + 1e-5 * max, "epoch " + epochs[j] + " parameter " + i);
        }
      }
    }
    List<?> objective = (List<?>) ramped.withEpochs(6).describe().get("objective");
    assertEquals(List.of(0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
        roundList((List<?>) ((Map<?, ?>) objective.get(0)).get("scale_per_epoch")));
    assertEquals(List.of(0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0),
        roundList(java.util.stream.IntStream.range(0, 11)
            .mapToObj(e -> Objective.astCodeLossRamp().at(e)).toList()));
  }

  private static double[] stepFrom(NetworkTrainer t, float[] w0, ImageSet set, int epoch) {
    t.reset(w0);
    t.trainEpoch(set, Permutations.identity(set.count()), epoch, null);
    float[] w1 = t.params();
    double[] d = new double[w0.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = (double) w1[i] - w0[i];
    }
    return d;
  }

  private static Map<String, Double> roundValues(Map<String, Double> m) {
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, Math.round(v * 1e9) / 1e9));
    return out;
  }

  private static List<Double> roundList(List<?> l) {
    return l.stream().map(v -> Math.round(((Number) v).doubleValue() * 1e9) / 1e9).toList();
  }
}
