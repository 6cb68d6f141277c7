package org.dd4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.models.Losses;
import org.dd4j.schedule.Schedule;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Mean softmax cross-entropy of the augmented batch, optionally scaled by a per-epoch
 * lambda_e fed from {@code scale} (AST, eq. 19). Use {@link Objective#crossEntropy()}.
 *
 * @param scale lambda_e per epoch (0-based), or null for 1
 */
record CrossEntropyTerm(Schedule scale) implements Objective {

  /** Name of the fed lambda_e scalar. */
  static final String SCALE_NAME = "ce_scale";

  @Override
  public <T extends TFloating> Operand<T> loss(ObjectiveInputs<T> in) {
    Operand<T> ce = Losses.crossEntropy(in.tf(), in.augmentedLogits(), in.labels(),
        in.model().spec().numClasses()); // []
    if (scale == null) {
      return ce;
    }
    return in.tf().math.mul(in.scalars().get(SCALE_NAME, scale), ce);
  }

  @Override
  public List<Map<String, Object>> describe(int epochs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "cross_entropy");
    if (scale != null) {
      List<Double> perEpoch = new ArrayList<>();
      for (int e = 0; e < epochs; e++) {
        perEpoch.add(scale.at(e));
      }
      m.put("scale_per_epoch", perEpoch);
    }
    return List.of(m);
  }
}
