package org.dd4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Strategy parsing and the Java draws: group choice, ranges, determinism. No graph. */
class DsaSamplerTest {

  private static final DsaSampler SAMPLER = new DsaSampler(DsaConfig.defaults());

  @Test
  void defaultStrategyHasSixGroupsWithColorFirst() {
    DsaConfig c = DsaConfig.defaults();
    assertEquals(DsaConfig.DEFAULT_STRATEGY, c.strategy());
    assertEquals(6, c.groups().size());
    assertEquals(List.of(DsaOp.BRIGHTNESS, DsaOp.SATURATION, DsaOp.CONTRAST),
        c.groups().get(0).ops());
    assertEquals(List.of(DsaOp.ROTATE), c.groups().get(5).ops());
  }

  @Test
  void unknownGroupIsRejectedWithTheKnownNames() {
    var e = assertThrows(IllegalArgumentException.class, () -> DsaConfig.parse("color_blur"));
    assertTrue(e.getMessage().contains("blur") && e.getMessage().contains("cutout"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DsaConfig.parse("color__crop"));
  }

  @Test
  void sameSeedSameDrawsDifferentSeedDifferentDraws() {
    SplittableRandom a = new SplittableRandom(42);
    SplittableRandom b = new SplittableRandom(42);
    SplittableRandom other = new SplittableRandom(43);
    boolean anyDiffers = false;
    for (int call = 0; call < 20; call++) {
      DsaParams pa = SAMPLER.draw(a, 8, 32, 32);
      assertEquals(pa, SAMPLER.draw(b, 8, 32, 32));
      anyDiffers |= !pa.equals(SAMPLER.draw(other, 8, 32, 32));
    }
    assertTrue(anyDiffers);
  }

  @Test
  void groupFollowsTheFirstDrawAndOthersStayIdentity() {
    DsaParams identity = DsaParams.identity(4, 32, 32);
    for (long seed = 0; seed < 60; seed++) {
      int expected = new SplittableRandom(seed).nextInt(6);
      DsaParams p = SAMPLER.draw(new SplittableRandom(seed), 4, 32, 32);
      String name = DsaConfig.defaults().groups().get(expected).name();
      assertEquals(name, p.group());
      boolean colorChanged = !java.util.Arrays.equals(identity.color(), p.color());
      boolean cutoutChanged = !java.util.Arrays.equals(identity.cutout(), p.cutout());
      boolean affineChanged = !java.util.Arrays.equals(identity.affine(), p.affine());
      assertEquals(name.equals("color"), colorChanged, name);
      assertEquals(name.equals("cutout"), cutoutChanged, name);
      if (!List.of("crop", "flip", "scale", "rotate").contains(name)) {
        assertTrue(!affineChanged, name);
      }
    }
  }

  @Test
  void groupsAreChosenUniformly() {
    SplittableRandom rng = new SplittableRandom(7);
    int[] counts = new int[6];
    List<String> names = DsaGroup.knownNames();
    int calls = 3000;
    for (int i = 0; i < calls; i++) {
      String g = SAMPLER.draw(rng, 1, 8, 8).group();
      counts[DsaConfig.defaults().groups().stream().map(DsaGroup::name).toList().indexOf(g)]++;
    }
    for (int c : counts) {
      assertEquals(calls / 6.0, c, 5 * Math.sqrt(calls / 6.0), names.toString());
    }
  }

  @Test
  void parametersStayInTheirRanges() {
    int b = 64;
    int side = 32;
    DsaConfig one = DsaConfig.defaults();
    for (String g : List.of("crop", "cutout", "flip", "scale", "rotate", "color")) {
      DsaSampler s = new DsaSampler(one.withStrategy(g));
      DsaParams p = s.draw(new SplittableRandom(g.hashCode()), b, side, side);
      for (int n = 0; n < b; n++) {
        double[] m = java.util.Arrays.copyOfRange(p.affine(), 6 * n, 6 * n + 6);
        double[] k = java.util.Arrays.copyOfRange(p.cutout(), 4 * n, 4 * n + 4);
        switch (g) {
          case "crop" -> {
            assertTrue(Math.abs(m[2]) <= 4 && Math.abs(m[5]) <= 4, "shift within +-4");
            assertEquals(m[2], Math.rint(m[2]));
          }
          case "cutout" -> {
            assertTrue(k[1] - k[0] >= 8 && k[1] - k[0] <= 16, "rows " + k[0] + ".." + k[1]);
            assertTrue(k[3] - k[2] >= 8 && k[3] - k[2] <= 16, "cols " + k[2] + ".." + k[3]);
          }
          case "flip" -> assertTrue(m[0] == 1 || m[0] == -1);
          case "scale" -> {
            assertTrue(m[0] >= 1 / 1.2 && m[0] <= 1.2 && m[4] >= 1 / 1.2 && m[4] <= 1.2);
            assertArrayEquals(new double[] {0, 0}, new double[] {m[1], m[3]}, 0.0);
          }
          case "rotate" -> {
            double deg = Math.toDegrees(Math.atan2(m[3], m[0]));
            assertTrue(Math.abs(deg) <= 15, "angle " + deg);
          }
          default -> {
            double[] col = java.util.Arrays.copyOfRange(p.color(), 4 * n, 4 * n + 4);
            assertTrue(Math.abs(col[3]) <= 0.5, "brightness shift");
          }
        }
      }
    }
  }

  @Test
  void flipsAboutHalfTheSamples() {
    DsaSampler s = new DsaSampler(DsaConfig.parse("flip"));
    DsaParams p = s.draw(new SplittableRandom(3), 2000, 8, 8);
    int flipped = 0;
    for (int n = 0; n < 2000; n++) {
      flipped += p.affine()[6 * n] < 0 ? 1 : 0;
    }
    assertEquals(1000, flipped, 5 * Math.sqrt(500));
  }

  @Test
  void repeatFirstSharesSampleZero() {
    DsaParams p = new DsaSampler(DsaConfig.parse("rotate")).draw(new SplittableRandom(1), 3,
        8, 8);
    DsaParams q = p.repeatFirst(5);
    assertEquals(5, q.batch());
    for (int n = 0; n < 5; n++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(p.affine(), 0, 6),
          java.util.Arrays.copyOfRange(q.affine(), 6 * n, 6 * n + 6), 0.0);
    }
    assertNotEquals(p.affine()[0], p.affine()[6]);
  }
}
