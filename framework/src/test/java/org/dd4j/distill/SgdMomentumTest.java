package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dd4j.schedule.Schedule;
import org.junit.jupiter.api.Test;

class SgdMomentumTest {

  /** Two steps by hand, PyTorch semantics: buf = m * buf + g; p -= lr * buf. */
  @Test
  void matchesHandComputedSteps() {
    SgdMomentum opt = SgdMomentum.of(0.1, 0.5);
    float[] p0 = {1f, -2f};
    SgdMomentum.State s0 = opt.init(2);
    SgdMomentum.Update u1 = opt.update(p0, new float[] {0.5f, 1f}, s0);
    // buf = (0.5, 1); p = (1 - 0.05, -2 - 0.1)
    assertArrayEquals(new float[] {0.5f, 1f}, u1.state().buffer(), 1e-7f);
    assertArrayEquals(new float[] {0.95f, -2.1f}, u1.params(), 1e-6f);
    SgdMomentum.Update u2 = opt.update(u1.params(), new float[] {-1f, 2f}, u1.state());
    // buf = (0.25 - 1, 0.5 + 2) = (-0.75, 2.5); p = (0.95 + 0.075, -2.1 - 0.25)
    assertArrayEquals(new float[] {-0.75f, 2.5f}, u2.state().buffer(), 1e-7f);
    assertArrayEquals(new float[] {1.025f, -2.35f}, u2.params(), 1e-6f);
    assertEquals(2, u2.state().steps());
    // pure: inputs untouched
    assertArrayEquals(new float[] {1f, -2f}, p0);
    assertArrayEquals(new float[2], s0.buffer());
  }

  @Test
  void followsAScheduleOfTheUpdateCount() {
    SgdMomentum opt = new SgdMomentum(step -> step == 0 ? 1.0 : 10.0, 0.0);
    SgdMomentum.Update u1 = opt.update(new float[] {0f}, new float[] {1f}, opt.init(1));
    SgdMomentum.Update u2 = opt.update(u1.params(), new float[] {1f}, u1.state());
    assertArrayEquals(new float[] {-1f}, u1.params());
    assertArrayEquals(new float[] {-11f}, u2.params());
  }

  @Test
  void stateIsImmutableAndValidated() {
    float[] buf = {1f};
    SgdMomentum.State s = new SgdMomentum.State(buf, 0);
    buf[0] = 5f;
    s.buffer()[0] = 7f;
    assertArrayEquals(new float[] {1f}, s.buffer());
    assertThrows(IllegalArgumentException.class, () -> SgdMomentum.of(0.1, 1.0));
    assertThrows(IllegalArgumentException.class,
        () -> SgdMomentum.of(0.1, 0.5).update(new float[2], new float[1], s));
    assertThrows(IllegalArgumentException.class,
        () -> new SgdMomentum(Schedule.constant(1), -0.1));
  }
}
