package org.dd4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/** The sum of objective terms, flattened (a + b + c, not (a + b) + c). */
record ObjectiveSum(List<Objective> terms) implements Objective {

  ObjectiveSum {
    terms = List.copyOf(terms);
  }

  static ObjectiveSum of(Objective a, Objective b) {
    List<Objective> all = new ArrayList<>();
    for (Objective o : List.of(a, b)) {
      if (o instanceof ObjectiveSum s) {
        all.addAll(s.terms());
      } else {
        all.add(o);
      }
    }
    return new ObjectiveSum(all);
  }

  @Override
  public <T extends TFloating> Operand<T> loss(ObjectiveInputs<T> in) {
    Operand<T> sum = null;
    for (Objective t : terms) {
      Operand<T> l = t.loss(in);
      sum = sum == null ? l : in.tf().math.add(sum, l);
    }
    return sum;
  }

  @Override
  public List<Map<String, Object>> describe(int epochs) {
    List<Map<String, Object>> out = new ArrayList<>();
    terms.forEach(t -> out.addAll(t.describe(epochs)));
    return out;
  }

  @Override
  public boolean needsSecondOrder() {
    return terms.stream().anyMatch(Objective::needsSecondOrder);
  }

  @Override
  public boolean needsTargets() {
    return terms.stream().anyMatch(Objective::needsTargets);
  }
}
