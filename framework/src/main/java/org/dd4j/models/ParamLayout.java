package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fixed, named order of a model's parameters, and their place in the flat float32
 * vector {@code w} that trajectories store and the student is unrolled on: tensor k occupies
 * {@code w[offset(k), offset(k) + size(k))}, row-major.
 */
public record ParamLayout(List<ParamShape> params) {

  public ParamLayout {
    params = List.copyOf(params);
    checkArgument(!params.isEmpty(), "a model needs at least one parameter");
    Set<String> names = new HashSet<>();
    for (ParamShape p : params) {
      checkArgument(names.add(p.name()), "duplicate parameter name %s", p.name());
    }
  }

  public int count() {
    return params.size();
  }

  public ParamShape get(int k) {
    return params.get(k);
  }

  /** Start of tensor k in the flat vector. */
  public long offset(int k) {
    long off = 0;
    for (int i = 0; i < k; i++) {
      off += params.get(i).size();
    }
    return off;
  }

  /** Length of the flat vector: the model's parameter count. */
  public long totalSize() {
    return offset(params.size());
  }
}
