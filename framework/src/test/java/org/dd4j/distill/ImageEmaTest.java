package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** FTD's image EMA: init, update by hand, purity. */
class ImageEmaTest {

  @Test
  void updatesByHand() {
    ImageEma ema = new ImageEma(0.75);
    float[] start = {0f, 4f};
    ImageEma.State s0 = ema.init(start);
    assertArrayEquals(start, s0.images(), 0f);
    float[] next = {4f, 0f};
    ImageEma.State s1 = ema.update(next, s0); // 0.75 * (0, 4) + 0.25 * (4, 0)
    assertArrayEquals(new float[] {1f, 3f}, s1.images(), 0f);
    assertEquals(1, s1.steps());
    ImageEma.State s2 = ema.update(new float[] {1f, 3f}, s1); // a fixed point
    assertArrayEquals(new float[] {1f, 3f}, s2.images(), 0f);
    assertEquals(2, s2.steps());
    assertArrayEquals(new float[] {0f, 4f}, s0.images(), 0f); // states are immutable
    assertArrayEquals(new float[] {4f, 0f}, next, 0f);
  }

  @Test
  void rejectsBadDecayAndLength() {
    assertThrows(IllegalArgumentException.class, () -> new ImageEma(1));
    assertThrows(IllegalArgumentException.class, () -> new ImageEma(0));
    ImageEma ema = new ImageEma(0.9);
    assertThrows(IllegalArgumentException.class,
        () -> ema.update(new float[3], ema.init(new float[2])));
  }
}
