package org.dd4j.models;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The parameters of a layered network in forward order, each with PyTorch's default
 * initialization (see {@link TorchInit}), and its batch-norm running statistics. A network
 * declares its layers here once, in the order its {@link LayerPass} consumes them.
 */
final class LayerPlan {

  private final List<ParamShape> params = new ArrayList<>();
  private final List<Double> initBound = new ArrayList<>(); // U(-b, b), or NaN: a constant
  private final List<Float> initFill = new ArrayList<>();
  private final List<ParamShape> state = new ArrayList<>();
  private final List<Float> stateFill = new ArrayList<>();

  /**
   * A {@code k x k} convolution, kernel {@code name.weight [k, k, in, out]} and, with
   * {@code bias}, {@code name.bias [out]}; both U(+-1/sqrt(k*k*in)).
   */
  LayerPlan conv(String name, int k, int in, int out, boolean bias) {
    long fanIn = (long) k * k * in;
    add(name + ".weight", new long[] {k, k, in, out}, fanIn);
    if (bias) {
      add(name + ".bias", new long[] {out}, fanIn);
    }
    return this;
  }

  /**
   * A norm layer over {@code channels}: {@code name.weight} (1) and {@code name.bias} (0) of
   * shape [channels] unless {@link Norm#NONE}; batch norm also keeps the state
   * {@code name.running_mean} (0) and {@code name.running_var} (1).
   */
  LayerPlan norm(String name, Norm norm, int channels) {
    if (norm == Norm.NONE) {
      return this;
    }
    addConstant(name + ".weight", channels, 1f);
    addConstant(name + ".bias", channels, 0f);
    if (norm == Norm.BATCH) {
      state.add(new ParamShape(name + ".running_mean", new long[] {channels}));
      stateFill.add(0f);
      state.add(new ParamShape(name + ".running_var", new long[] {channels}));
      stateFill.add(1f);
    }
    return this;
  }

  /** A linear layer, {@code name.weight [in, out]} and {@code name.bias [out]}. */
  LayerPlan linear(String name, long in, int out) {
    add(name + ".weight", new long[] {in, out}, in);
    add(name + ".bias", new long[] {out}, in);
    return this;
  }

  private void add(String name, long[] shape, long fanIn) {
    checkArgument(fanIn > 0, "fan-in of %s must be > 0", name);
    params.add(new ParamShape(name, shape));
    initBound.add(1.0 / Math.sqrt(fanIn));
    initFill.add(0f);
  }

  private void addConstant(String name, int channels, float value) {
    params.add(new ParamShape(name, new long[] {channels}));
    initBound.add(Double.NaN);
    initFill.add(value);
  }

  ParamLayout layout() {
    return new ParamLayout(params);
  }

  List<ParamShape> stateShapes() {
    return List.copyOf(state);
  }

  /** Draws the tensors in layout order from one stream seeded with {@code seed}. */
  float[] initialParams(long seed) {
    ParamLayout layout = layout();
    float[] w = new float[Math.toIntExact(layout.totalSize())];
    SplittableRandom rng = new SplittableRandom(seed);
    long offset = 0;
    for (int k = 0; k < params.size(); k++) {
      long n = params.get(k).size();
      double bound = initBound.get(k);
      if (Double.isNaN(bound)) {
        TorchInit.fill(w, offset, n, initFill.get(k));
      } else {
        TorchInit.uniform(w, offset, n, bound, rng);
      }
      offset += n;
    }
    return w;
  }

  /** Running means 0 and variances 1, concatenated in {@link #stateShapes()} order. */
  float[] initialState() {
    long total = 0;
    for (ParamShape s : state) {
      total += s.size();
    }
    float[] out = new float[Math.toIntExact(total)];
    long offset = 0;
    for (int k = 0; k < state.size(); k++) {
      TorchInit.fill(out, offset, state.get(k).size(), stateFill.get(k));
      offset += state.get(k).size();
    }
    return out;
  }
}
