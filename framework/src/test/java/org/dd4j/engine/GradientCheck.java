package org.dd4j.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Central finite-difference checks of analytic gradients in float64 graphs: a scalar f of
 * placeholder inputs, compared coordinate by coordinate with (f(x+h) - f(x-h)) / 2h.
 */
public final class GradientCheck implements AutoCloseable {

  /** One placeholder input and its current value. */
  public record Input(Placeholder<TFloat64> placeholder, double[] value, long[] shape) {}

  private final Graph graph;
  private final Ops tf;
  private final List<Input> inputs = new ArrayList<>();
  private final List<Runnable> extraFeeds = new ArrayList<>();
  private Session session;
  private java.util.function.Consumer<Session.Runner> feeder = r -> {};

  public GradientCheck() {
    SecondOrderGradients.register();
    graph = new Graph();
    tf = Ops.create(graph);
  }

  public Ops tf() {
    return tf;
  }

  /** Adds a float64 input with a value; returns its placeholder. */
  public Placeholder<TFloat64> input(double[] value, long... shape) {
    Placeholder<TFloat64> p = tf.placeholder(TFloat64.class,
        Placeholder.shape(org.tensorflow.ndarray.Shape.of(shape)));
    inputs.add(new Input(p, value, shape));
    return p;
  }

  /** Extra constant feeds (e.g. int placeholders) applied to every run. */
  public void feedAlso(java.util.function.Consumer<Session.Runner> f) {
    this.feeder = f;
  }

  private Session session() {
    if (session == null) {
      session = new Session(graph, SessionOptions.threads(2).toConfigProto());
    }
    return session;
  }

  private Session.Runner runner(List<Tensor> owned) {
    Session.Runner r = session().runner();
    for (Input in : inputs) {
      Tensor t = Tensors.doubles(in.value(), in.shape());
      owned.add(t);
      r.feed(in.placeholder(), t);
    }
    feeder.accept(r);
    return r;
  }

  /** Value of a scalar. */
  public double value(Operand<TFloat64> f) {
    List<Tensor> owned = new ArrayList<>();
    try (Result res = runner(owned).fetch(f).run()) {
      return ((TFloat64) res.get(0)).getDouble();
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /** Value of any float64 tensor, flattened. */
  public double[] values(Operand<TFloat64> x) {
    List<Tensor> owned = new ArrayList<>();
    try (Result res = runner(owned).fetch(x).run()) {
      return Tensors.toDoubles(res.get(0));
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /**
   * Asserts that {@code grad} (the analytic d f / d input) matches central differences at
   * {@code samples} random coordinates of the input (all coordinates if fewer).
   *
   * @return the largest relative error seen
   */
  public double check(Operand<TFloat64> f, Placeholder<TFloat64> input, Operand<TFloat64> grad,
      int samples, double h, double rtol, double atol, long seed) {
    Input in = inputs.stream().filter(i -> i.placeholder() == input).findFirst().orElseThrow();
    double[] analytic = values(grad);
    Random rng = new Random(seed);
    int n = in.value().length;
    double worst = 0;
    for (int s = 0; s < Math.min(samples, n); s++) {
      int c = samples >= n ? s : rng.nextInt(n);
      double orig = in.value()[c];
      in.value()[c] = orig + h;
      double plus = value(f);
      in.value()[c] = orig - h;
      double minus = value(f);
      in.value()[c] = orig;
      double numeric = (plus - minus) / (2 * h);
      double err = Math.abs(numeric - analytic[c]);
      double scale = Math.max(Math.abs(numeric), Math.abs(analytic[c]));
      worst = Math.max(worst, scale > 0 ? err / scale : err);
      assertTrue(err <= atol + rtol * scale, String.format(
          "coordinate %d: analytic %.10g vs finite difference %.10g (err %.3g)", c,
          analytic[c], numeric, err));
    }
    return worst;
  }

  public static double[] random(long seed, int n, double lo, double hi) {
    Random r = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = lo + (hi - lo) * r.nextDouble();
    }
    return out;
  }

  /** f = sum(r * y) for a fixed random r: a scalar whose gradient is y's VJP with r. */
  public Operand<TFloat64> randomProjection(Operand<TFloat64> y, int size, long seed,
      long... shape) {
    Operand<TFloat64> r = tf.constant(org.tensorflow.ndarray.Shape.of(shape),
        org.tensorflow.ndarray.buffer.DataBuffers.of(random(seed, size, -1, 1)));
    return tf.reduceSum(tf.math.mul(r, y), tf.range(tf.constant(0), tf.rank(y),
        tf.constant(1)));
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
