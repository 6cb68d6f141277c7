package org.dd4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.dd4j.golden.Golden;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ZcaWhitening} against kornia's own {@code ZCAWhitening(eps=0.1, compute_inv=True)}
 * (kornia v0.6.4, {@code kornia/enhance/zca.py}), which MTT fits on CIFAR images in [0, 1].
 * Fixture: {@code golden/kornia_zca.json}, written by {@code tools/golden/kornia_zca.py}: 50
 * images of 4 x 4 x 3 drawn from U(0, 1), kornia's mean, whitening matrix, covariance
 * singular values and whitened images. kornia flattens C, H, W, dd4j H, W, C; the test
 * permutes kornia's vectors and matrix into dd4j's order.
 *
 * <p>Tolerance for every comparison: {@code |dd4j - kornia| <= 1e-4 |kornia| + 1e-5 s},
 * s = max(1, max |kornia|) of the compared array (for the eigenvalues s = their maximum,
 * 0.27: the smallest, 3e-6, are known only to the float32 rounding of the covariance).
 */
class GoldenZcaTest {

  private static final double RTOL = 1e-4;
  private static final double ATOL = 1e-5;

  private static JsonNode fixture;
  private static int n;
  private static int c;
  private static int h;
  private static int w;
  private static float[] images; // [N, H, W, C]
  private static ZcaWhitening zca;

  @BeforeAll
  static void fit() {
    fixture = Golden.load("kornia_zca.json");
    JsonNode shape = fixture.get("shape_nchw");
    n = shape.get(0).asInt();
    c = shape.get(1).asInt();
    h = shape.get(2).asInt();
    w = shape.get(3).asInt();
    double[] x = Golden.nchwToNhwc(Golden.flat(fixture.get("input_nchw")), n, c, h, w);
    images = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      images[i] = (float) x[i];
    }
    zca = ZcaWhitening.fit(new ImageSet(images, new int[n], h, w, c),
        fixture.get("eps").asDouble());
  }

  /** Index in kornia's C, H, W flattening of dd4j's H, W, C index p. */
  private static int chw(int p) {
    int ch = p % c;
    int pixel = p / c;
    return ch * h * w + pixel;
  }

  private static double scale(double[] v) {
    double s = 1;
    for (double x : v) {
      s = Math.max(s, Math.abs(x));
    }
    return s;
  }

  @Test
  void meanMatchesKornia() {
    double[] k = Golden.flat(fixture.get("mean_chw"));
    double[] expected = new double[k.length];
    for (int p = 0; p < k.length; p++) {
      expected[p] = k[chw(p)];
    }
    Golden.assertClose(expected, zca.mean(), RTOL, ATOL * scale(expected), "mean");
  }

  @Test
  void eigenvaluesMatchKorniasSingularValues() {
    double[] expected = Golden.flat(fixture.get("eigenvalues")); // descending
    double max = expected[0];
    Golden.assertClose(expected, zca.eigenvalues(), RTOL, ATOL * max, "eigenvalues");
  }

  @Test
  void transformMatchesKornia() {
    double[] k = Golden.flat(fixture.get("transform_chw"));
    int d = c * h * w;
    assertEquals(d * d, k.length);
    double[] expected = new double[k.length];
    for (int p = 0; p < d; p++) {
      for (int q = 0; q < d; q++) {
        expected[p * d + q] = k[chw(p) * d + chw(q)];
      }
    }
    double worst = Golden.assertClose(expected, zca.transform(), RTOL, ATOL * scale(expected),
        "whitening matrix T");
    System.out.printf("golden ZCA T: worst error %.2g of the tolerance%n", worst);
  }

  @Test
  void whitenedImagesMatchKornia() {
    double[] expected = Golden.nchwToNhwc(Golden.flat(fixture.get("whitened_nchw")), n, c, h,
        w);
    double worst = Golden.assertClose(expected, zca.apply(images), RTOL,
        ATOL * scale(expected), "whitened images");
    System.out.printf("golden ZCA whitened: worst error %.2g of the tolerance%n", worst);
  }

  @Test
  void inverseOfKorniasWhitenedImagesGivesTheInputBack() {
    double[] y = Golden.nchwToNhwc(Golden.flat(fixture.get("whitened_nchw")), n, c, h, w);
    float[] yf = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      yf[i] = (float) y[i];
    }
    double[] x = new double[images.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = images[i];
    }
    // kornia's own inverse_transform is within inverse_roundtrip_max_error (4.5e-6) of x
    Golden.assertClose(x, zca.invert(yf), RTOL, ATOL * scale(x), "inverse");
  }
}
