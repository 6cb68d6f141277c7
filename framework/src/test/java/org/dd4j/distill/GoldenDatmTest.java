package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.dd4j.engine.Grad;
import org.dd4j.engine.Tensors;
import org.dd4j.golden.Golden;
import org.dd4j.models.Losses;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * dd4j's DATM pieces against DATM's own code (fixture golden/datm.json, written by
 * tools/golden/datm_pieces.py from NUS-HPC-AI-Lab/DATM distill/DATM.py; README-datm.md):
 * the soft cross-entropy and its gradients w.r.t. both arguments, the soft-label
 * initialisation with its per-image correctness mask, and the growing matching window.
 * Relative tolerance 1e-4 (dd4j in float32, the fixture in float64).
 */
class GoldenDatmTest {

  static final JsonNode FIXTURE = Golden.load("datm.json");

  @Test
  void softCrossEntropyAndItsGradients() {
    for (JsonNode c : FIXTURE.get("soft_ce")) {
      int b = c.get("batch").asInt();
      int k = c.get("classes").asInt();
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> in = tf.placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(b, k)));
        Placeholder<TFloat32> target = tf.placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(b, k)));
        Operand<TFloat32> loss = Losses.softCrossEntropy(tf, in, target, 1);
        List<Operand<TFloat32>> grads = Grad.of(tf, loss, List.of(in, target));
        List<Tensor> owned = new ArrayList<>();
        try {
          Tensor x = Tensors.floats(floats(c.get("inputs")), b, k);
          owned.add(x);
          Tensor y = Tensors.floats(floats(c.get("target")), b, k);
          owned.add(y);
          try (Result r = s.runner().feed(in, (TFloat32) x).feed(target, (TFloat32) y)
              .fetch(loss).fetch(grads.get(0)).fetch(grads.get(1)).run()) {
            close("loss", c.get("loss").asDouble(), Tensors.scalarFloat(r.get(0)));
            closeAll("d loss / d logits", c.get("grad_inputs"), Tensors.toFloats(r.get(1)));
            closeAll("d loss / d label logits", c.get("grad_target"),
                Tensors.toFloats(r.get(2)));
          }
        } finally {
          owned.forEach(Tensor::close);
        }
      }
    }
  }

  @Test
  void labelInitialisationWithTheCorrectnessMask() {
    JsonNode li = FIXTURE.get("label_init");
    int classes = li.get("classes").asInt();
    int[] labels = new int[li.get("labels").size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = li.get("labels").get(i).asInt();
    }
    List<float[][]> perExpert = new ArrayList<>();
    for (JsonNode e : li.get("logits")) {
      float[] flat = floats(e);
      float[][] rows = new float[labels.length][classes];
      for (int i = 0; i < labels.length; i++) {
        System.arraycopy(flat, i * classes, rows[i], 0, classes);
      }
      perExpert.add(rows);
    }
    closeAll("initialised label logits", li.get("initialized"),
        SoftLabelInit.meanOverCorrect(perExpert, labels, classes));
  }

  @Test
  void growingWindowUpperBound() {
    for (JsonNode w : FIXTURE.get("window")) {
      DistillConfig config = DistillConfig.builder()
          .maxStartEpoch(w.get("max_start_epoch").asInt())
          .set(DistillConfig.CURRENT_MAX_START_EPOCH, w.get("current_max_start_epoch").asInt())
          .set(DistillConfig.EXPANSION_END, w.get("expansion_end").asInt()).build();
      for (JsonNode b : w.get("bounds")) {
        assertEquals(b.get(1).asInt(), config.startEpochUpperBound(b.get(0).asInt()),
            "upper bound at iteration " + b.get(0).asInt() + " of " + w);
      }
    }
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }

  private static void close(String what, double expected, double actual) {
    assertEquals(expected, actual, 1e-4 * Math.abs(expected) + 1e-6, what);
  }

  private static void closeAll(String what, JsonNode expected, float[] actual) {
    assertEquals(expected.size(), actual.length, what);
    for (int i = 0; i < actual.length; i++) {
      close(what + "[" + i + "]", expected.get(i).asDouble(), actual[i]);
    }
  }
}
