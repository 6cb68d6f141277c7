package org.dd4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the golden fixtures of {@code src/test/resources/golden/} (written by the generators
 * in {@code tools/golden/}, which run the authors' PyTorch code) and recomputes the
 * formula-generated inputs and weights those generators did not store.
 */
public final class Golden {

  private Golden() {}

  /** The parsed fixture {@code golden/NAME}. */
  public static JsonNode load(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      assertNotNull(in, "missing fixture golden/" + name);
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The weight formula of {@code tools/golden/golden_common.py}, element j of a tensor in
   * PyTorch's row-major order: {@code h_j = (7 j^2 + 3 j) mod 65537},
   * {@code w_j = base + amp * sin(phase + 0.0959 h_j)} in float64, rounded to float32.
   */
  public static float[] formulaTensor(int n, double base, double amp, double phase) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      long j = i;
      long h = (7 * j * j + 3 * j) % 65537;
      out[i] = (float) (base + amp * Math.sin(phase + 0.0959 * h));
    }
    return out;
  }

  /** {@link #formulaTensor} with the (base, amp, phase) and element count of a fixture entry. */
  public static float[] formulaTensor(JsonNode entry) {
    int n = 1;
    for (JsonNode d : entry.get("shape")) {
      n *= d.asInt();
    }
    return formulaTensor(n, entry.get("base").asDouble(), entry.get("amp").asDouble(),
        entry.get("phase").asDouble());
  }

  /** The input-image formula of {@code golden_common.image_formula}, float64. */
  public static double imagePixel(int b, int c, int h, int w) {
    return 0.6 * Math.sin(0.9 * h + 0.4 * (c + 1) * w + 1.7 * b + 0.3 * c)
        + 0.3 * Math.cos(0.31 * h * w + 1.1 * c - 0.5 * b);
  }

  /** Formula images in dd4j's layout, [B, H, W, C], rounded to float32. */
  public static float[] imagesNhwc(int batch, int height, int width, int channels) {
    float[] out = new float[batch * height * width * channels];
    int i = 0;
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < height; h++) {
        for (int w = 0; w < width; w++) {
          for (int c = 0; c < channels; c++) {
            out[i++] = (float) imagePixel(b, c, h, w);
          }
        }
      }
    }
    return out;
  }

  /** A JSON array of arrays (of any depth) flattened row-major. */
  public static double[] flat(JsonNode node) {
    java.util.List<Double> values = new java.util.ArrayList<>();
    collect(node, values);
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static void collect(JsonNode node, java.util.List<Double> out) {
    if (node.isArray()) {
      for (JsonNode child : node) {
        collect(child, out);
      }
    } else {
      out.add(node.asDouble());
    }
  }

  /** An [N, C, H, W] array (PyTorch's layout) as [N, H, W, C], row-major. */
  public static double[] nchwToNhwc(double[] x, int n, int c, int h, int w) {
    double[] out = new double[x.length];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int z = 0; z < w; z++) {
            out[((b * h + y) * w + z) * c + ch] = x[((b * c + ch) * h + y) * w + z];
          }
        }
      }
    }
    return out;
  }

  /**
   * Asserts {@code |actual - expected| <= atol + rtol |expected|} element-wise, reporting
   * the worst element.
   *
   * @return the largest |actual - expected| / (atol + rtol |expected|), at most 1
   */
  public static double assertClose(double[] expected, double[] actual, double rtol, double atol,
      String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double ratio = Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.abs(expected[i]));
      if (!(ratio <= worst)) {
        worst = ratio;
        at = i;
      }
    }
    if (!(worst <= 1)) {
      fail(String.format("%s: element %d is %s, PyTorch %s (rtol %s, atol %s; %.3g x the"
          + " tolerance)", what, at, actual[at], expected[at], rtol, atol, worst));
    }
    return worst;
  }

  /** {@link #assertClose(double[], double[], double, double, String)} for float results. */
  public static double assertClose(double[] expected, float[] actual, double rtol, double atol,
      String what) {
    double[] a = new double[actual.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = actual[i];
    }
    return assertClose(expected, a, rtol, atol, what);
  }
}
