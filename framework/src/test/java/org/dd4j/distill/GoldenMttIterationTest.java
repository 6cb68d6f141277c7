package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelSpec;
import org.dd4j.models.ParamLayout;
import org.junit.jupiter.api.Test;

/**
 * One MTT distillation iteration against the authors' PyTorch code: the matching loss,
 * dL/dsyn_lr and dL/dimages of {@link MatchingGraph} on ConvNet-3 (width 16, 32x32x3, 10
 * classes, ipc 2, N 3 or 5, M 2, no DSA) equal those of GeorgeCazenavette/mtt-distillation's
 * distill.py inner loop, run with their ReparamModule and ConvNet by
 * {@code tools/golden/mtt_iteration.py} (README-mtt-iteration.md there) in float64, stored in
 * {@code golden/mtt-iteration.json}.
 *
 * <p>Inputs on both sides: images and the expert's start and target parameters from the
 * formulas below (the generator's {@code image_value} and {@code param_values}, computed in
 * double and rounded to float32), the permutations given explicitly. PyTorch's flat
 * parameters (named_parameters order, conv [out, in, kh, kw], linear [C, F] with features
 * in C, H, W order, images NCHW) are mapped to dd4j's {@link ParamLayout} (conv
 * [kh, kw, in, out], linear [F, C] with features in H, W, C order, images NHWC).
 *
 * <p>Cases: batch_syn = all (20 of 20); batch_syn = 6 of 20, where the reference cuts each
 * permutation into chunks 6, 6, 6, 2 and pops the 2 first, then takes a new permutation
 * (N = 5: steps of 2, 6, 6, 6, 2 images), each step's loss the mean CE of its own chunk.
 *
 * <p>Tolerance: relative 1e-4 (dd4j in float32 against the reference in float64) on the
 * loss, dL/dsyn_lr, the L2 norm of every image's gradient and the relative L2 error of the
 * sampled gradient entries; each sampled entry within {@code 1e-4 |b| + 1e-5 max|b|}: the
 * entries span five decades and float32 rounding in the unroll leaves an absolute error of
 * about 1.6e-6 of the largest entry on the smallest ones (the reference's own float32 run
 * differs from its float64 run by 2e-6 of the largest, printed by the generator).
 */
class GoldenMttIterationTest {

  private static final double RTOL = 1e-4;
  /** Absolute slack of a sampled gradient entry, as a fraction of the largest entry. */
  private static final double ATOL_OF_MAX = 1e-5;

  @Test
  void batchSynAllMatchesTheReference() throws IOException {
    check(golden(), "batch-all");
  }

  @Test
  void remainderChunksMatchTheReference() throws IOException {
    check(golden(), "batch-remainder");
  }

