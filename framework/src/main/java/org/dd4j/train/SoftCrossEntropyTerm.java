package org.dd4j.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.models.Losses;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Mean soft cross-entropy of the augmented batch against fed label logits,
 * {@code -(1/B) sum_b sum_c log softmax(logits)[b, c] softmax(targets / T)[b, c]}: how DATM
 * trains its evaluation networks on a set with learned soft labels (distill/DATM.py
 * {@code SoftCrossEntropy} passed to utils_baseline.py {@code evaluate_synset} as
 * {@code train_criterion}, T = 1). Use {@link Objective#softCrossEntropy(double)}.
 *
 * @param temperature T &gt; 0 of the targets
 */
record SoftCrossEntropyTerm(double temperature) implements Objective {

  SoftCrossEntropyTerm {
    checkArgument(temperature > 0 && Double.isFinite(temperature),
        "temperature must be finite and > 0, got %s", temperature);
  }

  @Override
  public <T extends TFloating> Operand<T> loss(ObjectiveInputs<T> in) {
    return Losses.softCrossEntropy(in.tf(), in.augmentedLogits(), in.targetLogits(),
        temperature); // []
  }

  @Override
  public boolean needsTargets() {
    return true;
  }

  @Override
  public List<Map<String, Object>> describe(int epochs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "soft_cross_entropy");
    m.put("temperature", temperature);
    return List.of(m);
  }
}
