package org.dd4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.dd4j.augment.DsaParams.AlignCorners;
import org.dd4j.engine.GradientCheck;
import org.dd4j.models.InputShape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each op of the graph against {@link DsaReference} on a tiny non-square batch
 * (2 x 5 x 6 x 3, float64): exact up to rounding.
 */
class DsaOpsTest {

  private static final int B = 2;
  private static final int H = 5;
  private static final int W = 6;
  private static final int C = 3;
  private static final double TOL = 1e-12;
  private static final DsaReference REF = new DsaReference(B, H, W, C);
  private static final double[] X = GradientCheck.random(1, B * H * W * C, -1, 1);
  private static DsaRunner runner;

  @BeforeAll
  static void build() {
    runner = new DsaRunner(new InputShape(H, W, C));
  }

  @AfterAll
  static void close() {
    runner.close();
  }

  private static DsaParams.Builder builder() {
    return DsaParams.builder("test", B, H, W);
  }

  @Test
  void identityCopiesExactly() {
    assertArrayEquals(X, runner.run(X, DsaParams.identity(B, H, W)), 0.0);
  }

  @Test
  void brightness() {
    double[] shift = {0.3, -0.45};
    var p = builder().brightness(0, shift[0]).brightness(1, shift[1]).build();
    assertArrayEquals(REF.brightness(X, shift), runner.run(X, p), TOL);
  }

  @Test
  void saturation() {
    double[] f = {1.7, 0.2};
    var p = builder().saturation(0, f[0]).saturation(1, f[1]).build();
    assertArrayEquals(REF.saturation(X, f), runner.run(X, p), TOL);
  }

  @Test
  void contrast() {
    double[] f = {0.6, 1.4};
    var p = builder().contrast(0, f[0]).contrast(1, f[1]).build();
    assertArrayEquals(REF.contrast(X, f), runner.run(X, p), TOL);
  }

  @Test
  void colorGroupIsBrightnessThenSaturationThenContrast() {
    double[] shift = {0.2, -0.1};
    double[] sat = {1.5, 0.4};
    double[] con = {0.7, 1.3};
    var b = builder();
    for (int n = 0; n < B; n++) {
      b.brightness(n, shift[n]).saturation(n, sat[n]).contrast(n, con[n]);
    }
    double[] expected = REF.contrast(REF.saturation(REF.brightness(X, shift), sat), con);
    assertArrayEquals(expected, runner.run(X, b.build()), TOL);
  }

  @Test
  void cropShiftsInZeros() {
    for (int[][] shifts : new int[][][] {{{1, -2}, {2, 1}}, {{-1, 0}, {0, -3}},
        {{7, -7}, {0, 0}}}) {
      int[] dy = shifts[0];
      int[] dx = shifts[1];
      var p = builder().crop(0, dy[0], dx[0]).crop(1, dy[1], dx[1]).build();
      assertArrayEquals(REF.crop(X, dy, dx), runner.run(X, p), 0.0);
    }
  }

  @Test
  void cutoutZeroesClippedSquare() {
    int sy = 3;
    int sx = 3;
    for (int[][] centres : new int[][][] {{{0, 4}, {0, 5}}, {{2, 5}, {6, 3}}}) {
      var b = builder();
      for (int n = 0; n < B; n++) {
        int row0 = centres[0][n] - sy / 2;
        int col0 = centres[1][n] - sx / 2;
        b.cutout(n, row0, row0 + sy, col0, col0 + sx);
      }
      assertArrayEquals(REF.cutout(X, centres[0], centres[1], sy, sx), runner.run(X, b.build()),
          0.0);
    }
  }

  @Test
  void flip() {
    var p = builder().flip(1).build();
    assertArrayEquals(REF.flip(X, new boolean[] {false, true}), runner.run(X, p), 0.0);
  }

  @Test
  void scaleMatchesAffineGridAndGridSample() {
    double[] sx = {1.15, 0.85};
    double[] sy = {0.9, 1.2};
    for (AlignCorners align : AlignCorners.values()) {
      var p = builder().scale(0, sx[0], sy[0], align).scale(1, sx[1], sy[1], align).build();
      assertArrayEquals(REF.gridSample(X, DsaReference.scaleTheta(sx, sy),
          align == AlignCorners.TRUE), runner.run(X, p), TOL);
    }
  }

  @Test
  void rotateMatchesAffineGridAndGridSample() {
    double[] deg = {12.5, -7};
    for (AlignCorners align : AlignCorners.values()) {
      var p = builder().rotate(0, deg[0], align).rotate(1, deg[1], align).build();
      assertArrayEquals(REF.gridSample(X, DsaReference.rotateTheta(deg),
          align == AlignCorners.TRUE), runner.run(X, p), TOL);
    }
  }

  @Test
  void alignCornersDoesNotMatterForSquareImages() {
    int side = 7;
    double[] rot = DsaParams.pixelAffine(DsaReference.rotateTheta(new double[] {11})[0], side,
        side, AlignCorners.FALSE);
    double[] rotTrue = DsaParams.pixelAffine(DsaReference.rotateTheta(new double[] {11})[0],
        side, side, AlignCorners.TRUE);
    assertArrayEquals(rot, rotTrue, 1e-12);
    double[] sc = DsaParams.pixelAffine(new double[] {1.1, 0, 0, 0, 0.9, 0}, side, side,
        AlignCorners.FALSE);
    double[] scTrue = DsaParams.pixelAffine(new double[] {1.1, 0, 0, 0, 0.9, 0}, side, side,
        AlignCorners.TRUE);
    assertArrayEquals(sc, scTrue, 1e-12);
  }
}
