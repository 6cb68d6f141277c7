package org.dd4j.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.dd4j.golden.Golden;
import org.dd4j.models.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each DSA op against the authors' own functions (MTT's {@code utils.py}: {@code rand_*} with
 * {@code ParamDiffAug}, and one {@code DiffAugment} call choosing the colour group), fed the
 * same explicit random draws. Fixture: {@code golden/mtt_dsa.json}, written by
 * {@code tools/golden/mtt_dsa.py}, which replaces torch.rand / torch.randint by the listed
 * draws while each function runs. Here each draw becomes the op's parameter by the rule of
 * {@link DsaSampler} (e.g. brightness shift (U - 0.5) * brightness) with
 * {@link DsaConfig#defaults()}, the graph ({@link Dsa}, float64) augments the same formula
 * images, and the output must match PyTorch's float32 output within
 * {@code 1e-4 |torch| + 1e-5 max(1, max |torch|)}. Images: 2 x 3 channels, 10 x 10 (crop
 * shift 1, odd cutout side 5) and non-square 8 x 12 (crop shifts 1 and 2, cutout 4 x 6).
 */
class GoldenDsaTest {

  private static final double RTOL = 1e-4;
  private static final double ATOL = 1e-5; // times max(1, max |output|)

  private static final JsonNode FIXTURE = Golden.load("mtt_dsa.json");
  private static final DsaConfig CONFIG = DsaConfig.defaults();

  static Stream<Arguments> cases() {
    JsonNode cases = FIXTURE.get("cases");
    return IntStream.range(0, cases.size()).mapToObj(i -> {
      JsonNode c = cases.get(i);
      return Arguments.of(c.get("reference").asText() + " (" + c.get("op").asText() + ") "
          + c.get("height").asInt() + "x" + c.get("width").asInt(), c);
    });
  }

  @Test
  void defaultRatiosAreParamDiffAugs() {
    JsonNode p = FIXTURE.get("param_diff_aug");
    assertEquals(p.get("brightness").asDouble(), CONFIG.brightness());
    assertEquals(p.get("saturation").asDouble(), CONFIG.saturation());
    assertEquals(p.get("contrast").asDouble(), CONFIG.contrast());
    assertEquals(p.get("ratio_crop_pad").asDouble(), CONFIG.cropRatio());
    assertEquals(p.get("ratio_cutout").asDouble(), CONFIG.cutoutRatio());
    assertEquals(p.get("prob_flip").asDouble(), CONFIG.flipProbability());
    assertEquals(p.get("ratio_scale").asDouble(), CONFIG.scaleRatio());
    assertEquals(p.get("ratio_rotate").asDouble(), CONFIG.rotateDegrees());
    assertEquals(FIXTURE.get("strategy").asText(), CONFIG.strategy());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void opMatchesTheAuthorsFunction(String label, JsonNode c) {
    int batch = FIXTURE.get("batch").asInt();
    int channels = FIXTURE.get("channels").asInt();
    int h = c.get("height").asInt();
    int w = c.get("width").asInt();
    Deque<double[]> draws = new ArrayDeque<>();
    for (JsonNode d : c.get("draws")) {
      draws.add(Golden.flat(d.get("values")));
    }
    List<DsaOp> ops;
    String group;
    if (c.get("reference").asText().equals("DiffAugment")) {
      // single mode: one draw picks the group of the strategy for the whole batch
      DsaGroup g = CONFIG.groups().get((int) draws.remove()[0]);
      group = g.name();
      ops = g.ops();
    } else {
      group = c.get("op").asText();
      ops = List.of(DsaOp.valueOf(group.toUpperCase(Locale.ROOT)));
    }
    DsaParams.Builder b = DsaParams.builder(group, batch, h, w);
    for (DsaOp op : ops) {
      apply(b, op, draws, batch, h, w);
    }
    assertTrue(draws.isEmpty(), "draws left over: " + draws.size());

    float[] x32 = Golden.imagesNhwc(batch, h, w, channels);
    double[] x = new double[x32.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = x32[i];
    }
    double[] expected = Golden.nchwToNhwc(Golden.flat(c.get("output_nchw")), batch, channels,
        h, w);
    double scale = 1;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    try (DsaRunner runner = new DsaRunner(new InputShape(h, w, channels))) {
      double worst = Golden.assertClose(expected, runner.run(x, b.build()), RTOL,
          ATOL * scale, label);
      System.out.printf("golden DSA %s: worst error %.2g of the tolerance%n", label, worst);
    }
  }

  /** One op's draws, turned into its parameters as {@link DsaSampler} does. */
  private static void apply(DsaParams.Builder b, DsaOp op, Deque<double[]> draws, int batch,
      int h, int w) {
    switch (op) {
      case BRIGHTNESS -> {
        double[] u = draws.remove();
        for (int i = 0; i < batch; i++) {
          b.brightness(i, (u[i] - 0.5) * CONFIG.brightness());
        }
      }
      case SATURATION -> {
        double[] u = draws.remove();
        for (int i = 0; i < batch; i++) {
          b.saturation(i, u[i] * CONFIG.saturation());
        }
      }
      case CONTRAST -> {
        double[] u = draws.remove();
        for (int i = 0; i < batch; i++) {
          b.contrast(i, u[i] + CONFIG.contrast());
        }
      }
      case CROP -> { // rows (PyTorch's translation_x, dim 2), then columns
        double[] dy = draws.remove();
        double[] dx = draws.remove();
        int shiftY = DsaConfig.roundHalfUp(h, CONFIG.cropRatio());
        int shiftX = DsaConfig.roundHalfUp(w, CONFIG.cropRatio());
        for (int i = 0; i < batch; i++) {
          assertTrue(Math.abs(dy[i]) <= shiftY && Math.abs(dx[i]) <= shiftX);
          b.crop(i, (int) dy[i], (int) dx[i]);
        }
      }
      case CUTOUT -> { // centre row (offset_x), then centre column (offset_y)
        double[] cy = draws.remove();
        double[] cx = draws.remove();
        int sy = DsaConfig.roundHalfUp(h, CONFIG.cutoutRatio());
        int sx = DsaConfig.roundHalfUp(w, CONFIG.cutoutRatio());
        for (int i = 0; i < batch; i++) {
          // the sampler's ranges
          assertTrue(cy[i] >= 0 && cy[i] < h + 1 - sy % 2 && cx[i] >= 0
              && cx[i] < w + 1 - sx % 2);
          int row0 = (int) cy[i] - sy / 2;
          int col0 = (int) cx[i] - sx / 2;
          b.cutout(i, row0, row0 + sy, col0, col0 + sx);
        }
      }
      case FLIP -> {
        double[] u = draws.remove();
        for (int i = 0; i < batch; i++) {
          if (u[i] < CONFIG.flipProbability()) {
            b.flip(i);
          }
        }
      }
      case SCALE -> {
        double[] ux = draws.remove();
        double[] uy = draws.remove();
        double r = CONFIG.scaleRatio();
        for (int i = 0; i < batch; i++) {
          b.scale(i, ux[i] * (r - 1 / r) + 1 / r, uy[i] * (r - 1 / r) + 1 / r,
              CONFIG.alignCorners());
        }
      }
      case ROTATE -> {
        double[] u = draws.remove();
        for (int i = 0; i < batch; i++) {
          b.rotate(i, (u[i] - 0.5) * 2 * CONFIG.rotateDegrees(), CONFIG.alignCorners());
        }
      }
    }
  }
}
