package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** AST eq. 20 against values worked out by hand (natural log unless stated). */
class BalancedInnerLossTest {

  @Test
  void paperFactorMatchesHandComputedValues() {
    BalancedInnerLoss b = BalancedInnerLoss.paper(); // theta 8, middle = T+ / 2
    // T+ = 20, middle 10
    assertEquals(2.0794415416798357, b.factor(10, 20), 1e-15); // t = middle: ln(0 + 8)
    assertEquals(2.833213344056216, b.factor(19, 20), 1e-15); // ln(9 + 8) = ln 17
    assertEquals(0.3459762562611936, b.factor(0, 20), 1e-15); // 1 / ln(10 + 8)
    // T+ = 5, middle 2.5 (not rounded): t = 2 is below it, t = 3 above
    assertEquals(0.46727527263282326, b.factor(2, 5), 1e-15); // 1 / ln(0.5 + 8)
    assertEquals(2.1400661634962708, b.factor(3, 5), 1e-15); // ln(0.5 + 8)
    // early starts weigh less than 1, late ones more
    assertTrue(b.factor(0, 20) < 1 && b.factor(19, 20) > 1);
  }

  @Test
  void authorsCodeUsesLogBase5() {
    BalancedInnerLoss b = BalancedInnerLoss.authorsCode();
    assertEquals(1.2920296742201791, b.factor(10, 20), 1e-15); // ln 8 / ln 5
    assertEquals(0.5568273036287807, b.factor(0, 20), 1e-15); // ln 5 / ln 18
    assertEquals("balanced-log5", b.name());
    assertEquals("balanced(theta=8.0, log_base=5.0, middle=floor)", b.describe());
    assertEquals("balanced(theta=8.0, log_base=e, middle=half)",
        BalancedInnerLoss.paper().describe());
  }

  @Test
  void identityIsOneAndRegistryKnowsTheBuiltIns() {
    assertEquals(1.0, InnerLossTransform.identity().factor(3, 20));
    assertEquals(BalancedInnerLoss.paper(), InnerLossTransforms.create("balanced"));
    assertEquals(BalancedInnerLoss.authorsCode(), InnerLossTransforms.create("balanced-log5"));
    assertEquals(InnerLossTransform.identity(), InnerLossTransforms.create("identity"));
    var e = assertThrows(IllegalArgumentException.class,
        () -> InnerLossTransforms.create("nope"));
    assertTrue(e.getMessage().contains("balanced"), e.getMessage());
  }

  @Test
  void rejectsStartOutsideRangeAndBadTheta() {
    assertThrows(IllegalArgumentException.class, () -> BalancedInnerLoss.paper().factor(20, 20));
    assertThrows(IllegalArgumentException.class, () -> new BalancedInnerLoss(1, Math.E, BalancedInnerLoss.Middle.HALF));
    assertThrows(IllegalArgumentException.class, () -> new BalancedInnerLoss(8, 1, BalancedInnerLoss.Middle.HALF));
  }
}