  private static JsonNode golden() throws IOException {
    try (InputStream in = GoldenMttIterationTest.class.getResourceAsStream(
        "/golden/mtt-iteration.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static void check(JsonNode root, String name) {
    JsonNode c = null;
    for (JsonNode k : root.get("cases")) {
      if (k.get("name").asText().equals(name)) {
        c = k;
      }
    }
    assertTrue(c != null, "no case " + name);
    int classes = root.get("classes").asInt();
    int ipc = root.get("ipc").asInt();
    int[] nchw = ints(root.get("image_shape_nchw"));
    int n = nchw[0];
    int ch = nchw[1];
    int side = nchw[2];
    int steps = c.get("syn_steps").asInt();
    int batchSyn = c.get("batch_syn").asInt();
    Model model = new ConvNet(ModelSpec.convNet(root.get("depth").asInt(),
        root.get("width").asInt(), new InputShape(side, side, ch), classes));
    ParamLayout layout = model.layout();
    int p = Math.toIntExact(layout.totalSize());

    // images: the formula over NCHW indices, stored NHWC
    float[] imagesNchw = new float[n * ch * side * side];
    double sumImages = 0;
    for (int i = 0; i < imagesNchw.length; i++) {
      imagesNchw[i] = (float) imageValue(i);
      sumImages += imagesNchw[i];
    }
    assertClose(c.get("checks").get("sum_images").asDouble(), sumImages, 1e-9, "sum of images");
    float[] images = nchwToNhwc(imagesNchw, n, ch, side, side);

    // the expert segment traj[t], traj[t + 1], traj[t + 2] in PyTorch's flat order, mapped
    JsonNode torchParams = c.get("torch_params");
    assertEquals(layout.count(), torchParams.size(), "parameter tensors");
    int expertEpochs = root.get("expert_epochs").asInt();
    float[][] torchRows = new float[expertEpochs + 1][p];
    int at = 0;
    for (int k = 0; k < torchParams.size(); k++) {
      String pname = torchParams.get(k).get("name").asText();
      int[] shape = ints(torchParams.get(k).get("shape"));
      int numel = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      assertEquals(layout.get(k).size(), numel, "size of " + pname + " / " + layout.get(k));
      double[][] sd = paramValues(k, pname, shape);
      for (int j = 0; j < numel; j++) {
        float start = (float) sd[0][j];
        float delta = (float) sd[1][j];
        for (int r = 0; r <= expertEpochs; r++) {
          torchRows[r][at + j] = start + (r == expertEpochs ? delta : delta * r / expertEpochs);
        }
      }
      at += numel;
    }
    assertEquals(p, at, "parameter count");
    assertClose(c.get("checks").get("sum_abs_start").asDouble(), sumAbs(torchRows[0]), 1e-9,
        "sum |start|");
    assertClose(c.get("checks").get("sum_abs_target").asDouble(),
        sumAbs(torchRows[expertEpochs]), 1e-9, "sum |target|");
    float[] segment = new float[(expertEpochs + 1) * p]; // [M + 1, P]
    for (int r = 0; r <= expertEpochs; r++) {
      System.arraycopy(torchToDd4j(torchRows[r], torchParams, layout, root.get("width").asInt()),
          0, segment, r * p, p);
    }

    DistillConfig config = DistillConfig.builder().ipc(ipc).synSteps(steps)
        .expertEpochs(expertEpochs).maxStartEpoch(1).lrTeacher(root.get("syn_lr").asDouble())
        .batchSyn(batchSyn).dsaStrategy(DistillConfig.NO_DSA).build();
    try (MatchingGraph graph = new MatchingGraph(model, config, SessionOptions.threads(2))) {
      Deque<int[]> perms = new ArrayDeque<>();
      c.get("permutations").forEach(q -> perms.add(ints(q)));
      int[] idx = graph.batches().indices(perms::pop);
      assertTrue(perms.isEmpty(), "every given permutation used");
      // the chunks the reference's indices_chunks.pop() gave, step by step
      List<int[]> chunks = new ArrayList<>();
      int from = 0;
      for (int i = 0; i < steps; i++) {
        int size = graph.batches().size(i);
        chunks.add(Arrays.copyOfRange(idx, from, from + size));
        from += size;
      }
      for (int i = 0; i < steps; i++) {
        assertArrayEquals(ints(c.get("step_indices").get(i)), chunks.get(i), "step " + i);
      }

      MatchingGraph.Gradients g = graph.run(images, root.get("syn_lr").asDouble(), segment, 1,
          new MatchingGraph.Draws(idx, List.of()));
      float[] gradNchw = nhwcToNchw(g.imageGrad(), n, ch, side, side);
      double worstElement = 0;
      double worstAbs = 0;
      double diffSq = 0;
      double refSq = 0;
      double maxRef = 0;
      JsonNode samples = c.get("image_grad_samples");
      for (JsonNode s : samples) {
        maxRef = Math.max(maxRef, Math.abs(s.asDouble()));
      }
      int stride = root.get("sample_stride").asInt();
      for (int s = 0; s < samples.size(); s++) {
        double ref = samples.get(s).asDouble();
        double got = gradNchw[s * stride];
        double tol = RTOL * Math.abs(ref) + ATOL_OF_MAX * maxRef;
        worstElement = Math.max(worstElement, Math.abs(got - ref) / tol);
        worstAbs = Math.max(worstAbs, Math.abs(got - ref) / maxRef);
        diffSq += (got - ref) * (got - ref);
        refSq += ref * ref;
        assertTrue(Math.abs(got - ref) <= tol, String.format("%s: dL/dx[%d] = %.7e, reference"
            + " %.7e", name, s * stride, got, ref));
      }
      double relL2 = Math.sqrt(diffSq / refSq);
      assertTrue(relL2 <= RTOL, name + ": relative L2 error of the sampled dL/dx " + relL2);
      double worstNorm = 0;
      int per = ch * side * side;
      for (int im = 0; im < n; im++) {
        double sq = 0;
        for (int j = 0; j < per; j++) {
          sq += (double) gradNchw[im * per + j] * gradNchw[im * per + j];
        }
        double ref = c.get("image_grad_l2_per_image").get(im).asDouble();
        worstNorm = Math.max(worstNorm, Math.abs(Math.sqrt(sq) - ref) / ref);
        assertClose(ref, Math.sqrt(sq), RTOL, name + ": |dL/dx| of image " + im);
      }
      assertClose(c.get("loss").asDouble(), g.loss(), RTOL, name + ": loss");
      assertClose(c.get("lr_grad").asDouble(), g.lrGrad(), RTOL, name + ": dL/dsyn_lr");
      System.out.printf("golden MTT iteration %s: loss %.8f (ref %.8f), dL/dsyn_lr %.7e (ref"
              + " %.7e), sampled dL/dx: relative L2 error %.2e, worst |diff| %.2e of the largest entry, worst"
              + " |diff| / tolerance %.2f; per-image norms: worst rel err %.2e%n", name,
          g.loss(), c.get("loss").asDouble(), g.lrGrad(), c.get("lr_grad").asDouble(), relL2,
          worstAbs, worstElement, worstNorm);
    }
  }

  /** The generator's image_value: pixel i in NCHW flat order. */
  static double imageValue(int i) {
    return 1.2 * Math.sin(0.731 * i + 0.25) + 0.3 * Math.cos(0.0173 * i);
  }

  /** The generator's param_values: {start, delta} of PyTorch tensor k, row-major. */
  static double[][] paramValues(int k, String name, int[] shape) {
    int numel = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] start = new double[numel];
    double[] delta = new double[numel];
    double scale;
    for (int j = 0; j < numel; j++) {
      if (shape.length >= 2) {
        scale = 1.0 / Math.sqrt((double) numel / shape[0]);
        start[j] = scale * Math.sin(1.37 * j + 0.61 * k + 0.2);
      } else if (name.endsWith("weight")) {
        scale = 0.1;
        start[j] = 1.0 + 0.1 * Math.sin(0.53 * j + 0.61 * k);
      } else {
        scale = 0.1;
        start[j] = 0.1 * Math.cos(0.91 * j + 0.61 * k);
      }
      delta[j] = 0.05 * scale * Math.cos(0.917 * j + 0.3 * k + 0.1);
    }
    return new double[][] {start, delta};
  }

  /**
   * PyTorch ConvNet's flat parameters to dd4j's layout: conv [out, in, kh, kw] to
   * [kh, kw, in, out]; the classifier [C, F] (F in C, H, W order) to [F, C] (F in H, W, C
   * order); 1-D tensors as they are.
   */
  static float[] torchToDd4j(float[] torch, JsonNode torchParams, ParamLayout layout,
      int width) {
    float[] out = new float[torch.length];
    int off = 0;
    for (int k = 0; k < torchParams.size(); k++) {
      int[] s = ints(torchParams.get(k).get("shape"));
      int dst = Math.toIntExact(layout.offset(k));
      if (s.length == 4) {
        int o = s[0];
        int in = s[1];
        int kh = s[2];
        int kw = s[3];
        for (int a = 0; a < o; a++) {
          for (int b = 0; b < in; b++) {
            for (int y = 0; y < kh; y++) {
              for (int x = 0; x < kw; x++) {
                out[dst + ((y * kw + x) * in + b) * o + a] =
                    torch[off + ((a * in + b) * kh + y) * kw + x];
              }
            }
          }
        }
      } else if (s.length == 2) {
        int classes = s[0];
        int f = s[1];
        int hw = f / width; // h * w of the last feature map
        for (int c = 0; c < classes; c++) {
          for (int w = 0; w < width; w++) {
            for (int pos = 0; pos < hw; pos++) {
              out[dst + (pos * width + w) * classes + c] = torch[off + c * f + w * hw + pos];
            }
          }
        }
      } else {
        System.arraycopy(torch, off, out, dst, s[0]);
      }
      off += Arrays.stream(s).reduce(1, (a, b) -> a * b);
    }
    return out;
  }

  static float[] nchwToNhwc(float[] x, int n, int c, int h, int w) {
    float[] out = new float[x.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        for (int y = 0; y < h; y++) {
          for (int z = 0; z < w; z++) {
            out[((i * h + y) * w + z) * c + k] = x[((i * c + k) * h + y) * w + z];
          }
        }
      }
    }
    return out;
  }

  static float[] nhwcToNchw(float[] x, int n, int c, int h, int w) {
    float[] out = new float[x.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        for (int y = 0; y < h; y++) {
          for (int z = 0; z < w; z++) {
            out[((i * c + k) * h + y) * w + z] = x[((i * h + y) * w + z) * c + k];
          }
        }
      }
    }
    return out;
  }

  private static double sumAbs(float[] v) {
    double s = 0;
    for (float f : v) {
      s += Math.abs(f);
    }
    return s;
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static void assertClose(double expected, double actual, double rtol, String what) {
    assertTrue(Math.abs(actual - expected) <= rtol * Math.abs(expected),
        String.format("%s: %.9g, reference %.9g (rtol %s)", what, actual, expected, rtol));
  }
}
