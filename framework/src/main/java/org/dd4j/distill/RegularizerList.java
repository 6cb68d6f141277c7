package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The regularizers of a run, the value of the {@code regularizers} setting: the terms of
 * {@code L = matching loss + sum_k lambda_k(it) R_k}, in order. Described as
 * {@code none} or {@code a + b + ...} ({@link Regularizers#parse} reads it back). An
 * immutable {@link List} of the terms (so the DSL's {@code regularizers = listOf(...)} and
 * the builder's getter see a list), printed as its description.
 */
public final class RegularizerList extends AbstractList<WeightedRegularizer> {

  /** No regularizer: L is the matching loss alone. */
  public static final RegularizerList NONE = new RegularizerList(List.of());

  private final List<WeightedRegularizer> terms;

  /** @param terms the weighted terms, possibly none */
  public RegularizerList(List<WeightedRegularizer> terms) {
    this.terms = List.copyOf(checkNotNull(terms, "terms"));
  }

  /** The weighted terms, in order. */
  public List<WeightedRegularizer> terms() {
    return terms;
  }

  @Override
  public WeightedRegularizer get(int index) {
    return terms.get(index);
  }

  @Override
  public int size() {
    return terms.size();
  }

  /** lambda_k at outer iteration {@code iteration}, [K]. */
  public double[] weightsAt(long iteration) {
    double[] w = new double[terms.size()];
    for (int k = 0; k < w.length; k++) {
      w[k] = terms.get(k).weightAt(iteration);
    }
    return w;
  }

  /**
   * One label per term for metrics.jsonl and report.md: its name, with "#2", "#3" for a
   * repeated name.
   */
  public List<String> labels() {
    Map<String, Integer> seen = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (WeightedRegularizer t : terms) {
      int k = seen.merge(t.name(), 1, Integer::sum);
      out.add(k == 1 ? t.name() : t.name() + "#" + k);
    }
    return out;
  }

  /** {@code none}, or the terms' descriptions joined by " + ". */
  public String describe() {
    return terms.isEmpty() ? Regularizers.NONE : terms.stream()
        .map(WeightedRegularizer::describe).collect(Collectors.joining(" + "));
  }

  @Override
  public String toString() {
    return describe();
  }
}
