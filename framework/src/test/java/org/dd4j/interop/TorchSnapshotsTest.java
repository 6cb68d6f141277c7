package org.dd4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.golden.Golden;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.Params;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Every architecture of the pool, imported from a {@code .pt} snapshot that MTT's own network
 * ({@code networks.py}) held, gives the logits torch computed: the snapshot is read as
 * {@link BufferImport} reads one (the {@code .pt} reader, then {@link TorchParameters}) and
 * dd4j's forward pass runs on the fixture's batch. Batch-norm
 * variants are compared in training mode (batch statistics), the mode of distillation; their
 * running statistics are not in {@code parameters()} (see {@link TorchParameters}).
 *
 * <p>Tolerances, s = max(1, max |torch logit|): float32 against torch's float32 logits at
 * {@code |dd4j - torch| <= 1e-4 |torch| + max(1e-5 s, 2 g)}, g the largest gap between
 * torch's own float32 and float64 logits on this fixture (deep float32 nets near a zero
 * logit differ by rounding alone: VGG11's g is 4.5e-5 here); and float64 (dd4j's graph in
 * float64 on the same float32-rounded weights) against torch in float64 at
 * {@code 1e-9 |torch| + 1e-10 s}, which leaves no room for a mapping error.
 */
class TorchSnapshotsTest {

  private static final JsonNode FIXTURE = InteropFixtures.json("snapshots.json");

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    FIXTURE.get("cases").fields().forEachRemaining(e -> out.add(Arguments.of(e.getKey(),
        e.getValue())));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void importedSnapshotGivesTorchsLogits(String name, JsonNode c, @TempDir Path dir) {
    InputShape in = new InputShape(c.get("height").asInt(), c.get("width").asInt(),
        c.get("channels").asInt());
    Model model = ModelRegistry.create(ModelRegistry.spec(name, null, null, in,
        c.get("classes").asInt()));
    Path pt = InteropFixtures.gunzip2(c.get("snapshot").asText(), dir.resolve("src"),
        "replay_buffer_0.pt");
    float[] params;
    try (TorchFile f = TorchFile.open(pt)) {
      List<?> experts = BufferImport.list(f.root(), pt, "the file", "a list of experts");
      List<?> snapshots = BufferImport.list(experts.get(0), pt, "expert 0", "snapshots");
      List<?> tensors = BufferImport.list(snapshots.get(0), pt, "snapshot 0", "tensors");
      assertEquals(c.get("params").asInt(), tensors.size(), "parameter tensors");
      params = TorchParameters.toDd4j(model, tensors, pt, "expert 0, snapshot 0");
    }
    int batch = FIXTURE.get("batch").asInt();
    double[] expected = Golden.flat(c.get("logits"));
    float[] actual = forward(model, params,
        Golden.imagesNhwc(batch, in.height(), in.width(), in.channels()), batch, in);
    double s = 1;
    for (double v : expected) {
      s = Math.max(s, Math.abs(v));
    }
    double gap = c.get("torch_float32_vs_float64").asDouble();
    double worst = Golden.assertClose(expected, actual, 1e-4, Math.max(1e-5 * s, 2 * gap),
        name + " logits (float32)");
    double[] expected64 = Golden.flat(c.get("logits_float64"));
    double[] actual64 = forward64(model, params,
        Golden.imagesNhwc(batch, in.height(), in.width(), in.channels()), batch, in);
    double worst64 = Golden.assertClose(expected64, actual64, 1e-9, 1e-10 * s,
        name + " logits (float64)");
    System.out.printf("interop %s: worst error %.2g of the float32 tolerance, %.2g of the"
        + " float64 one%n", name, worst, worst64);
  }

  static double[] forward64(Model m, float[] params, float[] images, int batch,
      InputShape in) {
    try (Graph g = new Graph();
        Session s = new Session(g, SessionOptions.threads(2).toConfigProto())) {
      Ops tf = Ops.create(g);
      var flat = tf.placeholder(TFloat64.class);
      var x = tf.placeholder(TFloat64.class);
      Operand<TFloat64> logits = m.forward(tf, Params.fromFlat(tf, m.layout(), flat), x);
      try (TFloat64 w = Tensors.doubles(doubles(params), params.length);
          TFloat64 xs = Tensors.doubles(doubles(images), batch, in.height(), in.width(),
              in.channels());
          Result r = s.runner().feed(flat, w).feed(x, xs).fetch(logits).run()) {
        return Tensors.toDoubles(r.get(0));
      }
    }
  }

  private static double[] doubles(float[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  static float[] forward(Model m, float[] params, float[] images, int batch, InputShape in) {
    try (Graph g = new Graph();
        Session s = new Session(g, SessionOptions.threads(2).toConfigProto())) {
      Ops tf = Ops.create(g);
      var flat = tf.placeholder(TFloat32.class);
      var x = tf.placeholder(TFloat32.class);
      Operand<TFloat32> logits = m.forward(tf, Params.fromFlat(tf, m.layout(), flat), x);
      try (TFloat32 w = Tensors.floats(params, params.length);
          TFloat32 xs = Tensors.floats(images, batch, in.height(), in.width(), in.channels());
          Result r = s.runner().feed(flat, w).feed(x, xs).fetch(logits).run()) {
        return Tensors.toFloats(r.get(0));
      }
    }
  }
}
