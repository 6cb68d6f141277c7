package org.dd4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.golden.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Logits of every architecture against the authors' PyTorch networks (MTT's
 * {@code networks.py} through {@code utils.get_network}), same weights, same two images.
 * Fixture: {@code golden/mtt_networks.json}, written by {@code tools/golden/mtt_networks.py}
 * (weights and images come from formulas both sides compute; only the logits are stored).
 *
 * <p>Tolerances, with s = max(1, max |torch logit|) of the compared batch: float32 graphs
 * ({@link Model#forward}, {@link Model#forwardFirstOrder} with its fused instance norm,
 * {@link Model#forwardInference}) against PyTorch's float32 logits with
 * {@code |dd4j - torch| <= 1e-4 |torch| + 1e-5 s} (the absolute term for logits near 0,
 * whose rounding error follows the size of the sums, not their own); float64 graphs
 * ({@code forward}, {@code forwardInference}) against PyTorch in float64 with
 * {@code 1e-9 |torch| + 1e-10 s}. PyTorch's own float32 logits are within 0.3 of the float32
 * tolerance of its float64 ones.
 * "train" is PyTorch's {@code train()} (batch norm on the batch statistics of the two images),
 * compared with dd4j's training-mode passes; "eval" is {@code eval()} with the fixture's
 * running statistics, compared with {@code forwardInference}. Networks without batch norm are
 * also checked in {@code forwardInference} against their train logits.
 *
 * <p>Parameter mapping (checked here, name by name except ConvNet's own names): the same
 * order as PyTorch's {@code named_parameters()}; conv weights PyTorch [out, in, kh, kw] are
 * dd4j [kh, kw, in, out]; the final linear weight [classes, F] is dd4j [F, classes] with the
 * features flattened H, W, C instead of C, H, W.
 */
class GoldenNetworksTest {

  private static final double RTOL_32 = 1e-4;
  private static final double ATOL_32 = 1e-5; // times s = max(1, max |logit|)
  private static final double RTOL_64 = 1e-9;
  private static final double ATOL_64 = 1e-10; // times s

  private static final JsonNode FIXTURE = Golden.load("mtt_networks.json");

  static Stream<Arguments> cases() {
    JsonNode cases = FIXTURE.get("cases");
    return IntStream.range(0, cases.size()).mapToObj(i -> {
      JsonNode c = cases.get(i);
      return Arguments.of(c.get("dd4j").asText() + " " + c.get("channels").asInt() + "x"
          + c.get("height").asInt() + "x" + c.get("width").asInt() + " = "
          + c.get("reference").asText(), c);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void logitsMatchTheAuthorsNetworks(String label, JsonNode c) {
    InputShape in = new InputShape(c.get("height").asInt(), c.get("width").asInt(),
        c.get("channels").asInt());
    int classes = c.get("classes").asInt();
    Model m = ModelRegistry.create(ModelRegistry.spec(c.get("dd4j").asText(), null, null, in,
        classes));
    float[] params = toDd4jLayout(m, c.get("params"), !c.get("dd4j").asText().equals("convnet"));
    float[] state = toDd4jState(m, c.get("state"));
    int batch = FIXTURE.get("batch").asInt();
    float[] images = Golden.imagesNhwc(batch, in.height(), in.width(), in.channels());

    double[] train32 = Golden.flat(c.get("train_float32"));
    double[] train64 = Golden.flat(c.get("train_float64"));
    boolean bn = !m.stateShapes().isEmpty();
    double[] eval32 = bn ? Golden.flat(c.get("eval_float32")) : train32;
    double[] eval64 = bn ? Golden.flat(c.get("eval_float64")) : train64;

    float[][] out32 = run32(m, params, state, images, batch, in);
    double worst32 = Math.max(Math.max(
        Golden.assertClose(train32, out32[0], RTOL_32, ATOL_32 * scale(train32),
            label + " forward (float32)"),
        Golden.assertClose(train32, out32[1], RTOL_32, ATOL_32 * scale(train32),
            label + " forwardFirstOrder (float32)")),
        Golden.assertClose(eval32, out32[2], RTOL_32, ATOL_32 * scale(eval32),
            label + " forwardInference (float32)"));

    double[][] out64 = run64(m, params, state, images, batch, in);
    double worst64 = Math.max(
        Golden.assertClose(train64, out64[0], RTOL_64, ATOL_64 * scale(train64),
            label + " forward (float64)"),
        Golden.assertClose(eval64, out64[1], RTOL_64, ATOL_64 * scale(eval64),
            label + " forwardInference (float64)"));
    System.out.printf("golden %s: worst error %.2g of the float32 tolerance, %.2g of the"
        + " float64 one%n", label, worst32, worst64);
  }

  /** max(1, max |v|). */
  private static double scale(double[] v) {
    double s = 1;
    for (double x : v) {
      s = Math.max(s, Math.abs(x));
    }
    return s;
  }

  /** forward, forwardFirstOrder, forwardInference in float32. */
  private static float[][] run32(Model m, float[] params, float[] state, float[] images,
      int batch, InputShape in) {
    try (Graph g = new Graph();
        Session s = new Session(g, SessionOptions.threads(2).toConfigProto())) {
      Ops tf = Ops.create(g);
      var flat = tf.placeholder(TFloat32.class);
      var x = tf.placeholder(TFloat32.class);
      Params<TFloat32> p = Params.fromFlat(tf, m.layout(), flat);
      List<Operand<TFloat32>> st = stateOperands(tf, m, tf.constant(state));
      Operand<TFloat32> plain = m.forward(tf, p, x);
      Operand<TFloat32> firstOrder = m.forwardFirstOrder(tf, p, x);
      Operand<TFloat32> inference = m.forwardInference(tf, p, st, x);
      try (TFloat32 w = Tensors.floats(params, params.length);
          TFloat32 xs = Tensors.floats(images, batch, in.height(), in.width(), in.channels());
          Result r = s.runner().feed(flat, w).feed(x, xs).fetch(plain).fetch(firstOrder)
              .fetch(inference).run()) {
        return new float[][] {Tensors.toFloats(r.get(0)), Tensors.toFloats(r.get(1)),
            Tensors.toFloats(r.get(2))};
      }
    }
  }

  /** forward and forwardInference in float64 (the same float32-rounded weights and images). */
  private static double[][] run64(Model m, float[] params, float[] state, float[] images,
      int batch, InputShape in) {
    try (Graph g = new Graph();
        Session s = new Session(g, SessionOptions.threads(2).toConfigProto())) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> flat = tf.placeholder(TFloat64.class);
      Placeholder<TFloat64> x = tf.placeholder(TFloat64.class);
      Params<TFloat64> p = Params.fromFlat(tf, m.layout(), flat);
      List<Operand<TFloat64>> st = stateOperands(tf, m, tf.constant(toDoubles(state)));
      Operand<TFloat64> plain = m.forward(tf, p, x);
      Operand<TFloat64> inference = m.forwardInference(tf, p, st, x);
      try (TFloat64 w = Tensors.doubles(toDoubles(params), params.length);
          TFloat64 xs = Tensors.doubles(toDoubles(images), batch, in.height(), in.width(),
              in.channels());
          Result r = s.runner().feed(flat, w).feed(x, xs).fetch(plain).fetch(inference).run()) {
        return new double[][] {Tensors.toDoubles(r.get(0)), Tensors.toDoubles(r.get(1))};
      }
    }
  }

  private static <T extends TFloating> List<Operand<T>> stateOperands(Ops tf, Model m,
      Operand<T> flat) {
    List<Operand<T>> out = new ArrayList<>();
    int offset = 0;
    for (ParamShape sh : m.stateShapes()) {
      int n = (int) sh.size();
      out.add(tf.reshape(tf.slice(flat, tf.constant(new int[] {offset}),
          tf.constant(new int[] {n})), tf.constant(sh.shape())));
      offset += n;
    }
    return out;
  }

  private static double[] toDoubles(float[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  /**
   * The fixture's PyTorch tensors (recomputed from their formula) in dd4j's flat layout,
   * checking that the two layouts agree tensor by tensor.
   */
  static float[] toDd4jLayout(Model m, JsonNode torchParams, boolean sameNames) {
    ParamLayout layout = m.layout();
    assertEquals(torchParams.size(), layout.count(), "number of parameter tensors");
    float[] flat = new float[Math.toIntExact(layout.totalSize())];
    long lastConvOut = -1;
    for (int k = 0; k < layout.count(); k++) {
      JsonNode t = torchParams.get(k);
      long[] ts = shape(t);
      ParamShape d = layout.get(k);
      if (sameNames) {
        assertEquals(t.get("name").asText(), d.name(), "name of tensor " + k);
      }
      float[] v = Golden.formulaTensor(t);
      float[] mapped;
      if (ts.length == 4) { // [out, in, kh, kw] -> [kh, kw, in, out]
        assertArrayEquals(new long[] {ts[2], ts[3], ts[1], ts[0]}, d.shape(), d.name());
        mapped = convToHwio(v, (int) ts[0], (int) ts[1], (int) ts[2], (int) ts[3]);
        lastConvOut = ts[0];
      } else if (ts.length == 2) { // [classes, F] -> [F, classes], F: C,H,W -> H,W,C
        assertArrayEquals(new long[] {ts[1], ts[0]}, d.shape(), d.name());
        mapped = linearToDd4j(v, (int) ts[0], (int) ts[1], (int) lastConvOut);
      } else {
        assertArrayEquals(ts, d.shape(), d.name());
        mapped = v;
      }
      System.arraycopy(mapped, 0, flat, (int) layout.offset(k), mapped.length);
    }
    return flat;
  }

  private static float[] toDd4jState(Model m, JsonNode torchState) {
    List<ParamShape> shapes = m.stateShapes();
    assertEquals(torchState.size(), shapes.size(), "number of running statistics");
    List<Float> out = new ArrayList<>();
    for (int k = 0; k < shapes.size(); k++) {
      JsonNode t = torchState.get(k);
      assertEquals(t.get("name").asText(), shapes.get(k).name(), "running statistic " + k);
      assertArrayEquals(shape(t), shapes.get(k).shape());
      for (float f : Golden.formulaTensor(t)) {
        out.add(f);
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  private static long[] shape(JsonNode t) {
    JsonNode s = t.get("shape");
    long[] out = new long[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.get(i).asLong();
    }
    return out;
  }

  private static float[] convToHwio(float[] v, int out, int in, int kh, int kw) {
    float[] r = new float[v.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            r[((y * kw + x) * in + i) * out + o] = v[((o * in + i) * kh + y) * kw + x];
          }
        }
      }
    }
    return r;
  }

  /** PyTorch's {@code Linear(F, classes).weight} as dd4j's [F, classes], F in H, W, C order. */
  private static float[] linearToDd4j(float[] v, int classes, int features, int channels) {
    int hw = features / channels;
    assertEquals(features, hw * channels, "features " + features + " not a multiple of "
        + channels + " channels");
    float[] r = new float[v.length];
    for (int k = 0; k < classes; k++) {
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < hw; p++) {
          r[(p * channels + c) * classes + k] = v[k * features + c * hw + p];
        }
      }
    }
    return r;
  }
}
