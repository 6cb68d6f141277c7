package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * Name and shape of one parameter tensor, e.g. {@code conv0.weight [3, 3, 3, 128]}
 * (convolution kernels are [kh, kw, in, out], dense weights [in, out]).
 */
public record ParamShape(String name, long[] shape) {

  public ParamShape {
    checkNotNull(name, "name");
    shape = shape.clone();
    for (long d : shape) {
      checkArgument(d > 0, "parameter %s has a non-positive dimension in %s", name,
          Arrays.toString(shape));
    }
  }

  /** Number of floats in this tensor. */
  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParamShape p && p.name.equals(name) && Arrays.equals(p.shape, shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
