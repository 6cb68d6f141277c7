package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;
import org.dd4j.models.ParamShape;
import org.junit.jupiter.api.Test;

/** AST eq. 23: filter-wise perturbation norms, what stays untouched, determinism. */
class StartPerturbationTest {

  /**
   * By hand: a 1x1 conv with one input channel and two filters has one value per filter, so
   * d / ||d|| is +-1 and each filter becomes w_j +- rho |w_j|; the bias is untouched.
   */
  @Test
  void oneValueFiltersMoveByRhoTimesTheirMagnitude() {
    ParamLayout layout = new ParamLayout(List.of(
        new ParamShape("conv.weight", new long[] {1, 1, 1, 2}),
        new ParamShape("conv.bias", new long[] {2})));
    float[] w0 = {2f, -0.5f, 7f, 8f};
    float[] out = new FilterWisePerturbation(0.1).perturb(w0, layout, new SplittableRandom(1));
    assertEquals(0.2f, Math.abs(out[0] - w0[0]), 1e-6f);
    assertEquals(0.05f, Math.abs(out[1] - w0[1]), 1e-6f);
    assertEquals(7f, out[2]);
    assertEquals(8f, out[3]);
    assertArrayEquals(new float[] {2f, -0.5f, 7f, 8f}, w0, "input modified");
  }

  /** On ConvNet-2: every conv filter [:, :, :, j] moves by rho ||w_j||; nothing else moves. */
  @Test
  void everyConvFilterMovesByRhoTimesItsNormAndOtherParamsStay() {
    Model model = new ConvNet(ModelSpec.convNet(2, 4, new InputShape(8, 8, 3), 3));
    ParamLayout layout = model.layout();
    float[] w0 = model.initialParams(5);
    double rho = 0.1;
    float[] out = new FilterWisePerturbation(rho).perturb(w0, layout, new SplittableRandom(9));
    int convs = 0;
    for (int k = 0; k < layout.count(); k++) {
      ParamShape p = layout.get(k);
      int off = Math.toIntExact(layout.offset(k));
      int size = Math.toIntExact(p.size());
      if (p.shape().length != 4) {
        assertArrayEquals(Arrays.copyOfRange(w0, off, off + size),
            Arrays.copyOfRange(out, off, off + size), 0f, p.name() + " was perturbed");
        continue;
      }
      convs++;
      int filters = Math.toIntExact(p.shape()[3]);
      for (int j = 0; j < filters; j++) {
        double dn = 0;
        double wn = 0;
        for (int e = j; e < size; e += filters) { // HWIO: filter j is every filters-th value
          double d = out[off + e] - w0[off + e];
          dn += d * d;
          wn += (double) w0[off + e] * w0[off + e];
        }
        double want = rho * Math.sqrt(wn);
        assertTrue(want > 0);
        assertEquals(want, Math.sqrt(dn), 1e-4 * want, p.name() + " filter " + j);
      }
    }
    assertEquals(2, convs);
  }

  @Test
  void isDeterministicUnderASeed() {
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    float[] w0 = model.initialParams(1);
    for (StartPerturbation p : List.of(FilterWisePerturbation.paper(),
        LayerWisePerturbation.authorsCode())) {
      float[] a = p.perturb(w0, model.layout(), new SplittableRandom(3));
      float[] b = p.perturb(w0, model.layout(), new SplittableRandom(3));
      float[] c = p.perturb(w0, model.layout(), new SplittableRandom(4));
      assertArrayEquals(a, b, 0f, p.describe());
      assertFalse(Arrays.equals(a, c), p.describe() + " ignores the seed");
      assertFalse(Arrays.equals(a, w0), p.describe() + " did nothing");
    }
    SplittableRandom rng = new SplittableRandom(3);
    assertArrayEquals(w0, StartPerturbation.none().perturb(w0, model.layout(), rng), 0f);
    assertEquals(new SplittableRandom(3).nextLong(), rng.nextLong(), "none drew numbers");
  }

  /**
   * The code's variant: W + c * (d / ||d||_F) * W, so over a conv layer the relative moves
   * (W' - W) / W form c times a unit vector; other tensors are untouched.
   */
  @Test
  void layerWiseMovesEachConvWeightByAUnitVectorTimesItself() {
    Model model = new ConvNet(ModelSpec.convNet(1, 4, new InputShape(8, 8, 1), 4));
    ParamLayout layout = model.layout();
    float[] w0 = model.initialParams(2);
    float[] out = new LayerWisePerturbation(0.5).perturb(w0, layout, new SplittableRandom(6));
    int off = Math.toIntExact(layout.offset(0));
    int size = Math.toIntExact(layout.get(0).size());
    assertEquals(4, layout.get(0).shape().length);
    double rn = 0;
    for (int e = off; e < off + size; e++) {
      double rel = (out[e] - (double) w0[e]) / w0[e];
      rn += rel * rel;
    }
    assertEquals(0.5, Math.sqrt(rn), 1e-3);
    assertArrayEquals(Arrays.copyOfRange(w0, off + size, w0.length),
        Arrays.copyOfRange(out, off + size, out.length), 0f);
  }

  @Test
  void registryAndValidation() {
    assertEquals(FilterWisePerturbation.paper(), StartPerturbations.create("filter-wise"));
    assertEquals(StartPerturbation.none(), StartPerturbations.create("none"));
    assertEquals("filter-wise(rho=0.1)", FilterWisePerturbation.paper().describe());
    assertThrows(IllegalArgumentException.class, () -> new FilterWisePerturbation(-1));
    assertThrows(IllegalArgumentException.class, () -> FilterWisePerturbation.paper()
        .perturb(new float[3], MatchingLossTest.LAYOUT, new SplittableRandom(1)));
  }
}
